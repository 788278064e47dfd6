#!/bin/bash
# The lint step of make check, as TAP: checkpatch --strict on the kernel
# code, mandoc -Tlint on every man page, shellcheck on the spine's shell
# scripts, and the tools' own lint (make -C tools lint) when it exists.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$HOME/.cache/vmlab}
cd "$TOP" || exit 1
n=0 failed=0
# check DESCRIPTION CMD...: one test, the command's output as diagnostics.
check() {
	local what=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok - lint: $what"
	else
		failed=$((failed + 1))
		echo "not ok - lint: $what"
		sed 's/^/# /' <<<"$out" | head -n 40
	fi
}

check "checkpatch --strict: module/ and include/uapi" \
	perl "$CACHE/linux-src/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
	-f module/*.[ch] include/uapi/linux/vmlab.h

man=(docs/man/*.[1-9])
tools_lint=0
make -n -C tools lint >/dev/null 2>&1 && tools_lint=1
# Without a tools lint, the tools' pages are linted here.
[ $tools_lint = 1 ] || man+=(tools/*/*.1)
check "mandoc -Tlint -Wwarning: ${man[*]}" mandoc -Tlint -Wwarning "${man[@]}"

# The spine's scripts; scripts/demo*, vm-demo.sh and scripts/bench/ are
# the tour's and the benchmarks', which lint their own.
sh_files=(scripts/*.sh scripts/guest/*.sh selftests/vm_util.sh .ci/run)
mapfile -t sh_files < <(printf '%s\n' "${sh_files[@]}" | grep -vE '^scripts/(demo|vm-demo)\.sh$')
check "shellcheck -S warning: ${sh_files[*]}" shellcheck -x -P SCRIPTDIR -S warning "${sh_files[@]}"

[ $tools_lint = 1 ] && check "make -C tools lint" make -s -C tools lint
echo "1..$n"
[ $failed = 0 ]
