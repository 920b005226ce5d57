# tests/unit/tests.mk: the runtime's cmocka unit tests (one file per runtime source), run by check-unit.

UNIT_DIR := $(BUILD)/tests/unit
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(UNIT_SRCS))
UNIT_FIXTURE := $(addprefix $(UNIT_DIR)/,fixture.o world.o expect.o expect_sorted.o owner_cases.o)
UNIT_CFLAGS := $(HOST_CFLAGS) -Iruntime -Itests/unit -MMD -MP
UNIT_LIBS := $(HOSTLIB) $(RT_HOST_LIB) -lcmocka -lxxhash

$(UNIT_DIR)/%.o: tests/unit/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_BINS): $(UNIT_DIR)/%: $(UNIT_DIR)/%.o $(UNIT_FIXTURE) $(HOSTLIB) $(RT_HOST_LIB)
	$(CC) $(HOST_LDFLAGS) $< $(UNIT_FIXTURE) $(UNIT_LIBS) -o $@

# The freestanding check must be able to fail: feed it an object that
# calls memcpy, then one with a pointer in .data, and expect refusals.
UNIT_BAD := $(UNIT_DIR)/bad-call.o $(UNIT_DIR)/bad-data.o
$(UNIT_DIR)/bad-call.o: tests/unit/bad_freestanding.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -DBAD_CALL -c $< -o $@
$(UNIT_DIR)/bad-data.o: tests/unit/bad_freestanding.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -DBAD_DATA -c $< -o $@

.PHONY: check-unit
check-unit: $(UNIT_BINS) $(UNIT_BAD)
	@for t in $(UNIT_BINS); do $$t || exit 1; done
	@for o in $(UNIT_BAD); do \
		if runtime/check-freestanding $$o runtime/allowlist 2>/dev/null; then \
			echo "check-unit: check-freestanding accepted $$o" >&2; exit 1; fi; done
	@echo "check-unit: $(words $(UNIT_BINS)) test programs passed"

CHECKS += check-unit

# check-coverage: the unit tests again, built with gcov, and every line of
# the runtime must have run (tests/unit/coverage).
COV_DIR := $(BUILD)/coverage
.PHONY: check-coverage
check-coverage: | $(DEPS_STAMP)
	@rm -f $(COV_DIR)/host/runtime/*.gcda
	@$(MAKE) --no-print-directory BUILD=$(COV_DIR) SAN="--coverage -O0" check-unit \
		> $(COV_DIR).log 2>&1 || { tail -30 $(COV_DIR).log; exit 1; }
	tests/unit/coverage $(COV_DIR)/host/runtime

CHECKS += check-coverage

-include $(UNIT_DIR)/*.d
