vmlabctl_LDLIBS := -lsmartcols
