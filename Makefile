# Makefile: build, test and demo fgkaslr (make demo, make check).
#
# Each part adds its rules in a fragment next to its sources
# (runtime/build.mk, build-tools/*/*.mk, tests/*/tests.mk, bench/*.mk, kernel/*.mk);
# fragments append their test targets to CHECKS.

BUILD ?= build
CC ?= gcc
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Ibuild-tools/lib $(SAN)
HOST_LDFLAGS := $(SAN)
# The runtime's own flags: kernel decompressor style, freestanding.
RT_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude \
	-ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fPIE \
	-mno-sse -mno-mmx -mno-sse2 -mno-avx -mno-red-zone -fno-asynchronous-unwind-tables

DEPS_STAMP := $(BUILD)/.deps-installed

# Paths shared between fragments (defined here because fragments are
# included in name order and prerequisites expand at once).
BIN := $(BUILD)/bin
MKMAP := $(BIN)/fgk-mkmap
SHUFFLE := $(BIN)/fgk-shuffle
VERIFY := $(BIN)/fgk-verify
RT_OBJ := $(BUILD)/runtime/fgk-runtime.o
RT_HOST_LIB := $(BUILD)/host/libfgkrt.a
RT_OPT_LIB := $(BUILD)/host-opt/libfgkrt.a
E2E_DIR := $(BUILD)/tests/e2e
CHECKS :=
TOOLS :=

.PHONY: all check demo deps clean
all:

deps: $(DEPS_STAMP)
$(DEPS_STAMP): build-tools/install-deps
	build-tools/install-deps
	@mkdir -p $(@D) && touch $@

# The host library (build-tools/lib/): errors, allocation, files, ELF
# loading and the map writer, for every host tool and test program. It
# calls the runtime (checksum, map reader): link it before RT_HOST_LIB.
HOSTLIB := $(BUILD)/host/libfgkhost.a
HOSTLIB_SRCS := $(wildcard build-tools/lib/*.c)
$(BUILD)/host/lib/%.o: build-tools/lib/%.c $(wildcard build-tools/lib/*.h) include/fgk_map.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@
$(HOSTLIB): $(patsubst build-tools/lib/%.c,$(BUILD)/host/lib/%.o,$(HOSTLIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

include $(sort $(wildcard runtime/*.mk build-tools/*/*.mk tests/*/tests.mk bench/*.mk kernel/*.mk))

all: $(TOOLS)

check: all $(CHECKS)
	@echo "make check: all tests passed"

clean:
	rm -rf $(BUILD)
