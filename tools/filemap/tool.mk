filemap_LDLIBS := -lsmartcols
