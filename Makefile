# SPDX-License-Identifier: GPL-2.0
# vmlab: module, tools, selftests and the QEMU test spine.
#
#   make            module (for the running kernel, or KDIR=) and tools:
#                   no root, no package installs
#   make check      lint, DKMS, host tests, selftests in QEMU on every
#                   kernel of scripts/kernels.conf (KERNELS=, TESTS=, STEPS=)
#   make demo       the tour, inside QEMU (CHAPTER=name for one chapter;
#                   ARCH=arm64 on an arm64 kernel)
#   make vm-shell   a shell in the VM with the module loaded (ARCH=arm64)
#                   (KERNEL_ARGS=no5lvl boots either with 4-level paging)
#   make bench      benchmarks and bench/report.md
#   make install    tools, man pages, udev rule, DKMS source (DESTDIR, PREFIX)
#   make deps       what the test and demo targets need (root)

SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -c
VERSION     := 1.0
CACHE       ?= $(HOME)/.cache/vmlab
BUILD       ?= $(CURDIR)/build
DEPS_STAMP  := $(BUILD)/.deps-stamp
KDIR        ?= /lib/modules/$(shell uname -r)/build
PREFIX      ?= /usr/local
DESTDIR     ?=
export CACHE BUILD VERSION

.PHONY: all deps module tools selftests check check-debug check-runner demo vm-shell \
	bench time-check install clean

all: module tools

module:
	@sh scripts/need.sh module "$(KDIR)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	@sh scripts/need.sh tools
	$(MAKE) -C tools

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh scripts/matrix.sh scripts/root.sh scripts/arm64-draw.sh scripts/kernels.conf
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

selftests: $(DEPS_STAMP) tools
	$(MAKE) -C selftests

# --- make check --------------------------------------------------------------
# Every step is a rule below that writes its TAP to $(R)/STEP.tap; make -j -k
# runs them side by side, then the host tests run alone (their races want
# both cores), then check-summary.pl counts every file it expected, through
# TAP::Parser: a step without its file, or with a broken plan, fails.
# A lane is one kernel: check-module-LANE (the module by its release's
# compiler, DKMS), then check-lane-LANE (the selftests in its VM). At most
# CHECK_JOBS steps run at once; each VM runs its two vCPUs in turn on one
# host thread (single-threaded TCG, see docs/design.md#testing).
# Every arm64 kernel boots twice: on QEMU's max CPU (FEAT_HAFDBS: the
# hardware sets AF and dirty) and, as lane LANE-a57, on a cortex-a57
# (without it, as Apple's M1); both test the one module of that kernel.
KERNEL_LANES := $(shell TOP=$(CURDIR) bash -c '. scripts/matrix.sh && matrix_lines' | cut -d' ' -f1)
LANES       := $(KERNEL_LANES) $(patsubst %,%-a57,$(filter %-arm64,$(KERNEL_LANES)))
CHECK_LANES := $(or $(KERNELS),$(LANES))
STEPS       ?= lint dkms host runner harness install vm
CHECK_JOBS  ?= 3
R           := $(BUILD)/check
# The runner and harness checks boot this lane's kernel, with its module.
PROOF_LANE  := 6.1
# Lanes whose VMs run the fuzzer, the reload stress and the races at full
# size (or "all"); the others run them short, so the lanes fit the two
# cores (docs/design.md#time).
STRESS_LANES ?= 6.1 6.12-rt 7.3
step         = $(filter $(1),$(STEPS))
export STEPS TESTS VMLAB_VM_ACCEL STRESS_LANES

ARM64_LANES  := $(filter %-arm64 %-arm64-a57 %-arm64-16k,$(CHECK_LANES))
MODULE_STEPS := $(patsubst %,check-module-%,$(sort $(patsubst %-a57,%,$(CHECK_LANES))))
LANE_STEPS   := $(if $(call step,vm),$(CHECK_LANES:%=check-lane-%))
PAR_STEPS    := check-tools $(if $(ARM64_LANES),check-tools-arm64) $(MODULE_STEPS) $(LANE_STEPS) \
	$(if $(call step,lint),check-lint) $(if $(call step,runner),check-runner) \
	$(if $(call step,harness),check-harness) $(if $(call step,install),check-install)
RESULTS      := $(PAR_STEPS:check-%=%) $(if $(call step,host),host) untouched

