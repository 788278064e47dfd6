#!/bin/sh
# title: The lecture's program: MAP_SHARED|MAP_ANONYMOUS across fork, beside a copied variable
# concepts: C12 C33
echo "The concurrency lecture's IPC example: the parent maps 128 bytes"
echo "MAP_SHARED|MAP_ANONYMOUS, writes \"hello\", forks; the child reads it and"
echo "writes \"goodbye\"; a second later the parent reads again. The virtual"
echo "memory lecture's twin: a plain variable x = 1, which the child sets to 2."
echo "shmfork does both, and each side prints the frame its pages map."
echo
echo "\$ shmfork"
ask "After the child writes, what does the parent read from the shared buffer, hello or goodbye?" goodbye
out=$(shmfork)
echo "$out"
after=$(echo "$out" | sed -n 's/^After [0-9]*s, parent read: \([a-z]*\), x = \([0-9]*\)/\1 \2/p')
frame() { echo "$out" | sed -n "s/^$1 [0-9]*: shared buffer frame \(0x[0-9a-f]*\), x frame \(0x[0-9a-f]*\)/\\$2/p"; }
sp=$(frame parent 1) sc=$(frame child 1) xp=$(frame parent 2) xc=$(frame child 2)
echo
echo "The parent, after 1 s: buffer \"${after% *}\", x = ${after#* }."
echo "Shared buffer: parent frame $sp, child frame $sc; x: parent $xp, child $xc."
echo "fork() copied the page tables; a MAP_SHARED page stays the same frame in"
echo "both, while a private page is copied on the first write to it."
echo
fact "the child's write reached the parent through the shared mapping: ${after% *}" [ "${after% *}" = goodbye ]
fact "the child's write to x did not: the parent still reads x = ${after#* }" [ "${after#* }" = 1 ]
fact "one frame for the shared buffer in both ($sp, $sc)" [ "$sp" = "$sc" -a "$sp" != 0x0 ]
fact "two frames for x after the write ($xp, $xc)" [ "$xp" != "$xc" ]
