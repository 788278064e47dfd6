threadpark_LDLIBS := -lsmartcols -pthread
