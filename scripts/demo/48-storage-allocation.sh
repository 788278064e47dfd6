#!/bin/sh
# title: Storage allocation: boundary tags, prolog and epilog, the free list, sbrk
# concepts: C25
echo "malloc and free manage the heap, a region the program grows with sbrk."
echo "heapalloc is the lecture's allocator: a size tag at both ends of every"
echo "block (bit 0: allocated), a prolog and an epilog block at the ends of"
echo "the heap, free blocks on a circular list linked through their payloads"
echo "(flink, blink), first fit, coalescing on free, and sbrk when nothing fits."
echo
log=/tmp/heap.$$
echo "\$ heapalloc malloc:a:100 malloc:b:200 malloc:c:50 dump free:a free:b dump \\"
echo "            vma malloc:big:10000 vma dump"
ask "a, b and c are neighbours. After free:a and free:b, how many free blocks are there?" 2
heapalloc malloc:a:100 malloc:b:200 malloc:c:50 dump free:a free:b dump \
	vma malloc:big:10000 vma dump sleep:3 >"$log" &
hpid=$!
i=0
while ! grep -q 'free list .* long' "$log" 2>/dev/null || [ "$(grep -c 'free list .* long' "$log")" -lt 3 ]; do
	[ $i -lt 100 ] || break
	sleep 0.1
	i=$((i + 1))
done
cat "$log"
echo
echo "ptdump of the same process while it sleeps: the [heap] VMA and which of"
echo "its pages have entries (only those whose tags were written):"
echo "\$ ptdump $hpid | grep heap"
pt=$(ptdump "$hpid" | grep '\[heap\]')
echo "$pt"
wait "$hpid"
out=$(cat "$log")
rm -f "$log"
# "N blocks, F free (B bytes); free list L long; tags and links consistent"
summary() { echo "$out" | grep 'free list .* long' | sed -n "${1}p"; }
nfree() { summary "$1" | sed -n 's/.* blocks, \([0-9]*\) free.*/\1/p'; }
nlist() { summary "$1" | sed -n 's/.*free list \([0-9]*\) long.*/\1/p'; }
vma_kib() { echo "$out" | sed -n 's/^\[heap\] VMA: .*, \([0-9]*\) KiB$/\1/p' | sed -n "${1}p"; }
# in dump N: the first free block's size; the heap's end; the epilog's address
first_free() { echo "$out" | awk -v d="$1" '/^heap 0x/ { n++ } n == d && $3 == "free" { print $2; exit }'; }
heap_end=$(echo "$out" | sed -n 's/^heap 0x[0-9a-f]*-\(0x[0-9a-f]*\): .*/\1/p' | tail -n 1)
epilog=$(echo "$out" | awk '$1 == "epilog" { e = $2 } END { print e }')
ab=$(first_free 2)
present=$(echo "$pt" | awk '{ s += $(NF - 3) } END { print s + 0 }')
echo
echo "Freeing a and then b (neighbours) left $(nfree 2) free blocks: b's tags showed a"
echo "free neighbour, and the two became one block of $ab bytes. The 10000-byte"
echo "block fitted nowhere: sbrk grew the heap $(vma_kib 1) -> $(vma_kib 2) KiB and the epilog moved."
echo
fact "every dump: headers equal footers, the list holds exactly the free blocks" \
	[ "$(echo "$out" | grep -c 'links consistent$')" = 3 ]
fact "free coalesced a and b: $(nfree 2) free blocks, free list $(nlist 2) long" [ "$(nfree 2)$(nlist 2)" = 22 ]
fact "malloc that fits nowhere calls sbrk: the [heap] VMA grew $(vma_kib 1) -> $(vma_kib 2) KiB" \
	[ "$(vma_kib 2)" -gt "$(vma_kib 1)" ]
fact "the epilog moved to the new end: $epilog + 16 = $heap_end" [ $((epilog + 16)) = $((heap_end)) ]
fact "ptdump sees $present of $(vma_kib 2) KiB of the heap present: pages whose tags were written" \
	[ "$present" -gt 0 -a $((present * 4)) -lt "$(vma_kib 2)" ]
