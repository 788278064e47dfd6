vmlabfuzz_LDLIBS := -lsmartcols -lpthread
