# vmquiz: questions about a live process's page tables, graded by its walk.
vmquiz_LDLIBS := -lsmartcols
