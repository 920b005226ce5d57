# bench/size.mk: make bench-size (file and boot-memory sizes), base vs fgk.
#
#   make bench-size    vmlinux, bzImage, init_size, the map against
#                      vmlinux.relocs, for the test config and (when
#                      built) x86_64_defconfig: $(BENCH_OUT)/size.*
#
# BENCH_SIZE_CONFIGS: test and/or defconfig (measured when built).

BENCH_SIZE_CONFIGS ?= test defconfig
# The BUILD each config's kernels are in (kernel.mk's layout).
bench_size_build = $(if $(filter defconfig,$(1)),$(BENCH_DC_BUILD),$(BUILD))
# Not $(MAKE) in the recipes: make -n must not run the benchmark.
BENCH_SUBMAKE := $(MAKE)

.PHONY: bench-size
bench-size: kernel | $(DEPS_STAMP)
	$(BENCH_PY) bench/size/size.py --out $(BENCH_OUT) --make "$(BENCH_SUBMAKE)" \
		$(foreach c,$(BENCH_SIZE_CONFIGS),$(c)=$(call bench_size_build,$(c)))
