#!/bin/sh
# title: Shared pages: two processes add to one value; a private view copies on write
# concepts: C12 C19 C21
# key-fact: observed: counter 200000 = 2 x 100000, private 99 vs shared 42
#
# A vmlab region is memory the module owns. Processes find it by name,
# map it, and the module hands out its pages one fault at a time.
N=100000
step() { echo; echo "== $*"; }
p() { command -v pause >/dev/null && pause; }
val() { sed -n 's/^\[[0-9]*\] read: //p'; }

step "1. Create a 64 KiB region (16 pages) named demo-counter"
vmlabctl shm create demo-counter 64K
vmlabctl shm ls
echo "Nothing is resident yet: pages come on demand, at the first touch."
p

step "2. Two unrelated processes attach by name and each add 1, $N times"
echo "Each one opens /dev/vmlab on its own; they meet at a barrier kept in the"
echo "region itself (sync=2), then increment with an atomic instruction."
vmlabctl shm attach demo-counter sync=2 add=$N &
vmlabctl shm attach demo-counter sync=2 add=$N &
wait
out=$(vmlabctl shm attach demo-counter read stat)
echo "$out"
total=$(echo "$out" | val)
echo "A third process reads $total: it sees every write of the other two."
echo "One page is resident; every process that touched it took its own fault."
p

step "3. MAP_PRIVATE: copy-on-write, one step at a time"
vmlabctl shm create demo-cow 64K >/dev/null
vmlabctl shm attach demo-cow write=42 >/dev/null
echo "The region holds 42. A process maps it MAP_PRIVATE (and, to compare,"
echo "MAP_SHARED) and reads, writes, and reads again; pfn is the page frame."
out=$(vmlabctl shm attach --private demo-cow read pfn stat write=99 read peek pfn stat)
echo "$out"
echo "- after the read both views map the region's frame: nothing was copied;"
echo "- the write hit a read-only entry; the kernel's copy-on-write gave the"
echo "  private view a new frame, filled from the region's page (the module was"
echo "  not asked: its fault count did not move);"
echo "- the region still has 1 resident page: the copy belongs to the process."
priv=$(echo "$out" | sed -n 's/^\[[0-9]*\] read: //p' | tail -n 1)
shared=$(vmlabctl shm attach demo-cow read | val)
echo "Another process reads the region: $shared."
p

step "4. Demand paging: resident pages grow with the pages touched"
vmlabctl shm attach demo-cow stat touch=16 stat
echo "16 pages touched: 15 new pages were allocated (page 0 already existed)."
vmlabctl shm ls

step "5. Unlink: the names go, and with them the last references"
for r in demo-counter demo-cow; do vmlabctl shm unlink $r; done
vmlabctl shm stat

echo
echo "observed: counter $total = 2 x $N, private $priv vs shared $shared"
