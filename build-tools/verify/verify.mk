# build-tools/verify/verify.mk: fgk-verify (disassembler-based checker of a shuffled ELF) and its tests.

VERIFY_DIR := $(BUILD)/host/verify
VERIFY_OBJS := $(patsubst build-tools/verify/%.c,$(VERIFY_DIR)/%.o,$(wildcard build-tools/verify/*.c))
VERIFY_TEST_DIR := $(BUILD)/tests/verify
CORRUPT := $(VERIFY_TEST_DIR)/corrupt
MAPBEND := $(VERIFY_TEST_DIR)/mapbend

$(VERIFY_DIR)/%.o: build-tools/verify/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(VERIFY): $(VERIFY_OBJS) $(HOSTLIB) $(RT_HOST_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone

$(VERIFY_TEST_DIR)/%.o: tests/verify/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(CORRUPT): $(VERIFY_TEST_DIR)/corrupt.o $(HOSTLIB) $(RT_HOST_LIB)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf -lcapstone

$(MAPBEND): $(VERIFY_TEST_DIR)/mapbend.o $(HOSTLIB) $(RT_HOST_LIB)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lelf

TOOLS += $(VERIFY)

-include $(VERIFY_OBJS:.o=.d) $(VERIFY_TEST_DIR)/corrupt.d $(VERIFY_TEST_DIR)/mapbend.d

# check-verify: shuffle every e2e image with several seeds; fgk-verify must
# pass, objdump and nm must read the output; then damaged outputs must fail
# fgk-verify, naming the damaged function. E2E_IMAGES is defined after this
# file is read, so it is used in the recipe only. run-cases: small images,
# one per kind of false report fgk-verify once made on a real kernel.
.PHONY: check-verify
check-verify: $(SHUFFLE) $(VERIFY) $(CORRUPT) $(MAPBEND) $(MKMAP) e2e-images
	tests/verify/run-tests $(SHUFFLE) $(VERIFY) $(CORRUPT) $(MAPBEND) $(VERIFY_TEST_DIR)/work $(E2E_IMAGES)
	tests/verify/run-cases $(MKMAP) $(SHUFFLE) $(VERIFY) $(CORRUPT) $(VERIFY_TEST_DIR)/cases

CHECKS += check-verify
