# runtime/build.mk: the freestanding runtime object, its host libraries, and the freestanding check.

RT_SRCS := $(wildcard runtime/*.c)
RT_NAMES := $(notdir $(RT_SRCS:.c=.o))
RT_FREE_OBJS := $(addprefix $(BUILD)/runtime/,$(RT_NAMES))
RT_HOST_OBJS := $(addprefix $(BUILD)/host/runtime/,$(RT_NAMES))
RT_OPT_OBJS := $(addprefix $(BUILD)/host-opt/runtime/,$(RT_NAMES))
RT_CHECK := runtime/check-freestanding runtime/allowlist

# Keep gcc from turning the copy/fill loops of mem.c into memcpy/memset calls
# (clang does not without -fbuiltin; the check below proves it for both).
RT_LOCAL_CFLAGS := -fno-tree-loop-distribute-patterns -MMD -MP
# The same object built by clang, the kernel's other compiler.
RT_CLANG := clang
RT_CLANG_OBJ := $(BUILD)/runtime-clang/fgk-runtime.o
RT_CLANG_OBJS := $(addprefix $(BUILD)/runtime-clang/,$(RT_NAMES))
# For benchmarks: optimized, no sanitizers.
RT_OPT_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -MMD -MP

$(BUILD)/runtime/%.o: runtime/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) $(RT_LOCAL_CFLAGS) -c $< -o $@

$(BUILD)/runtime-clang/%.o: runtime/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(RT_CLANG) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/runtime/%.o: runtime/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host-opt/runtime/%.o: runtime/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RT_OPT_CFLAGS) -c $< -o $@

# One relocatable object for the boot code to link; checked before it is kept.
$(RT_OBJ): $(RT_FREE_OBJS) $(RT_CHECK)
	ld -r -o $@.tmp $(RT_FREE_OBJS)
	runtime/check-freestanding $@.tmp runtime/allowlist
	mv $@.tmp $@

$(RT_CLANG_OBJ): $(RT_CLANG_OBJS) $(RT_CHECK)
	ld -r -o $@.tmp $(RT_CLANG_OBJS)
	runtime/check-freestanding $@.tmp runtime/allowlist
	mv $@.tmp $@

$(RT_HOST_LIB): $(RT_HOST_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(RT_OPT_LIB): $(RT_OPT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

.PHONY: check-freestanding
check-freestanding: $(RT_OBJ) $(RT_CLANG_OBJ)
	runtime/check-freestanding $(RT_OBJ) runtime/allowlist
	runtime/check-freestanding $(RT_CLANG_OBJ) runtime/allowlist

TOOLS += $(RT_OBJ) $(RT_CLANG_OBJ) $(RT_HOST_LIB) $(RT_OPT_LIB)
CHECKS += check-freestanding

-include $(RT_FREE_OBJS:.o=.d) $(RT_CLANG_OBJS:.o=.d) $(RT_HOST_OBJS:.o=.d) $(RT_OPT_OBJS:.o=.d)
