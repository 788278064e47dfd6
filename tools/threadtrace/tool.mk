# threadtrace: BPF CO-RE. vmlinux.h is generated from the BTF of a Debian
# kernel at build time (never committed); one header serves every kernel,
# since libbpf relocates against the running kernel's BTF.
# One output folder per target architecture, in the tree being built.
TT_OUT      := $(CURDIR)/../build/threadtrace-$(VL_ARCH)
# The target kernel's BTF: a Debian headers package ships vmlinux with it
# (installed, or unpacked by make deps into the cache); else the build
# host's own, when it runs the target architecture.
CACHE       ?= $(HOME)/.cache/vmlab
TT_DEB_ARCH := $(if $(filter arm64,$(VL_ARCH)),arm64,amd64)
TT_BPF_ARCH := $(if $(filter arm64,$(VL_ARCH)),arm64,x86)
VMLINUX_BTF ?= $(firstword $(wildcard /usr/src/linux-headers-6.12*-$(TT_DEB_ARCH)/vmlinux) \
		$(wildcard $(CACHE)/kernels/6.12*-$(TT_DEB_ARCH)/headers/usr/src/linux-headers-*/vmlinux) \
		$(wildcard /usr/src/linux-headers-*-$(TT_DEB_ARCH)/vmlinux) \
		$(if $(filter $(VL_HOST_ARCH),$(VL_ARCH)),/sys/kernel/btf/vmlinux))
ifeq ($(VMLINUX_BTF),)
$(error threadtrace: no BTF of a $(VL_ARCH) kernel: make deps, or give VMLINUX_BTF=)
endif
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
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(TT_BPF_ARCH) -Wall -Werror -Wno-missing-declarations \
		-I$(TT_OUT) -Ithreadtrace -c $< -o $@
	$(LLVM_STRIP) -g $@	# DWARF is not needed in the skeleton: BTF stays

$(TT_OUT)/threadtrace.skel.h: $(TT_OUT)/threadtrace.bpf.o
	$(BPFTOOL) gen skeleton $< name threadtrace_bpf >$@.tmp && mv $@.tmp $@

CLEAN_EXTRA += -r $(TT_OUT)
