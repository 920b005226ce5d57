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

$(VERIFY): $(VERIFY_OBJS) $(MAPW_LIB) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone -lxxhash

$(VERIFY_TEST_DIR)/%.o: tests/verify/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(CORRUPT): $(VERIFY_TEST_DIR)/corrupt.o $(SHV_DIR)/elfimg.o
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone

MAPBEND := $(VERIFY_TEST_DIR)/mapbend
$(MAPBEND): $(VERIFY_TEST_DIR)/mapbend.o $(ELFIMG_OBJS) $(MAPW_LIB) $(RT_HOST_LIB)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lxxhash

TOOLS += $(SHUFFLE) $(VERIFY)

-include $(SHUFFLE_OBJS:.o=.d) $(VERIFY_OBJS:.o=.d) $(VERIFY_TEST_DIR)/corrupt.d $(VERIFY_TEST_DIR)/mapbend.d

# check-verify: shuffle every e2e image with several seeds; fgk-verify must
# pass, objdump and nm must read the output; then damaged outputs must fail
# fgk-verify, naming the damaged function. E2E_IMAGES is defined after this
# file is read, so it is used in the recipe only. run-cases: small images,
# one per kind of false report fgk-verify once made on a real kernel.
.PHONY: check-verify demo-images
check-verify: $(SHUFFLE) $(VERIFY) $(CORRUPT) $(MAPBEND) $(MKMAP) e2e-images
	tests/verify/run-tests $(SHUFFLE) $(VERIFY) $(CORRUPT) $(MAPBEND) $(VERIFY_TEST_DIR)/work $(E2E_IMAGES)
	tests/verify/run-cases $(MKMAP) $(SHUFFLE) $(VERIFY) $(CORRUPT) $(VERIFY_TEST_DIR)/cases

CHECKS += check-verify

# make demo-images: shuffle an e2e image twice and show what moved.
demo-images: $(SHUFFLE) $(VERIFY) e2e-images
	build-tools/demo $(SHUFFLE) $(VERIFY) $(BUILD)/demo $(firstword $(E2E_IMAGES))
