tlbchase_LDLIBS := -lsmartcols
