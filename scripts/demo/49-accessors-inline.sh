#!/bin/sh
# title: Accessor functions, macros and inline: what each costs at -O0 and -O2
# concepts: C26
echo "The allocator reads its blocks through small accessors (block_size,"
echo "block_allocated, block_next). As functions, each use is a call; as"
echo "macros there is no call, but a debugger sees only their names; static"
echo "inline functions are real functions at -O0 (easy to debug) and their"
echo "bodies in place at -O2. heapalloc holds the same heap walk compiled at"
echo "both levels, with each kind of accessor, and times them:"
echo
rounds=200
[ -n "${DEMO_QUICK:-}" ] && rounds=100
echo "\$ heapalloc bench $rounds"
out=$(heapalloc bench "$rounds")
ask "At -O2, is the inline version about as fast as the macro one (yes/no)?" \
	"$(echo "$out" | awk '$1 == "-O2" { print ($NF < 1.15) ? "yes" : "no" }')"
echo "$out"
# ratio LEVEL COLUMN: FUNCTION/MACRO is field 5, INLINE/MACRO field 6
ratio() { echo "$out" | awk -v l="$1" -v f="$2" '$1 == l { print $f }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
echo
echo "At -O0 the inline accessors cost $(ratio -O0 6)x the macros (functions: $(ratio -O0 5)x);"
echo "at -O2 they cost $(ratio -O2 6)x (functions, still calls: $(ratio -O2 5)x)."
echo
fact "-O0: inline is a call like a function ($(ratio -O0 6)x the macro)" below 1.2 "$(ratio -O0 6)"
# Against the call, not against 1.0: one timed round on a loaded host.
fact "-O2: inline is inlined, much cheaper than the call ($(ratio -O2 6)x the macro, the call $(ratio -O2 5)x)" \
	below "$(awk -v i="$(ratio -O2 6)" 'BEGIN { print 1.5 * i }')" "$(ratio -O2 5)"
fact "-O2: the function calls remain ($(ratio -O2 5)x the macro)" below 1.2 "$(ratio -O2 5)"
