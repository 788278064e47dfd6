racedemo_LDLIBS := -lsmartcols -pthread
