# threadtrace: BPF CO-RE. vmlinux.h is generated from the BTF of a Debian
# kernel at build time (never committed); one header serves every kernel,
# since libbpf relocates against the running kernel's BTF.
TT_OUT      := $(CURDIR)/../build/threadtrace
# The target kernel's BTF: a Debian headers package ships vmlinux with it;
# else the build host's own.
VMLINUX_BTF ?= $(firstword $(wildcard /usr/src/linux-headers-6.12*-amd64/vmlinux) \
		$(wildcard /usr/src/linux-headers-*-amd64/vmlinux) /sys/kernel/btf/vmlinux)
BPFTOOL     ?= bpftool
CLANG       ?= clang
LLVM_STRIP  ?= llvm-strip

threadtrace_LDLIBS := -lbpf -lelf -lz -lsmartcols
threadtrace_DEPS   := $(TT_OUT)/threadtrace.skel.h
threadtrace/threadtrace.o: CFLAGS += -I$(TT_OUT)

$(TT_OUT)/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $< format c >$@.tmp && mv $@.tmp $@

$(TT_OUT)/threadtrace.bpf.o: threadtrace/threadtrace.bpf.c threadtrace/threadtrace.h $(TT_OUT)/vmlinux.h
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -Wno-missing-declarations \
		-I$(TT_OUT) -Ithreadtrace -c $< -o $@
	$(LLVM_STRIP) -g $@	# DWARF is not needed in the skeleton: BTF stays

$(TT_OUT)/threadtrace.skel.h: $(TT_OUT)/threadtrace.bpf.o
	$(BPFTOOL) gen skeleton $< name threadtrace_bpf >$@.tmp && mv $@.tmp $@

CLEAN_EXTRA += -r $(TT_OUT)
