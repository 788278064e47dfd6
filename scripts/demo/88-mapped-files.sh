#!/bin/sh
# title: Mapped files against read(): system calls, copies, faults, frames
# concepts: C32
echo "read() goes through the kernel's page cache: each call copies a"
echo "buffer's worth from the cached pages into the process. mmap() maps the"
echo "cached pages themselves into the address space: no call and no copy per"
echo "record; the first touch of a page faults, and the kernel fills the"
echo "entry (and, for files, those of neighbours already cached: fault-around)."
echo "filemap reads an 8 MiB file both ways:"
echo
f=/tmp/mapped.$$
echo "\$ filemap -s 8M $f"
out=$(filemap -s 8M "$f")
rm -f "$f"
row() { echo "$out" | awk -v m="$1" -v c="$2" '$1 == "METHOD" { for (i = 1; i <= NF; i++) h[$i] = i }
	$1 == m && h[c] { print $h[c] }'; }
pages=$(echo "$out" | sed -n 's/^file .* KiB, \([0-9]*\) pages;.*/\1/p')
cached=$(echo "$out" | sed -n 's/^file .* pages; \([0-9]*\) of them.*/\1/p')
frame() { echo "$out" | sed -n "s/^frames of page 0: the mapping \([^,]*\), a second mapping \([^,]*\), the read() buffer \(.*\)/\\$1/p"; }
ask "How many read() calls does an 8 MiB file take with a 64 KiB buffer?" $(((8 << 20) / (64 << 10)))
echo "$out"
mf=$(row mmap FAULTS)
echo
echo "read: $(row read SYSCALLS) calls copied $(row read BYTES_COPIED) bytes. mmap: $pages pages touched with"
echo "no call and no copy, in $mf faults: $((pages / mf)) pages mapped per fault. Page 0's frame"
echo "is the same through both mappings ($(frame 1)): the page cache's own page; the"
echo "read() buffer is another frame ($(frame 3)), holding a copy. (/tmp is tmpfs:"
echo "there the page cache is the file, so mincore found $cached of $pages cached.)"
echo
fact "read() copied every byte: $(row read BYTES_COPIED) in $(row read SYSCALLS) calls" [ "$(row read BYTES_COPIED)" = $((8 << 20)) ]
fact "mmap: no entries before the touch, all $pages after: $(row mmap ENTRIES_BEFORE) -> $(row mmap ENTRIES_AFTER)" \
	[ "$(row mmap ENTRIES_BEFORE)" = 0 -a "$(row mmap ENTRIES_AFTER)" = "$pages" ]
fact "fault-around: $mf faults for $pages pages" [ "$mf" -gt 0 -a "$mf" -lt "$pages" ]
fact "both mappings map the page-cache frame ($(frame 1) = $(frame 2)); read's buffer is a copy ($(frame 3))" \
	[ "$(frame 1)" = "$(frame 2)" -a "$(frame 1)" != "$(frame 3)" -a "$(frame 1)" != 0x0 ]
