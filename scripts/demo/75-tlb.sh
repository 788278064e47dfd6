#!/bin/sh
# title: The TLB remembers: cleared accessed bits and stale translations
# concepts: C18
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	echo "The CPU sets A while it walks the page table to fill a TLB entry. This"
	echo "VM is arm64: A is the entry's AF (bit 10), which the CPU sets itself"
	echo "with FEAT_HAFDBS (QEMU's max CPU has it). If software clears AF but the"
	echo "translation stays cached in the TLB, a later access may use the TLB"
	echo "and not set AF again. arm64 Linux's page aging flushes the entry it"
	echo "clears (ptep_clear_flush_young); VMLAB_IOC_PT_CLEAR_ACCESSED does not."
else
	echo "The CPU sets A while it walks the page table to fill a TLB entry. If"
	echo "software clears A but the translation stays cached in the TLB, a"
	echo "later access uses the TLB and does not set A again. x86 Linux does not"
	echo "flush the TLB for clearing A (page aging tolerates it); neither does"
	echo "VMLAB_IOC_PT_CLEAR_ACCESSED."
fi
echo
echo "\$ pagetouch write:all clear read:0 dump:no-flush flush read:0 dump:flushed"
out=$(pagetouch write:all clear read:0 dump:no-flush flush read:0 dump:flushed)
echo "$out"
a1=$(echo "$out" | awk '/^no-flush/ { s = 1 } s == 1 && $1 == "0" { print $5; exit }')
a2=$(echo "$out" | awk '/^flushed/ { s = 1 } s == 1 && $1 == "0" { print $5; exit }')
echo
echo "after clear and read without flush: A=$a1 ($([ "$a1" = 0 ] && echo "the TLB entry was used" || echo "the TLB entry was already gone"))"
echo "after flush and read: A=$a2"
cleared=$(echo "$out" | sed -n 's/^clear: \([0-9]*\) accessed bits were set.*/\1/p')
others=$(echo "$out" | awk '/^no-flush/ { s = 1 } /^flush:/ { s = 0 } s == 1 && $1 ~ /^[123]$/ { print $5 }' | tr -d '\n')
echo
fact "clear found $cleared A bits set and cleared them: pages 1-3 read A=$others" [ "$cleared" = 4 -a "$others" = 000 ]
fact "after a TLB flush, a read walks the table and sets A again: A=$a2" [ "$a2" = 1 ]
