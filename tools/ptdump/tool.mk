ptdump_LDLIBS := -lsmartcols
# ptdump-fixture: a process with many mappings or a sparse range, for the
# pictures' bench and tests (mkinitramfs.sh puts it in the VM).
PTD_FIXTURE := ptdump/ptdump-fixture
all: $(PTD_FIXTURE)
$(PTD_FIXTURE): ptdump/fixture/ptdump-fixture.c lib/libvmlab.a $(LIB_HDRS)
	$(CC) $(CFLAGS) -o $@ $< lib/libvmlab.a
CLEAN_EXTRA += $(PTD_FIXTURE)
