protfault_LDLIBS := -lsmartcols
