# build-tools/mkmap/mkmap.mk: build fgk-mkmap, the host tool that writes an fgkaslr map for an ELF image.
# mkmap_decode_kernel.c needs a kernel tree: built by the kernel and by check-decoders.
MKMAP_SRCS := $(filter-out %/mkmap_decode_kernel.c,$(sort $(wildcard build-tools/mkmap/*.c)))
MKMAP_OBJS := $(patsubst build-tools/mkmap/%.c,$(BUILD)/mkmap/%.o,$(MKMAP_SRCS))

$(BUILD)/mkmap/%.o: build-tools/mkmap/%.c $(wildcard build-tools/mkmap/*.h build-tools/lib/*.h) include/fgk_map.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ibuild-tools/mkmap -c $< -o $@

$(MKMAP): $(MKMAP_OBJS) $(HOSTLIB) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $(MKMAP_OBJS) $(HOSTLIB) $(RT_HOST_LIB) -lelf -lcapstone

TOOLS += $(MKMAP)

# The tests build small images with gcc/as/ld and check fgk-mkmap's dumps;
# rtcheck asks the runtime whether it accepts each map.
MKMAP_RTCHECK := $(BUILD)/tests/mkmap/rtcheck
$(MKMAP_RTCHECK): tests/mkmap/rtcheck.c $(RT_HOST_LIB) include/fgk.h include/fgk_map.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(RT_HOST_LIB) $(HOST_LDFLAGS) -lelf -o $@

.PHONY: check-mkmap
check-mkmap: $(MKMAP) $(MKMAP_RTCHECK)
	RTCHECK=$(MKMAP_RTCHECK) tests/mkmap/run.sh $(MKMAP) $(BUILD)/tests/mkmap
CHECKS += check-mkmap
