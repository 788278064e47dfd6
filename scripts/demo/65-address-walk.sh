#!/bin/sh
# title: Walking one address through the levels; canonical addresses
# concepts: C16
arch=${vm_arch:-x86-64} levels=${vm_levels:-4}
echo "A virtual address is split into table indexes (9 bits each, 512"
echo "entries per table) and a 12-bit offset. The lecture's x86-64 layout is"
if [ "$arch" = arm64 ]; then
	vbits=${vm_va_bits:-48}
	case $levels in
	5) names="PGD, P4D, PUD, PMD and PTE" ;;
	4) names="PGD, PUD, PMD and PTE" ;;
	*) names="PGD, PMD and PTE" ;;
	esac
	echo "4-level, 48-bit. This VM is arm64: with 4 KiB pages its kernel uses"
	echo "$levels levels and $vbits-bit addresses (Linux's $names are ARM's"
	echo "levels $((4 - levels)) to 3), and two tables at the top: the user half from"
	echo "TTBR0_EL1, the kernel's from TTBR1_EL1. Below, the arm64 split and rule."
else
	echo "4-level, 48-bit; a CPU with LA57 (as this VM's may be) lets the kernel"
	echo "use 5 levels and 57 bits (boot with no5lvl for 4)."
fi
echo
sleep 5 &
spid=$!
sleep 0.3
stack=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' /proc/$spid/maps)
va=$(printf '%x' $((0x$stack - 0x1000 + 0x123)))
echo "\$ ptdump --explain $va $spid      # a stack address of 'sleep'"
ex=$(ptdump --explain "$va" "$spid")
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
ask "Under $levels-level paging, what is the PTE index of 0x$va (bits 20..12)?" $(((0x$va >> 12) & 511))
echo "$ex"
# The same split by shell arithmetic: the top level first.
mine=""
shift_by=$((12 + 9 * (levels - 1)))
while [ $shift_by -ge 12 ]; do
	mine="$mine $(((0x$va >> shift_by) & 511))"
	shift_by=$((shift_by - 9))
done
theirs=$(echo "$ex" | awk '/would read it as/ { exit } / index / { printf " %s", $NF }')
pfn=$(echo "$ex" | sed -n 's/.*leaf: 4K page at .*, pfn \([0-9]*\),.*/\1/p')
phys=$(echo "$ex" | sed -n 's/^ *physical address //p')
echo
echo "By hand: (va >> 12 + 9k) & 511 for each level gives$mine;"
echo "frame $pfn x 4096 + offset 0x$(printf '%x' $((0x$va & 4095))) = 0x$(printf '%x' $((pfn * 4096 + (0x$va & 4095))))."
pause

echo
if [ "$arch" = arm64 ]; then
	# vbits bits (48, or 52 with LPA2): TTBR0 below, TTBR1 at the top.
	hole=$(printf '%016x' $((1 << (vbits - 4)))) bad=$(printf '%016x' $((1 << vbits)))
	echo "arm64 has no canonical rule: bits 63..$vbits all 0 select the user half"
	echo "(TTBR0_EL1), all 1 the kernel half (TTBR1_EL1); anything else is in"
	echo "neither. 0x$hole is a user address (unmapped here), and"
	echo "0x$bad is in neither half (bit $vbits set, bits 63..$((vbits + 1)) clear)."
	echo "\$ ptdump --explain $bad | grep 'this address'"
	canon=$(ptdump --explain "$bad" | grep 'this address: ')
elif [ "$levels" = 5 ]; then
	echo "Canonical addresses: the bits above the top one used must all equal it."
	hole=0000900000000000 bad=0100000000000000
	echo "Under 5-level paging 0x$hole is a user address (unmapped here),"
	echo "and 0x$bad is not canonical (bit 56 set, bits 63..57 clear)."
else
	echo "Canonical addresses: the bits above the top one used must all equal it."
	hole=0000100000000000 bad=0000900000000000
	echo "Under 4-level paging 0x$hole is a user address (unmapped here),"
	echo "and 0x$bad is not canonical (bit 47 set, bits 63..48 clear)."
fi
if [ "$arch" != arm64 ]; then
	echo "\$ ptdump --explain $bad | grep canonical"
	canon=$(ptdump --explain "$bad" | grep "^$levels-level paging")
fi
echo "$canon"
echo "\$ protfault read:$hole read:$bad      # each read in a child, SIGSEGV caught"
pf=$(protfault "read:$hole" "read:$bad")
echo "$pf"
code() { echo "$pf" | awk -v a="read:$1" '$1 == a { print $4 " " $5 }'; }
echo
if [ "$arch" = arm64 ]; then
	echo "Both are translation faults, each with its address (FAR_EL1): the user"
	echo "one at the level whose entry is empty; the one in neither half at"
	echo "level $((4 - levels)), before any table is read (TCR_EL1.T0SZ sets the half's size)."
	echo "arm64 has no #GP: the kernel sees the address and sends SEGV_MAPERR."
else
	echo "The unmapped user address faults in the page tables (#PF): the kernel"
	echo "knows the address. The non-canonical one never reaches them: the CPU"
	echo "raises a general protection fault (#GP), which carries no address."
fi
echo
fact "ptdump's indexes are the shell's:$theirs" [ "$theirs" = "$mine" ]
fact "physical address = frame x 4096 + offset: $phys" [ "$phys" = "0x$(printf '%x' $((pfn * 4096 + (0x$va & 4095))))" ]
if [ "$arch" = arm64 ]; then
	fact "0x$bad is in neither half of the arm64 address space" matches "$canon" 'neither half'
	fact "reading it: SIGSEGV $(code $bad) (a level $((4 - levels)) translation fault, with its address)" [ "$(code $bad)" = "SEGV_MAPERR 0x$bad" ]
	fact "reading unmapped 0x$hole: SIGSEGV $(code $hole) (a translation fault with its address)" [ "$(code $hole)" = "SEGV_MAPERR 0x$hole" ]
else
	fact "0x$bad is not canonical under $levels-level paging" matches "$canon" 'canonical .*: NO$'
	fact "reading it: SIGSEGV $(code $bad) (a #GP, no address)" [ "$(code $bad)" = "SI_KERNEL 0x0000000000000000" ]
	fact "reading unmapped 0x$hole: SIGSEGV $(code $hole) (a #PF with its address)" [ "$(code $hole)" = "SEGV_MAPERR 0x$hole" ]
fi
