# bench/qemu.mk: make bench-boot and make bench-hackbench: QEMU (TCG) boots of base against fgk (bench/qemu/README.md).
#
# Both use the test-config kernels (make kernel) and, when built, the
# x86_64_defconfig ones (make bench-kernel-defconfig; never built from here).
# Work files and serial logs: $(BENCH_QEMU_DIR).

BENCH_QEMU_DIR := $(BUILD)/bench/qemu
BENCH_QEMU_SMP ?= 2
BENCH_QEMU_MEM ?= 512
BENCH_QEMU_TIMEOUT ?= 300
# Boots go in groups, one of each flavour: base, fgk and (BENCH_QEMU_CONTROL=1)
# fgk-off, the fgk kernel with nofgkaslr (link order: the same image unshuffled).
# The order within each group is drawn from BENCH_ORDER_SEED.
BENCH_QEMU_CONTROL ?= 1
BENCH_ORDER_SEED ?= 1
# tsc_early_khz= tsc=reliable for the guest (TCG's guest TSC is the host's):
# auto (the host's TSC frequency), a number, or 0 to let the guest calibrate
# (bench/qemu/README.md: it fails at random under TCG).
BENCH_QEMU_TSC_KHZ ?= auto

# bench-boot: boots of each flavour (after BENCH_BOOT_WARMUP discarded groups)
BENCH_BOOTS ?= 20
BENCH_BOOTS_DEFCONFIG ?= 20
BENCH_BOOT_WARMUP ?= 1
# initcall_blacklist: the test config's boot-time self-test (lib/test_fgkaslr.c,
# ~0.8 s under TCG, not the same work in both flavours) is not part of a boot.
BENCH_QEMU_APPEND ?= console=ttyS0 panic=-1 initcall_blacklist=test_fgkaslr_init
# earlyprintk: the decompressor's messages, timed on the host
BENCH_BOOT_APPEND ?= $(BENCH_QEMU_APPEND) earlyprintk=serial,ttyS0

# bench-hackbench: one group of boots per seed and round; runs per boot,
# the first a warm-up. The test config has no NET: pipes (-p).
BENCH_HACK_SEEDS ?= 1 2 3 4 5
BENCH_HACK_SEEDS_DEFCONFIG ?= 1 2 3
BENCH_HACK_ROUNDS ?= 2
BENCH_HACK_RUNS ?= 6
BENCH_HACK_ARGS ?= -p -g 4 -l 500
BENCH_HACK_ARGS_DEFCONFIG ?= -g 4 -l 200
BENCH_HACK_APPEND ?= $(BENCH_QEMU_APPEND)

BENCH_QEMU_COMMON = --out $(BENCH_OUT) --work $(BENCH_QEMU_DIR) --smp $(BENCH_QEMU_SMP) \
	--mem $(BENCH_QEMU_MEM) --timeout $(BENCH_QEMU_TIMEOUT) --order-seed $(BENCH_ORDER_SEED) \
	--tsc-khz $(BENCH_QEMU_TSC_KHZ) --control $(BENCH_QEMU_CONTROL)
# Where both configs' kernels are (kernel.mk's kernel-paths), saved for the scripts.
define bench_qemu_paths
	@mkdir -p $(BENCH_QEMU_DIR)
	@$(MAKE) --no-print-directory -s kernel-paths > $(BENCH_QEMU_DIR)/paths-test
	@$(MAKE) --no-print-directory -s BUILD=$(BENCH_DC_BUILD) kernel-paths > $(BENCH_QEMU_DIR)/paths-defconfig
endef

.PHONY: bench-boot bench-hackbench
bench-boot: kernel $(BENCH_QEMU_DIR)/boot.cpio.gz | $(DEPS_STAMP)
	$(bench_qemu_paths)
	$(BENCH_PY) bench/qemu/boot.py $(BENCH_QEMU_COMMON) --initrd $(BENCH_QEMU_DIR)/boot.cpio.gz \
		--warmup $(BENCH_BOOT_WARMUP) --append "$(BENCH_BOOT_APPEND)" \
		--config test $(BENCH_QEMU_DIR)/paths-test $(BENCH_BOOTS) \
		--config defconfig $(BENCH_QEMU_DIR)/paths-defconfig $(BENCH_BOOTS_DEFCONFIG) \
		--settings "BENCH_BOOTS=$(BENCH_BOOTS), BENCH_BOOTS_DEFCONFIG=$(BENCH_BOOTS_DEFCONFIG), \
BENCH_BOOT_WARMUP=$(BENCH_BOOT_WARMUP), BENCH_ORDER_SEED=$(BENCH_ORDER_SEED), BENCH_QEMU_CONTROL=$(BENCH_QEMU_CONTROL), \
BENCH_QEMU_SMP=$(BENCH_QEMU_SMP), BENCH_QEMU_MEM=$(BENCH_QEMU_MEM), BENCH_QEMU_TSC_KHZ=$(BENCH_QEMU_TSC_KHZ)"

