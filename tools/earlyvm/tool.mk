earlyvm_LDLIBS := -lsmartcols
