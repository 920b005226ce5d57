# bench/bench.mk: make bench, its shared settings and the x86_64_defconfig kernels it measures (bench/README.md).
#
#   make bench                 the defconfig kernels (BENCH_DEFCONFIG=1), every
#                              part in turn, then bench-report
#   make bench-<part>          one part (shuffle, callgrind, entropy, boot,
#                              hackbench, size, build, layout, pie); each writes
#                              $(BENCH_OUT)/<part>.csv, <part>.md and plots
#   make bench-report          $(BENCH_OUT)/summary.md from the parts' .md
#   make bench-kernel-defconfig  base + fgk kernels of x86_64_defconfig
#                              (a separate BUILD: $(BENCH_DC_BUILD))
#
# Parts run one after the other (never in parallel: they time things).

BENCH_OUT ?= bench/results
BENCH_DIR := $(BUILD)/bench
# The x86_64_defconfig kernels live in their own BUILD (tree, tools, out-*).
BENCH_DC_BUILD := $(BENCH_DIR)/defconfig
BENCH_DC_CONFIG := $(BENCH_DIR)/x86_64_defconfig.config
# Debian's python3 (python3-matplotlib, python3-scipy), not a pyenv one.
BENCH_PY := /usr/bin/python3
BENCH_PARTS := shuffle callgrind entropy size build boot hackbench layout pie
# 1: make bench first builds the x86_64_defconfig kernels (cold: about
# 25 minutes a flavour on 2 cores; with a warm ccache a few minutes);
# 0: the parts measure whatever is built and say what they skipped.
BENCH_DEFCONFIG ?= 1
# Sub-makes for the defconfig kernels share the dependency stamp.
BENCH_DC_MAKE = $(MAKE) --no-print-directory BUILD=$(BENCH_DC_BUILD) \
	DEPS_STAMP=$(DEPS_STAMP) KCONFIG=$(abspath $(BENCH_DC_CONFIG))

.PHONY: bench bench-report bench-kernel-defconfig $(addprefix bench-,$(BENCH_PARTS))
bench: | $(DEPS_STAMP)
	@set -e; if [ "$(BENCH_DEFCONFIG)" = 1 ]; then \
		echo "== bench: x86_64_defconfig kernels ($$(date +%T))"; \
		$(MAKE) --no-print-directory bench-kernel-defconfig; \
	fi; \
	for p in $(BENCH_PARTS); do \
		echo "== bench: $$p ($$(date +%T))"; \
		$(MAKE) --no-print-directory bench-$$p; \
	done
	@$(MAKE) --no-print-directory bench-report

bench-report: | $(DEPS_STAMP)
	$(BENCH_PY) bench/report.py $(BENCH_OUT)

bench-kernel-defconfig: $(BENCH_DC_CONFIG)
	$(BENCH_DC_MAKE) kernel

# x86_64_defconfig as a full .config, made in the test tree (same sources).
$(BENCH_DC_CONFIG): $(BUILD)/kernel/.tree-stamp
	@mkdir -p $(BENCH_DIR)/defconfig-gen
	$(MAKE) -s -C $(BUILD)/kernel/linux O=$(abspath $(BENCH_DIR)/defconfig-gen) x86_64_defconfig
	cp $(BENCH_DIR)/defconfig-gen/.config $@
