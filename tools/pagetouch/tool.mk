pagetouch_LDLIBS := -lsmartcols
