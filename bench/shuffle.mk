# bench/shuffle.mk: the runtime on real kernels: bench-shuffle, bench-callgrind, bench-entropy (bench/README.md).
#
#   make bench-shuffle    time map open and each shuffle phase and table, many
#                         seeds, against the copy floor  -> shuffle.{csv,md,svg}
#   make bench-callgrind  instruction counts of the same, a few seeds
#   make bench-entropy    how much moves, what stays and why, landing uniformity
#
# The harness (bench/harness/, fgk-bench) runs the optimised host build of
# the runtime ($(RT_OPT_LIB)) on each fgk kernel's vmlinux and map: the
# test config (`make kernel`, a prerequisite) and x86_64_defconfig (built
# by `make bench-kernel-defconfig`; skipped with a message when it is not).

BENCH_HARNESS_DIR := $(BUILD)/bench/harness
BENCH_HARNESS := $(BENCH_HARNESS_DIR)/fgk-bench
BENCH_HARNESS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Ibuild-tools/lib \
	-Ibench/harness -Iruntime -MMD -MP
BENCH_HARNESS_OBJS := $(patsubst bench/harness/%.c,$(BENCH_HARNESS_DIR)/%.o,$(wildcard bench/harness/*.c)) \
	$(patsubst build-tools/lib/%.c,$(BENCH_HARNESS_DIR)/tools/%.o,$(wildcard build-tools/lib/*.c))

# Settings (printed into each part's section).
BENCH_SHUFFLE_SEEDS ?= 200
BENCH_CALLGRIND_SEEDS ?= 3
BENCH_ENTROPY_SEEDS ?= 1000
BENCH_ENTROPY_BINS ?= 10
# The base-KASLR move applied with each shuffle (16 MiB: relocations run).
BENCH_BASE_DELTA ?= 0x1000000

$(BENCH_HARNESS_DIR)/%.o: bench/harness/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(BENCH_HARNESS_CFLAGS) -c $< -o $@

# Its own optimised, sanitizer-free build of the ELF loader.
$(BENCH_HARNESS_DIR)/tools/%.o: build-tools/lib/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(BENCH_HARNESS_CFLAGS) -c $< -o $@

$(BENCH_HARNESS): $(BENCH_HARNESS_OBJS) $(RT_OPT_LIB)
	$(CC) -o $@ $^ -lelf

-include $(BENCH_HARNESS_OBJS:.o=.d)

# Built by make all (and so make check): it must keep up with the runtime's API.
TOOLS += $(BENCH_HARNESS)

# "<config> <flavour> <kind> <path>" for every config, built or not
# (test-clang: the test config's clang-base and clang-fgk kernels).
BENCH_KPATHS := $(BENCH_HARNESS_DIR)/kernel-paths
define bench_kernel_paths
	@mkdir -p $(BENCH_HARNESS_DIR) $(BENCH_OUT)
	@{ $(MAKE) -s --no-print-directory kernel-paths | sed 's/^/test /'; \
	   $(MAKE) -s --no-print-directory BUILD=$(BENCH_DC_BUILD) kernel-paths | sed 's/^/defconfig /'; \
	   $(MAKE) -s --no-print-directory kernel-paths-clang | sed 's/^clang-//; s/^/test-clang /'; \
	 } > $(BENCH_KPATHS)
endef
BENCH_HARNESS_RUN = $(BENCH_PY) -B bench/harness/$(1).py --harness $(BENCH_HARNESS) \
	--paths $(BENCH_KPATHS) --work $(BENCH_HARNESS_DIR)/$(1) --out $(BENCH_OUT) \
	--base-delta $(BENCH_BASE_DELTA)

bench-shuffle: kernel kernel-clang $(BENCH_HARNESS)
	$(bench_kernel_paths)
	$(call BENCH_HARNESS_RUN,shuffle) --seeds $(BENCH_SHUFFLE_SEEDS)

bench-callgrind: kernel $(BENCH_HARNESS)
	$(bench_kernel_paths)
	$(call BENCH_HARNESS_RUN,callgrind) --seeds $(BENCH_CALLGRIND_SEEDS)

bench-entropy: kernel $(BENCH_HARNESS)
	$(bench_kernel_paths)
	$(call BENCH_HARNESS_RUN,entropy) --seeds $(BENCH_ENTROPY_SEEDS) --bins $(BENCH_ENTROPY_BINS)
