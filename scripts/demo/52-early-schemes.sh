#!/bin/sh
# title: Before paging: fence, base and bounds, swapping, overlays (a simulation)
# concepts: C36
echo "A SIMULATION, labelled as one: no CPU this tour runs on has a fence or"
echo "base and bounds registers. earlyvm runs each early scheme on a small"
echo "made-up memory, checking and translating every access the way that"
echo "scheme's hardware would."
echo
echo "\$ earlyvm"
out=$(earlyvm)
echo "$out"
# res SECTION WHO ADDRESS: the RESULT column of that access in that section
res() { echo "$out" | awk -v s="$1" -v w="$2" -v a="$3" '/^== / { cur = $2 }
	cur == s && $1 == w && $2 == a { for (i = 3; i <= NF; i++) if ($i == "allowed" || $i == "trap") { print $i; exit } }'; }
phys() { echo "$out" | awk -v w="$1" -v a="$2" '/^== base/ { s = 1 } /^== swapping/ { s = 0 } s && $1 == w && $2 == a { print $3 }'; }
peak=$(echo "$out" | sed -n 's/.*at most \([0-9]*\) KiB of 100 in memory.*/\1/p')
echo
echo "The fence kept A out of the OS but not out of B. Base and bounds turned"
echo "A's address 0 into $(phys A 0x00000) and stopped A at its bounds; with them a"
echo "swapped image can come back into any free slot. Overlays fit a 150 KiB"
echo "program in 100 KiB ($peak KiB at most at once), by the programmer's hand."
echo
fact "model: the fence traps A below it: $(res fence A 0x01000)" [ "$(res fence A 0x01000)" = trap ]
fact "model: the fence lets A into B's memory: $(res fence A 0x0c000)" [ "$(res fence A 0x0c000)" = allowed ]
fact "model: base and bounds relocate A's 0 to $(phys A 0x00000) and trap past the bounds: $(res base A 0x07000)" \
	[ "$(phys A 0x00000)" = 0x04000 -a "$(res base A 0x07000)" = trap ]
fact "model: the overlays never needed more than the 100 KiB: $peak" [ "$peak" -le 100 ]
