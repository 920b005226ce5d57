# kernel/test.mk: boot tests of the fgkaslr kernel in QEMU (kernel/test/).
#   make check-kernel  fgk-shuffle + fgk-verify of the fgk vmlinux (3 seeds), then
#                      6 boots: base, fgkaslr.seed=1, =2, =1, no seed, nofgkaslr
#                      (kernel/test/check-boots says what each boot must show)
#   make check-kernel-clang  the same for the kernels clang builds (make kernel-clang)
#   make check-kernel-pie    the same for the kernels linked as PIE (make kernel-pie,
#                      CONFIG_X86_PIE), and kernel/test/check-pie-relocs on both
#   make check-kernel-clang-pie  the same for clang's PIE kernels (make kernel-clang-pie)
#   make check-decoders  the fgk-mkmap each fgk kernel built (the kernel's own x86
#                      decoder) and this repository's (capstone) on that kernel:
#                      identical maps, the same answer for every field in code
#   make soak          SOAK_BOOTS (50) boots of the fgk kernel, fgkaslr.seed=1..N, each with
#                      the kernel's self-tests; the table goes to bench/results/soak.md
#   make demo-kernel   boot the fgk kernel twice, show where functions went
# The kernels come from kernel/kernel.mk (`make kernel`, `make -s kernel-paths`).
KTEST_SCRIPTS := $(wildcard kernel/test/*) $(wildcard kernel/test/module/*)

.PHONY: check-kernel check-kernel-clang check-kernel-pie check-kernel-clang-pie check-decoders \
	soak demo-kernel demo
check-kernel: kernel kernel-badmap $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	MAKE="$(MAKE)" kernel/test/run-check check $(BUILD) $(SHUFFLE) $(VERIFY)

check-kernel-clang: kernel-clang kernel-clang-badmap $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	MAKE="$(MAKE)" FGK_FLAVOURS=clang- kernel/test/run-check check $(BUILD) $(SHUFFLE) $(VERIFY)

check-kernel-pie: kernel-pie kernel-pie-badmap $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	kernel/test/check-pie-relocs $(abspath $(KERNEL_SRC))/arch/x86/tools/check-pie-relocs.sh \
		$(BUILD)/kernel/test-pie/check-pie-relocs $(abspath $(KERNEL_DIR)/out-pie-base $(KERNEL_DIR)/out-pie-fgk)
	MAKE="$(MAKE)" FGK_FLAVOURS=pie- kernel/test/run-check check $(BUILD) $(SHUFFLE) $(VERIFY)

check-kernel-clang-pie: kernel-clang-pie kernel-clang-pie-badmap $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	kernel/test/check-pie-relocs $(abspath $(KERNEL_SRC))/arch/x86/tools/check-pie-relocs.sh \
		$(BUILD)/kernel/test-clang-pie/check-pie-relocs \
		$(abspath $(KERNEL_DIR)/out-clang-pie-base $(KERNEL_DIR)/out-clang-pie-fgk)
	MAKE="$(MAKE)" FGK_FLAVOURS=clang-pie- kernel/test/run-check check $(BUILD) $(SHUFFLE) $(VERIFY)

check-decoders: kernel kernel-clang $(MKMAP)
	kernel/test/check-decoders $(MKMAP) $(BUILD)/kernel/decoders $(BUILD)/kernel/out-fgk $(BUILD)/kernel/out-clang-fgk

SOAK_BOOTS ?= 50
soak: kernel $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	MAKE="$(MAKE)" SOAK_BOOTS=$(SOAK_BOOTS) SOAK_OUT=$(abspath bench/results/soak.md) \
		kernel/test/run-check soak $(BUILD) $(SHUFFLE) $(VERIFY)

# make demo: build the fgkaslr kernel, boot it twice, show where functions went.
demo: demo-kernel

demo-kernel: kernel $(SHUFFLE) $(VERIFY) $(KTEST_SCRIPTS)
	MAKE="$(MAKE)" kernel/test/run-check demo $(BUILD) $(SHUFFLE) $(VERIFY)

CHECKS += check-kernel check-kernel-clang check-kernel-pie check-kernel-clang-pie check-decoders
