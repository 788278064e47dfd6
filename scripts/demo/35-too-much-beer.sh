#!/bin/sh
# title: Too much beer: which note protocols fail, starve or deadlock, and the one that works
# concepts: C9
# key-fact: ^note +[0-9]+ +[0-9]+ +[1-9][0-9]* .*FAILS: too much beer
#
# Two roommates come home to an empty fridge at the same moment. The
# lecture's attempts use notes; each one runs 300 rounds here.
step() { echo; echo "== $*"; }
p() { command -v pause >/dev/null && pause; }

step "1. Every attempt, 300 rounds each (C9)"
echo "\$ racedemo beer -r 300"
racedemo beer -r 300
p

step "2. Reading the table"
echo "- note, note-recheck (the lecture's two attempts): looking and then"
echo "  leaving a note are separate steps, so both roommates can pass the check"
echo "  before either note is up: both buy."
echo "- two-notes never buys twice, but when both notes are up both back off"
echo "  and nobody buys: safety without progress."
echo "- wait-for-note: each waits for the other's note to go; both wait for"
echo "  ever (a deadlock, detected and counted here)."
echo "- asymmetric works, but A does all the waiting and the code differs per"
echo "  roommate; without memory ordering (relaxed) the CPU may reorder the"
echo "  store of one's note after the load of the other's, and it can fail."
echo "- lock: check and purchase are one critical section: exactly one buys."
p
