#!/bin/sh
# title: Protection: what a page's entry forbids ends in SIGSEGV
# concepts: C27
arch=${vm_arch:-x86-64}
# The execute-never bit: 63 (NX) on x86-64, 54 (UXN) on arm64.
if [ "$arch" = arm64 ]; then
	xn=UXN a_xn="a UXN" xbit=54 far=FAR_EL1
	echo "Each page-table entry says what user code may do with the page. This"
	echo "VM is arm64, and these are its entries' bits: AP[2] (bit 7, read-only:"
	echo "W=0 below) forbids writes, UXN (bit 54) forbids running code from it at"
	echo "EL0, AP[1] (bit 6) = 0 keeps user mode out (the kernel's half). A"
	echo "forbidden access traps; the kernel finds no permission to grant and"
	echo "sends SIGSEGV, with si_code saying why and si_addr where."
else
	xn=NX a_xn="an NX" xbit=63 far=CR2
	echo "Each page-table entry says what user code may do with the page: W=0"
	echo "forbids writes, NX (bit 63) forbids running code from it, U=0 keeps"
	echo "user mode out (the kernel's half). A forbidden access traps; the kernel"
	echo "finds no permission to grant and sends SIGSEGV, with si_code saying why"
	echo "and si_addr where."
fi
echo
echo "The entries first: a written page, made read-only with mprotect:"
echo "\$ pagetouch write:0 dump:rw ro dump:ro"
pt=$(pagetouch write:0 dump:rw ro dump:ro)
echo "$pt"
# entry DUMP FIELD: page 0's field (7: W, NF: raw) in the dump labelled DUMP
entry() { echo "$pt" | awk -v d="$1 (" -v f="$2" 'index($0, d) == 1 { s = 1 }
	s && $1 == "0" { if (f == "raw") { sub("raw=", "", $NF); print $NF } else print $f; exit }'; }
w_rw=$(entry rw 7) w_ro=$(entry ro 7) raw=$(entry ro raw)
nx=$((raw >> xbit & 1))
echo "W went $w_rw -> $w_ro; bit $xbit ($xn) of the entry is $nx: a data page is not code."
if [ "$arch" = arm64 ]; then
	echo "The arm64 bits: before, $(arm64_bits "$(entry rw raw)");"
	echo "after, $(arm64_bits "$raw"): mprotect set RDONLY and cleared DBM."
fi
pause

echo
echo "Now the accesses, each in a child with a SIGSEGV handler (SA_SIGINFO):"
echo "\$ protfault write-ro exec-nx read-none read-hole read:ffffffff80000000 write-rw"
ask "Which si_code does a write to a read-only page get: SEGV_MAPERR or SEGV_ACCERR?" SEGV_ACCERR
pf=$(protfault write-ro exec-nx read-none read-hole read:ffffffff80000000 write-rw)
echo "$pf"
row() { echo "$pf" | awk -v a="$1" '$1 == a { print $3 " " $4 }'; }
# faults_at ACCESS CODE: SIGSEGV with CODE, si_addr the address accessed
faults_at() { echo "$pf" | awk -v a="$1" -v c="$2" '$1 == a { ok = $3 == "SIGSEGV" && $4 == c && $2 == $5 } END { exit !ok }'; }
echo
echo "SEGV_ACCERR: the page is mapped but its entry forbids this access;"
echo "SEGV_MAPERR: nothing user mode may use is mapped there. si_addr is the"
echo "address the CPU reported ($far) for each page fault."
echo
fact "write to a read-only page: $(row write-ro), si_addr = the page" faults_at write-ro SEGV_ACCERR
fact "run code from $a_xn page: $(row exec-nx), si_addr = the page" faults_at exec-nx SEGV_ACCERR
fact "read a PROT_NONE page: $(row read-none)" faults_at read-none SEGV_ACCERR
fact "read an unmapped address: $(row read-hole)" faults_at read-hole SEGV_MAPERR
fact "read the kernel's half: $(row read:ffffffff80000000)" faults_at read:ffffffff80000000 SEGV_MAPERR
fact "the allowed write did not fault: $(row write-rw)" [ "$(row write-rw)" = "none -" ]
fact "mprotect cleared W ($w_rw -> $w_ro); the data page has $xn=$nx" [ "$w_rw$w_ro$nx" = 101 ]
