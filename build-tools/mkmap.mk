# mkmap.mk: build fgk-mkmap, the host tool that writes an fgkaslr map for an ELF image.
MKMAP_SRCS := $(sort $(wildcard build-tools/mkmap*.c))
MKMAP_OBJS := $(patsubst build-tools/%.c,$(BUILD)/mkmap/%.o,$(MKMAP_SRCS))

$(BUILD)/mkmap/%.o: build-tools/%.c build-tools/mkmap.h build-tools/map_write.h include/fgk_map.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(MKMAP): $(MKMAP_OBJS) $(MAPW_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $(MKMAP_OBJS) $(MAPW_LIB) -lelf -lcapstone -lxxhash

TOOLS += $(MKMAP)

# The tests build small images with gcc/as/ld and check fgk-mkmap's dumps.
.PHONY: check-mkmap
check-mkmap: $(MKMAP)
	tests/mkmap/run.sh $(MKMAP) $(BUILD)/tests/mkmap
CHECKS += check-mkmap
