#!/bin/sh
# title: Walking one address through the levels
# concepts: C16
# key-fact: leaf: 4K page at 0x[0-9a-f]+
echo "A virtual address is split into table indexes (9 bits each, 512"
echo "entries per table) and a 12-bit offset. This VM's CPU has LA57, so"
echo "the kernel runs 5-level paging (57-bit addresses, an extra P4D level);"
echo "the lecture's x86-64 layout is 4-level, 48-bit (boot with no5lvl)."
echo
sleep 5 &
spid=$!
sleep 0.3
stack=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' /proc/$spid/maps)
va=$(printf '%x' $((0x$stack - 0x1000 + 0x123)))
echo "\$ ptdump --explain $va $spid      # a stack address of 'sleep'"
ptdump --explain "$va" "$spid"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo
echo "A non-canonical address (bits 63..47 not all equal under 4-level):"
echo "\$ ptdump --explain 0000900000000000"
ptdump --explain 0000900000000000 | grep -E '^address|paging:'
echo "With 4-level paging that address would fault (#GP) on any access;"
echo "with 5-level paging it is a valid user address."
