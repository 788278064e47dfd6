wss_LDLIBS := -lsmartcols -pthread