bench-hackbench: kernel $(BENCH_QEMU_DIR)/hackbench.cpio.gz | $(DEPS_STAMP)
	$(bench_qemu_paths)
	$(BENCH_PY) bench/qemu/hackbench.py $(BENCH_QEMU_COMMON) --initrd $(BENCH_QEMU_DIR)/hackbench.cpio.gz \
		--rounds $(BENCH_HACK_ROUNDS) --runs $(BENCH_HACK_RUNS) --append "$(BENCH_HACK_APPEND)" \
		--config test $(BENCH_QEMU_DIR)/paths-test "$(BENCH_HACK_SEEDS)" "$(BENCH_HACK_ARGS)" \
		--config defconfig $(BENCH_QEMU_DIR)/paths-defconfig "$(BENCH_HACK_SEEDS_DEFCONFIG)" \
			"$(BENCH_HACK_ARGS_DEFCONFIG)" \
		--settings "BENCH_HACK_SEEDS=$(BENCH_HACK_SEEDS), BENCH_HACK_SEEDS_DEFCONFIG=$(BENCH_HACK_SEEDS_DEFCONFIG), \
BENCH_HACK_ROUNDS=$(BENCH_HACK_ROUNDS), BENCH_HACK_RUNS=$(BENCH_HACK_RUNS), \
BENCH_HACK_ARGS=$(BENCH_HACK_ARGS), BENCH_HACK_ARGS_DEFCONFIG=$(BENCH_HACK_ARGS_DEFCONFIG), \
BENCH_ORDER_SEED=$(BENCH_ORDER_SEED), BENCH_QEMU_CONTROL=$(BENCH_QEMU_CONTROL), BENCH_QEMU_SMP=$(BENCH_QEMU_SMP), BENCH_QEMU_MEM=$(BENCH_QEMU_MEM), \
BENCH_QEMU_TSC_KHZ=$(BENCH_QEMU_TSC_KHZ)"

# bench-layout: hackbench on the test config's fgk kernel with the fixed text
# moved (make kernel-layout: FG_KASLR_TEXT_SLACK + 64 B and + 4 KiB), all
# with nofgkaslr, against fgk-off and base (bench/qemu/layout.py says why).
BENCH_LAYOUT_ROUNDS ?= 12
.PHONY: bench-layout
bench-layout: kernel kernel-layout $(BENCH_QEMU_DIR)/hackbench.cpio.gz | $(DEPS_STAMP)
	$(BENCH_PY) bench/qemu/layout.py --out $(BENCH_OUT) --work $(BENCH_QEMU_DIR) \
		--initrd $(BENCH_QEMU_DIR)/hackbench.cpio.gz --rounds $(BENCH_LAYOUT_ROUNDS) \
		--runs $(BENCH_HACK_RUNS) --args "$(BENCH_HACK_ARGS)" --append "$(BENCH_HACK_APPEND)" \
		--smp $(BENCH_QEMU_SMP) --mem $(BENCH_QEMU_MEM) --timeout $(BENCH_QEMU_TIMEOUT) \
		--order-seed $(BENCH_ORDER_SEED) --tsc-khz $(BENCH_QEMU_TSC_KHZ) \
		fgk-off=$(KERNEL_DIR)/out-fgk/arch/x86/boot/bzImage:nofgkaslr \
		base=$(KERNEL_DIR)/out-base/arch/x86/boot/bzImage \
		$(foreach f,$(KERNEL_LAYOUT_FLAVOURS),$(f)=$(KERNEL_DIR)/out-$(f)/arch/x86/boot/bzImage:nofgkaslr)

# The initramfs images: busybox-static, a bench /init, hackbench and its libraries.
$(BENCH_QEMU_DIR)/boot.cpio.gz: bench/qemu/mkinitramfs bench/qemu/init-boot.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	bench/qemu/mkinitramfs $@ bench/qemu/init-boot.sh
$(BENCH_QEMU_DIR)/hackbench.cpio.gz: bench/qemu/mkinitramfs bench/qemu/init-hackbench.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	bench/qemu/mkinitramfs $@ bench/qemu/init-hackbench.sh hackbench
