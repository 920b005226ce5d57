# tests/mapfile/tests.mk: check-mapfile: the bench's Python map reader agrees with fgk_map.h's layout.
MAPFILE_LAYOUT := $(BUILD)/tests/mapfile/layout
$(MAPFILE_LAYOUT): tests/mapfile/layout.c include/fgk_map.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_LDFLAGS) -o $@

.PHONY: check-mapfile
check-mapfile: $(MAPFILE_LAYOUT) $(E2E_MAPS)
	/usr/bin/python3 tests/mapfile/check.py $(MAPFILE_LAYOUT) $(E2E_MAPS)
CHECKS += check-mapfile
