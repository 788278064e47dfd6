#!/bin/sh
# title: Shared pages: two processes add to one value; a private view copies on write
# concepts: C12 C19 C21
#
# A vmlab region is memory the module owns. Processes find it by name,
# map it, and the module hands out its pages one fault at a time.
N=100000
step() { echo; echo "== $*"; }
val() { sed -n 's/^\[[0-9]*\] read: //p'; }
# stat FIELD: from "[pid] stat: resident R pages, F faults, ..." lines, one per line
shmstat() { sed -n "s/^\[[0-9]*\] stat: resident \([0-9]*\) pages, \([0-9]*\) faults.*/\\$1/p"; }

step "1. Create a 64 KiB region (16 pages) named demo-counter"
vmlabctl shm create demo-counter 64K
ls0=$(vmlabctl shm ls)
echo "$ls0"
res0=$(echo "$ls0" | awk '$1 == "NAME" { for (i = 1; i <= NF; i++) h[$i] = i } $1 == "demo-counter" { print $h["RESIDENT"] }')
echo "$res0 pages resident: pages come on demand, at the first touch."
pause

step "2. Two unrelated processes attach by name and each add 1, $N times"
echo "Each one opens /dev/vmlab on its own; they meet at a barrier kept in the"
echo "region itself (sync=2), then increment with an atomic instruction."
vmlabctl shm attach demo-counter sync=2 add=$N &
vmlabctl shm attach demo-counter sync=2 add=$N &
wait
out=$(vmlabctl shm attach demo-counter read stat)
echo "$out"
total=$(echo "$out" | val)
res=$(echo "$out" | shmstat 1)
faults=$(echo "$out" | shmstat 2)
echo "A third process reads $total: it sees every write of the other two."
echo "$res page resident, $faults faults served by the module: one per process that"
echo "touched the page (3), each mapping getting its own entry."
pause

step "3. MAP_PRIVATE: copy-on-write, one step at a time"
vmlabctl shm create demo-cow 64K >/dev/null
vmlabctl shm attach demo-cow write=42 >/dev/null
echo "The region holds 42. A process maps it MAP_PRIVATE (and, to compare,"
echo "MAP_SHARED) and reads, writes, and reads again; pfn is the page frame."
out=$(vmlabctl shm attach --private demo-cow read pfn stat write=99 read peek pfn stat)
echo "$out"
pfn() { echo "$out" | sed -n "s/^\[[0-9]*\] pfn: private view \([^,]*\), shared view \(.*\)/\\$1/p" | sed -n "${2}p"; }
f_before=$(echo "$out" | shmstat 2 | sed -n 1p) f_after=$(echo "$out" | shmstat 2 | sed -n 2p)
r_after=$(echo "$out" | shmstat 1 | sed -n 2p)
echo "- after the read: private view $(pfn 1 1), shared view $(pfn 2 1)"
echo "- after the write: private view $(pfn 1 2), shared view $(pfn 2 2); the"
echo "  module's fault count went $f_before -> $f_after: the copy was the kernel's"
echo "  copy-on-write, the module was not asked;"
echo "- the region has $r_after resident page(s): the copy belongs to the process."
priv=$(echo "$out" | val | tail -n 1)
shared=$(vmlabctl shm attach demo-cow read | val)
echo "Another process reads the region: $shared."
pause

step "4. Demand paging: resident pages grow with the pages touched"
dp=$(vmlabctl shm attach demo-cow stat touch=16 stat)
echo "$dp"
r0=$(echo "$dp" | shmstat 1 | sed -n 1p) r1=$(echo "$dp" | shmstat 1 | sed -n 2p)
echo "16 pages touched: resident $r0 -> $r1, $((r1 - r0)) pages allocated at their first touch."
vmlabctl shm ls

step "5. Unlink: the names go, and with them the last references"
for r in demo-counter demo-cow; do vmlabctl shm unlink $r; done
vmlabctl shm stat

echo
fact "two processes' atomic adds all reached the shared page: $total = 2 x $N" [ "$total" = $((2 * N)) ]
fact "one frame for all: $res page resident after 3 processes touched it" [ "$res" = 1 ]
fact "MAP_PRIVATE read shares the frame ($(pfn 1 1) = $(pfn 2 1))" [ "$(pfn 1 1)" = "$(pfn 2 1)" ]
fact "MAP_PRIVATE write copies: $(pfn 1 2) != $(pfn 2 2), region still $shared, the copy $priv" \
	[ "$(pfn 1 2)" != "$(pfn 2 2)" -a "$shared" = 42 -a "$priv" = 99 ]
fact "the copy was the kernel's: module faults $f_before -> $f_after" [ "$f_before" = "$f_after" ]
fact "demand paging: 16 pages touched, resident $r0 -> $r1" [ "$r1" = 16 ]
