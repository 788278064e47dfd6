shmfork_LDLIBS := -lsmartcols
