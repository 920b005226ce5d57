# build-tools/shuffle/shuffle.mk: fgk-shuffle, the offline shuffle of an ELF (the runtime on a file).

SHUFFLE_DIR := $(BUILD)/host/shuffle
SHUFFLE_OBJS := $(patsubst build-tools/shuffle/%.c,$(SHUFFLE_DIR)/%.o,$(wildcard build-tools/shuffle/*.c))

$(SHUFFLE_DIR)/%.o: build-tools/shuffle/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(SHUFFLE): $(SHUFFLE_OBJS) $(HOSTLIB) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf

TOOLS += $(SHUFFLE)

-include $(SHUFFLE_OBJS:.o=.d)

# make demo-images: shuffle an e2e image twice and show what moved.
.PHONY: demo-images
demo-images: $(SHUFFLE) $(VERIFY) e2e-images
	build-tools/demo $(SHUFFLE) $(VERIFY) $(BUILD)/demo $(firstword $(E2E_IMAGES))
