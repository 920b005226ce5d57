# build-tools/shuffle.mk: fgk-shuffle (offline shuffle of an ELF), fgk-verify (disassembler-based checker), their tests, make demo.

SHV_DIR := $(BUILD)/host/shv
ELFIMG_OBJS := $(SHV_DIR)/elfimg.o $(SHV_DIR)/elfimg_map.o
SHUFFLE_OBJS := $(SHV_DIR)/shuffle.o $(SHV_DIR)/shuffle_write.o $(ELFIMG_OBJS)
VERIFY_OBJS := $(patsubst build-tools/%.c,$(SHV_DIR)/%.o,$(wildcard build-tools/verify*.c)) $(ELFIMG_OBJS)
VERIFY_TEST_DIR := $(BUILD)/tests/verify
CORRUPT := $(VERIFY_TEST_DIR)/corrupt

$(SHV_DIR)/%.o: build-tools/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(SHUFFLE): $(SHUFFLE_OBJS) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf

$(VERIFY): $(VERIFY_OBJS) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone

$(VERIFY_TEST_DIR)/%.o: tests/verify/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(CORRUPT): $(VERIFY_TEST_DIR)/corrupt.o $(SHV_DIR)/elfimg.o
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone

TOOLS += $(SHUFFLE) $(VERIFY)

-include $(SHUFFLE_OBJS:.o=.d) $(VERIFY_OBJS:.o=.d) $(VERIFY_TEST_DIR)/corrupt.d
