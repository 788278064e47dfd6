#!/bin/bash
# usage: selftest-names.sh vm|host
# The selftests expected to run in the VM (or on the host: host_*), one
# name a line, from the sources (selftests/*_test.c builds NAME,
# selftests/*_test.sh is NAME.sh): a new test is expected without any list
# to edit. $TESTS (names, ".sh" optional) narrows them; a name in $TESTS
# that is no selftest is an error (exit 2), not a run of nothing.
set -euo pipefail
dir=$(cd "$(dirname "$0")/../selftests" && pwd)
where=${1:?usage: selftest-names.sh vm|host}

all=$(cd "$dir" && for f in *_test.c *_test.sh; do
	[ -e "$f" ] && echo "${f%.c}"
done | sort)
for t in ${TESTS:-}; do
	grep -qxF -e "$t" -e "$t.sh" <<<"$all" || {
		echo "TESTS: no selftest named '$t' (selftests: $(echo $all))" >&2
		exit 2
	}
done
while read -r name; do
	case $name in host_*) [ "$where" = host ] || continue ;; *) [ "$where" = vm ] || continue ;; esac
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "* | *" ${name%.sh} "*) ;; *) continue ;; esac
	fi
	echo "$name"
done <<<"$all"
