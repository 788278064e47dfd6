ptdump_LDLIBS := -lsmartcols
