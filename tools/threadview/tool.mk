threadview_LDLIBS := -lsmartcols
