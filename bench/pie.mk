# bench/pie.mk: make bench-pie: the PIE kernels (CONFIG_X86_PIE) against the fixed-address ones, without and with fgkaslr (bench/pie/pie.py).
#
# Sizes, relocation counts and bytes, the decompressor's relocation loop timed
# on the host (bench/pie/relocs.c), then interleaved QEMU boots to /init and
# hackbench of base, pie-base, fgk and pie-fgk (the test config), and of
# base-prev: the base kernel built from the series without its PIE patches
# (a worktree of the kernel tree at the commit before them), because their
# assembly changes apply to every kernel.

BENCH_PIE_HARNESS := $(BUILD)/bench/pie-relocs
BENCH_PIE_BOOTS ?= 20
BENCH_PIE_HACK_SEEDS ?= 1 2 3 4 5

BENCH_PIE_PREV_SRC := $(BUILD)/kernel/linux-pre-pie
BENCH_PIE_PREV_OUT := $(BUILD)/kernel/out-base-prev
# The last commit before the PIE patches (the in-kernel test's).
BENCH_PIE_PREV_COMMIT = $$($(KERNEL_GIT) log -1 --format=%H --grep='^lib: add test_fgkaslr')

$(BENCH_PIE_PREV_SRC)/.fgk-stamp: $(BUILD)/kernel/.tree-stamp
	rm -rf $(BENCH_PIE_PREV_SRC)
	$(KERNEL_GIT) worktree prune
	$(KERNEL_GIT) worktree add -q --detach $(abspath $(BENCH_PIE_PREV_SRC)) $(BENCH_PIE_PREV_COMMIT)
	touch $@

$(BENCH_PIE_PREV_OUT)/.fgk-built: $(BENCH_PIE_PREV_SRC)/.fgk-stamp $(BUILD)/kernel/out-base/.fgk-built
	@mkdir -p $(@D)
	cp $(KERNEL_DIR)/out-base/.config $(@D)/.config
	$(KERNEL_NICE) env $(KERNEL_ENV) $(MAKE) -C $(BENCH_PIE_PREV_SRC) O=$(abspath $(@D)) \
		CC="$(KERNEL_CC)" -s olddefconfig
	$(KERNEL_NICE) env $(KERNEL_ENV) $(MAKE) -C $(BENCH_PIE_PREV_SRC) O=$(abspath $(@D)) \
		CC="$(KERNEL_CC)" -j$(KERNEL_JOBS) bzImage
	touch $@

$(BENCH_PIE_HARNESS): bench/pie/relocs.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@

.PHONY: bench-pie
bench-pie: kernel kernel-pie $(BENCH_PIE_PREV_OUT)/.fgk-built $(BENCH_PIE_HARNESS) \
		$(BUILD)/bench/qemu/boot.cpio.gz $(BUILD)/bench/qemu/hackbench.cpio.gz | $(DEPS_STAMP)
	@mkdir -p $(BENCH_QEMU_DIR)
	@printf 'base-prev %s %s\n' bzImage $(BENCH_PIE_PREV_OUT)/arch/x86/boot/bzImage \
		vmlinux $(BENCH_PIE_PREV_OUT)/vmlinux builddir $(BENCH_PIE_PREV_OUT) > $(BENCH_QEMU_DIR)/paths-prev
	@$(MAKE) --no-print-directory -s kernel-paths > $(BENCH_QEMU_DIR)/paths-test
	@$(MAKE) --no-print-directory -s kernel-paths-pie > $(BENCH_QEMU_DIR)/paths-pie
	$(BENCH_PY) bench/pie/pie.py --out $(BENCH_OUT) --work $(BENCH_QEMU_DIR) \
		--paths $(BENCH_QEMU_DIR)/paths-test --paths-pie $(BENCH_QEMU_DIR)/paths-pie \
		--harness $(BENCH_PIE_HARNESS) --prev-paths $(BENCH_QEMU_DIR)/paths-prev --boot-initrd $(BENCH_QEMU_DIR)/boot.cpio.gz \
		--hack-initrd $(BENCH_QEMU_DIR)/hackbench.cpio.gz --boots $(BENCH_PIE_BOOTS) \
		--boot-append "$(BENCH_BOOT_APPEND)" --hack-append "$(BENCH_HACK_APPEND)" \
		--hack-seeds "$(BENCH_PIE_HACK_SEEDS)" --hack-runs $(BENCH_HACK_RUNS) \
		--hack-args "$(BENCH_HACK_ARGS)" --smp $(BENCH_QEMU_SMP) --mem $(BENCH_QEMU_MEM) \
		--order-seed $(BENCH_ORDER_SEED) --tsc-khz $(BENCH_QEMU_TSC_KHZ)
