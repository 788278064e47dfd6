# forkbench: tables through libsmartcols. The exec helper forkbench-child
# (static, no libc) is built from helper/, so the generic rule does not
# link it into forkbench; forkbench embeds a copy (embed.c) for systems
# where only forkbench itself is installed, and make install puts the
# file next to forkbench, where forkbench looks first.
forkbench_LDLIBS := -Wl,--as-needed -lsmartcols
FB_HELPER := forkbench/forkbench-child

all: $(FB_HELPER)

$(FB_HELPER): forkbench/helper/forkbench-child.c
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -s -o $@ $<

forkbench/embed.o: $(FB_HELPER)
forkbench/embed.o: CFLAGS += -DFB_HELPER_PATH='"$(CURDIR)/$(FB_HELPER)"'

install: install-forkbench-child
install-forkbench-child: $(FB_HELPER)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(FB_HELPER) $(DESTDIR)$(PREFIX)/bin/

CLEAN_EXTRA += $(FB_HELPER)
.PHONY: install-forkbench-child
