# forkbench: the CLI and its tables (libsmartcols) in forkbench; the
# measuring in forkbench-engine, linked static so that the process fork
# copies maps only what a process must (engine/engine.c); the +exec
# methods' helper forkbench-child, static, no libc (helper/). Each program
# carries the next one (embed.c) for systems where only forkbench is
# installed; make install puts the files next to forkbench, where each
# looks first. loop/fork-loop is the bench's reference (TLPI 28-1).
# (embed.o's FB_BLOB is inherited by its prerequisite, the engine: filtered.)
forkbench_LDLIBS := -Wl,--as-needed -lsmartcols
FB_HELPER := forkbench/forkbench-child
FB_ENGINE := forkbench/forkbench-engine
FB_LOOP   := forkbench/fork-loop
FB_ENGINE_SRC := forkbench/engine/engine.c forkbench/methods.c forkbench/program.c

all: $(FB_HELPER) $(FB_ENGINE) $(FB_LOOP)

$(FB_HELPER): forkbench/helper/forkbench-child.c
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -s -o $@ $<

$(FB_ENGINE): $(FB_ENGINE_SRC) forkbench/embed.c forkbench/forkbench.h $(FB_HELPER) lib/libvmlab.a
	$(CC) $(filter-out -DFB_BLOB%,$(CFLAGS)) -static -Iforkbench -DFB_BLOB=fb_helper \
		-DFB_BLOB_PATH='"$(CURDIR)/$(FB_HELPER)"' -o $@ \
		$(FB_ENGINE_SRC) forkbench/embed.c lib/libvmlab.a -pthread -lm

$(FB_LOOP): forkbench/loop/fork-loop.c
	$(CC) $(CFLAGS) -static -o $@ $<

forkbench/embed.o: $(FB_ENGINE)
forkbench/embed.o: CFLAGS += -DFB_BLOB=fb_engine -DFB_BLOB_PATH='"$(CURDIR)/$(FB_ENGINE)"'

install: install-forkbench-programs
install-forkbench-programs: $(FB_HELPER) $(FB_ENGINE)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(FB_HELPER) $(FB_ENGINE) $(DESTDIR)$(PREFIX)/bin/

CLEAN_EXTRA += $(FB_HELPER) $(FB_ENGINE) $(FB_LOOP)
.PHONY: install-forkbench-programs
