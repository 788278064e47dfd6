# heapalloc: the accessor benchmark (access.h) is compiled twice, at -O0
# and at -O2, and both objects are linked in: one run compares the levels.
heapalloc_DEPS := heapalloc/accessbench-O0.o heapalloc/accessbench-O2.o

heapalloc/accessbench-O%.o: heapalloc/access.h heapalloc/heapalloc.h
	$(CC) $(filter-out -O%,$(CFLAGS)) -O$* -DOPT=O$* -x c -c -o $@ $<

CLEAN_EXTRA += heapalloc/accessbench-O0.o heapalloc/accessbench-O2.o
heapalloc_LDLIBS := -lsmartcols
