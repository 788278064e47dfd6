#!/bin/sh
# title: Quiz 2 by experiment: can a page start at an address not divisible by the page size?
# concepts: C36
echo "The lecture's Quiz 2. A page-table entry holds a frame number, not an"
echo "address: the low 12 bits of every virtual address are the offset"
echo "inside its page, so a page can only begin where they are 0. Asked of"
echo "the kernel: mmap one page with MAP_FIXED (put it exactly there) at an"
echo "aligned address, then 0x123 past it, then with that address as a hint."
echo
echo "\$ pagealign 0x123"
out=$(pagealign 0x123)
if echo "$out" | grep -q 'MAP_FIXED, aligned + offset .*EINVAL'; then can=no; else can=yes; fi
ask "Can a page start at a virtual address that's not divisible by the page size (yes/no)?" $can
echo "$out"
size=$(echo "$out" | sed -n 's/^page size: \([0-9]*\) bytes.*/\1/p')
line() { echo "$out" | grep "^$1"; }
echo
echo "MAP_FIXED at an unaligned address is refused; as a hint, the kernel"
echo "rounds it down to a page boundary. The kernel's answer: $can."
echo
fact "MAP_FIXED at a page boundary works" matches "$(line 'MAP_FIXED, aligned ')" 'mapped at .*\(a multiple'
fact "MAP_FIXED 0x123 past it: EINVAL" matches "$(line 'MAP_FIXED, aligned + offset')" 'failed, EINVAL$'
fact "the same address as a hint comes back rounded to a multiple of $size" \
	matches "$(line 'hint only')" '\(a multiple of '"$size"'\)$'
