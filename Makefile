# SPDX-License-Identifier: GPL-2.0
# vmlab: module, tools, selftests and the QEMU test spine.
#
#   make            module (for KDIR) and tools
#   make check      lint, DKMS, host tests, selftests in QEMU on every kernel
#   make demo       the tour, inside QEMU (CHAPTER=name for one chapter)
#   make vm-shell   a shell in the VM with the module loaded
#                   (KERNEL_ARGS=no5lvl boots either with 4-level paging)
#   make bench      benchmarks and bench/report.md
#   make install    tools, man pages, udev rule, DKMS source (DESTDIR, PREFIX)

VERSION     := 1.0
CACHE       ?= $(HOME)/.cache/vmlab
BUILD       ?= $(CURDIR)/build
DEPS_STAMP  := $(BUILD)/.deps-stamp
KERNELS_ENV := $(CACHE)/kernels.env

# The default kernel: the running one's build tree if present, else 6.1.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(wildcard /usr/src/linux-headers-6.1.*-amd64))

PREFIX  ?= /usr/local
DESTDIR ?=
export CACHE BUILD VERSION

.PHONY: all deps module tools selftests check check-debug check-runner demo vm-shell \
	bench install clean

all: module tools

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

module: $(DEPS_STAMP)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: $(DEPS_STAMP)
	$(MAKE) -C tools

selftests: $(DEPS_STAMP) tools
	$(MAKE) -C selftests

check: $(DEPS_STAMP)
	@bash scripts/check.sh

check-debug: $(DEPS_STAMP)
	@bash scripts/check-debug.sh

check-runner: $(DEPS_STAMP)
	@bash scripts/check-runner.sh

demo: $(DEPS_STAMP)
	@bash scripts/demo.sh $(CHAPTER)

vm-shell: $(DEPS_STAMP) tools selftests
	@bash scripts/vm-shell.sh

bench: $(DEPS_STAMP)
	@bash scripts/bench.sh

install: tools
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -D -m 644 scripts/60-vmlab.rules $(DESTDIR)/usr/lib/udev/rules.d/60-vmlab.rules
	install -D -m 644 docs/man/vmlab.4 $(DESTDIR)$(PREFIX)/share/man/man4/vmlab.4
	install -D -m 644 -t $(DESTDIR)/usr/src/vmlab-$(VERSION) Kbuild dkms.conf
	install -D -m 644 -t $(DESTDIR)/usr/src/vmlab-$(VERSION)/module module/Kbuild module/*.[ch]
	install -D -m 644 -t $(DESTDIR)/usr/src/vmlab-$(VERSION)/include/uapi/linux include/uapi/linux/vmlab.h

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
	rm -rf $(BUILD)
