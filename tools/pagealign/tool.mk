pagealign_LDLIBS := -lsmartcols