check: $(DEPS_STAMP)
	@bash scripts/selftest-names.sh vm >/dev/null
	@rm -rf $(R) && mkdir -p $(R) && date +%s >$(R)/started
	@sed 's/^/# matrix: /' $(CACHE)/matrix.report 2>/dev/null || :
	@bash scripts/installed-state.sh >$(R)/installed.before
	@VMLAB_VM_ACCEL=tcg,thread=single $(MAKE) -s -k -j$(CHECK_JOBS) -Otarget $(PAR_STEPS) || :
	@$(if $(call step,host),$(MAKE) -s check-host || :)
	@bash scripts/installed-state.sh --compare $(R)/installed.before >$(R)/untouched.tap || :
	@perl scripts/check-summary.pl $(R) $(RESULTS)

# build_tap NAME,WHAT,COMMAND: step NAME's TAP: ok WHAT if COMMAND built,
# else the last lines of its output.
define build_tap
	@mkdir -p $(R)
	@{ if { $(3); } >$(BUILD)/$(1).log 2>&1; then echo "ok - $(2)"; \
	else echo "not ok - $(2)"; tail -n 30 $(BUILD)/$(1).log | sed 's/^/# /'; fi; \
	echo 1..1; } | tee $(R)/$(1).tap; grep -q '^ok' $(R)/$(1).tap
endef

check-tools:
	$(call build_tap,tools,tools and selftests build with -Wall -Wextra -Werror,$(MAKE) -k -s -j2 -C tools && $(MAKE) -k -s -j2 -C selftests)

check-tools-arm64:
	$(call build_tap,tools-arm64,tools and selftests cross-build for arm64 with -Wall -Wextra -Werror,bash scripts/arm64-tree.sh)

# The lane's module (W=1, sparse) and DKMS build. Succeeds when a vmlab.ko
# was built, warnings or not (they fail in the TAP), so its VM still runs.
$(MODULE_STEPS): check-module-%:
	@mkdir -p $(R)
	@nice -n 5 bash scripts/lane.sh module $* | tee $(R)/module-$*.tap; \
		test -e "$$(bash scripts/lane.sh ko $*)"

# The lane: the whole suite in the kernel's VM, every expected test judged.
$(CHECK_LANES:%=check-lane-%): check-lane-%: check-tools
	@bash scripts/lane.sh vm $* | tee $(R)/lane-$*.tap
$(foreach l,$(CHECK_LANES),$(eval check-lane-$(l): check-module-$(patsubst %-a57,%,$(l))))
$(ARM64_LANES:%=check-lane-%): check-tools-arm64

check-lint:
	@mkdir -p $(R)
	@nice -n 10 bash scripts/check-lint.sh | tee $(R)/lint.tap

check-runner: $(DEPS_STAMP) $(if $(filter $(PROOF_LANE),$(CHECK_LANES)),check-module-$(PROOF_LANE))
	@mkdir -p $(R)
	@bash scripts/check-runner.sh | tee $(R)/runner.tap

check-harness: $(DEPS_STAMP) check-tools $(if $(filter $(PROOF_LANE),$(CHECK_LANES)),check-module-$(PROOF_LANE))
	@mkdir -p $(R)
	@bash scripts/check-harness.sh $(PROOF_LANE) | tee $(R)/harness.tap

check-install: $(DEPS_STAMP)
	@mkdir -p $(R)
	@nice -n 5 bash scripts/check-install.sh | tee $(R)/install.tap

# The plain make of an arm64 machine, in an arm64 root run by qemu-user
# (make check-debug runs it beside its VM).
check-install-arm64: $(DEPS_STAMP)
	@mkdir -p $(R)
	@nice -n 5 bash scripts/check-install.sh arm64 | tee $(R)/install-arm64.tap

check-host: check-tools
	@mkdir -p $(R)
	@bash scripts/check-host.sh | tee $(R)/host.tap

check-debug: $(DEPS_STAMP)
	@bash scripts/check-debug.sh

demo: $(DEPS_STAMP)
	@bash scripts/demo.sh $(CHAPTER)

vm-shell: $(DEPS_STAMP)
	@bash scripts/vm-shell.sh

bench: $(DEPS_STAMP)
	@bash scripts/bench.sh

# MODE=warm|warm-x86|cold|ci|ci-cold: time the test commands from a fresh clone
time-check:
	@bash scripts/time-check.sh $(MODE)

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
