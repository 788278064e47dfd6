threadpark_LDLIBS := -pthread
