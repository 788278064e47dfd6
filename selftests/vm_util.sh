# shellcheck shell=sh
# Sourced by the shell selftests in the VM (busybox sh): TAP lines and the
# module's debugfs accounting.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }

# bad STATUS MESSAGE CMD...: CMD exits STATUS, its first stderr line is
# MESSAGE. CMD runs once: its stderr, then ":STATUS", in one capture.
nl='
'
bad() {
	want=$1 msg=$2; shift 2
	err=$("$@" 2>&1 >/dev/null; echo ":$?")
	rc=${err##*:} err=${err%:*}
	line=${err%%"$nl"*}
	if [ "$rc" = "$want" ] && [ "$line" = "$msg" ]; then ok "$* -> $rc: $msg"; else nok "$*: exit $rc, '$line' (want $want, '$msg')"; fi
}
# check NAME EXPR: EXPR evaluated (its variables expand then).
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
# until_true SECONDS EXPR: EXPR evaluated every 0.1 s until it holds, for
# at most SECONDS; false if it never did. A wait for a state, not a time.
until_true() {
	left=$(($1 * 10))
	until eval "$2"; do
		[ $left -gt 0 ] || return 1
		sleep 0.1
		left=$((left - 1))
	done
}
# asleep PID COMM: within 10 s, PID runs COMM and sleeps in the kernel: its
# exec and start-up are over, its address space is the program's.
asleep() { until_true 10 "grep -q '^$1 ($2) S ' /proc/$1/stat 2>/dev/null"; }
# json: a document on one line, for grep.
json() { tr -d ' \n'; }
# drawer PROG: PROG (gnuplot, dot) is in this VM; else false, and
# $no_drawer says why.
drawer() {
	command -v "$1" >/dev/null && return 0
	# shellcheck disable=SC2034 # read by the tests that call drawer
	no_drawer="no $1 in this VM (make deps provides it: the host's for x86-64, scripts/arm64-draw.sh's for arm64)"
	return 1
}

stats=/sys/kernel/debug/vmlab/stats

# stats_settle BEFORE: the module's stats once they read BEFORE again, or
# after 5 s: files are released and regions freed as exiting processes go.
stats_settle() {
	tries=0
	while [ "$(cat $stats)" != "$1" ] && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	cat $stats
}
