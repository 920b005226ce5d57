# bench/size.mk: make bench-size (file and boot-memory sizes) and make bench-build (cold build and relink time), base vs fgk.
#
#   make bench-size    vmlinux, bzImage, init_size, the map against
#                      vmlinux.relocs, for the test config and (when
#                      built) x86_64_defconfig: $(BENCH_OUT)/size.*
#   make bench-build   cold kernel builds (no ccache) and relinks, base
#                      against fgk, in their own BUILDs under
#                      $(BENCH_DIR)/build-time/, and fgk-mkmap's run time:
#                      $(BENCH_OUT)/build.*
#
# BENCH_SIZE_CONFIGS: test, defconfig and/or test-clang (the test config
# built by clang, make kernel-clang; each measured when built).
# bench-build settings (printed into build.md):
#   BENCH_BUILD_CONFIGS  test and/or defconfig (a cold defconfig build takes
#                        ~25 min per flavour on 2 cores)
#   BENCH_BUILD_REPS     cold builds per flavour, interleaved (base fgk, fgk base, ...);
#                        a cold test-config build takes ~2.5 min on 2 idle cores
#   BENCH_LINK_REPS      relinks per flavour (touch init/version.c), interleaved
#   BENCH_MKMAP_REPS     direct runs of fgk-mkmap on the fgk vmlinux
#   BENCH_BUILD_KEEP     1: keep the out-* dirs of the timed builds (else removed
#                        after measuring; the unpacked tree is kept)
#   KERNEL_JOBS          make -j of the kernel builds (kernel/kernel.mk)

BENCH_SIZE_CONFIGS ?= test defconfig test-clang
BENCH_BUILD_CONFIGS ?= test
BENCH_BUILD_REPS ?= 3
BENCH_LINK_REPS ?= 5
BENCH_MKMAP_REPS ?= 5
BENCH_BUILD_KEEP ?= 0
BENCH_BUILD_DIR := $(BENCH_DIR)/build-time
# fgk-mkmap without sanitizers at -O2, to compare with the checked build
# (ASan + UBSan, -O1) that the kernel build runs.
BENCH_MKMAP_O2 := $(BENCH_DIR)/mkmap-O2/fgk-mkmap
# The BUILD each config's kernels are in (kernel.mk's layout).
bench_size_build = $(if $(filter defconfig,$(1)),$(BENCH_DC_BUILD),$(BUILD))
# Not $(MAKE) in the recipes: make -n must not run the benchmark.
BENCH_SUBMAKE := $(MAKE)

.PHONY: bench-size bench-build
bench-size: kernel kernel-clang | $(DEPS_STAMP)
	$(BENCH_PY) bench/size/size.py --out $(BENCH_OUT) --make "$(BENCH_SUBMAKE)" \
		$(foreach c,$(BENCH_SIZE_CONFIGS),$(c)=$(call bench_size_build,$(c)))

bench-build: $(BENCH_MKMAP_O2) \
		$(if $(filter defconfig,$(BENCH_BUILD_CONFIGS)),$(BENCH_DC_CONFIG)) | $(DEPS_STAMP)
	$(BENCH_PY) bench/size/build.py --out $(BENCH_OUT) --make "$(BENCH_SUBMAKE)" \
		--dir $(BENCH_BUILD_DIR) --deps-stamp $(DEPS_STAMP) --jobs $(KERNEL_JOBS) \
		--configs "$(BENCH_BUILD_CONFIGS)" --reps $(BENCH_BUILD_REPS) \
		--link-reps $(BENCH_LINK_REPS) --mkmap-reps $(BENCH_MKMAP_REPS) \
		--keep $(BENCH_BUILD_KEEP) --dc-config $(abspath $(BENCH_DC_CONFIG)) \
		--mkmap-o2 $(BENCH_MKMAP_O2) \
		--built test=$(BUILD) --built defconfig=$(BENCH_DC_BUILD)

# (build-tools/mkmap/mkmap.mk is included after this file: its variables are not set yet.)
BENCH_MKMAP_SRCS := $(filter-out %/mkmap_decode_kernel.c,$(sort $(wildcard build-tools/mkmap/*.c))) \
	$(wildcard build-tools/lib/*.c) \
	$(wildcard runtime/*.c)
$(BENCH_MKMAP_O2): $(BENCH_MKMAP_SRCS) $(wildcard build-tools/mkmap/*.h build-tools/lib/*.h) \
		include/fgk_map.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Iinclude -Ibuild-tools/lib -Ibuild-tools/mkmap -o $@ $(BENCH_MKMAP_SRCS) \
		-lelf -lcapstone
