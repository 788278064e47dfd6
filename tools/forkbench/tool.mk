# forkbench: the CLI and its tables (libsmartcols) in forkbench; the
# measuring in forkbench-engine, linked static so that the process fork
# copies maps only what a process must (engine/engine.c); the +exec
# methods' helper forkbench-child, static, no libc. The architecture's
# part is in arch/ARCH/ (tools/arch.mk picks ARCH): raw system calls,
# clone3 with a child function and the fake TCB in sys.S, the helper in
# child.S. Each program
# carries the next one (embed.c) for systems where only forkbench is
# installed; make install puts the files next to forkbench, where each
# looks first. loop/fork-loop is the bench's reference (TLPI 28-1).
# (embed.o's FB_BLOB is inherited by its prerequisite, the engine: filtered.)
forkbench_LDLIBS := -Wl,--as-needed -lsmartcols
FB_ARCH   := forkbench/arch/$(VL_ARCH)
forkbench_DEPS := $(FB_ARCH)/sys.o
FB_HELPER := forkbench/forkbench-child
FB_ENGINE := forkbench/forkbench-engine
FB_LOOP   := forkbench/fork-loop
FB_ENGINE_SRC := forkbench/engine/engine.c forkbench/methods.c forkbench/program.c

all: $(FB_HELPER) $(FB_ENGINE) $(FB_LOOP)

$(FB_HELPER): $(FB_ARCH)/child.S
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -s -o $@ $<

$(FB_ARCH)/sys.o: $(FB_ARCH)/sys.S
	$(CC) -c -o $@ $<

$(FB_ENGINE): $(FB_ENGINE_SRC) forkbench/embed.c forkbench/forkbench.h $(FB_ARCH)/sys.o \
		$(FB_HELPER) lib/libvmlab.a
	$(CC) $(filter-out -DFB_BLOB%,$(CFLAGS)) -static -Iforkbench -DFB_BLOB=fb_helper \
		-DFB_BLOB_PATH='"$(CURDIR)/$(FB_HELPER)"' -o $@ \
		$(FB_ENGINE_SRC) forkbench/embed.c $(FB_ARCH)/sys.o lib/libvmlab.a -pthread -lm

$(FB_LOOP): forkbench/loop/fork-loop.c
	$(CC) $(CFLAGS) -static -o $@ $<

forkbench/embed.o: $(FB_ENGINE)
forkbench/embed.o: CFLAGS += -DFB_BLOB=fb_engine -DFB_BLOB_PATH='"$(CURDIR)/$(FB_ENGINE)"'

install: install-forkbench-programs
install-forkbench-programs: $(FB_HELPER) $(FB_ENGINE)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(FB_HELPER) $(FB_ENGINE) $(DESTDIR)$(PREFIX)/bin/

CLEAN_EXTRA += $(FB_HELPER) $(FB_ENGINE) $(FB_LOOP) forkbench/arch/*/*.o
.PHONY: install-forkbench-programs
