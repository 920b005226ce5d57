# kernel/kernel.mk: build Linux 6.12 with and without fgkaslr (kernel/README.md).
#
#   make kernel              both flavours from one patched tree:
#                              base: FG_KASLR=n, fgk: FG_KASLR=y
#   make kernel-base, make kernel-fgk, make kernel-config (configure only)
#   make kernel-clang        the same two built by clang (KERNEL_CLANG_CC):
#                              clang-base, clang-fgk (with GNU ld)
#   make kernel-pie          the same two linked as PIE (CONFIG_X86_PIE):
#                              pie-base, pie-fgk
#   make kernel-clang-pie    those built by clang: clang-pie-base, clang-pie-fgk
#   make -s kernel-paths     "<flavour> bzImage|vmlinux|map|builddir <path>", one a line
#   make -s kernel-paths-clang   the same for the clang flavours
#   make -s kernel-paths-pie     the same for the PIE flavours
#   make -s kernel-paths-clang-pie   and for clang's
#   make kernel-badmap, kernel-{clang,pie,clang-pie}-badmap   the fgk bzImage with a map
#                            that names another image (for the boot tests)
#   make kernel-layout       the fgk flavour with FG_KASLR_TEXT_SLACK moved
#                            by 64 B and by 4 KiB (fgk-slack4040, fgk-slack5000):
#                            the same code, the fixed text elsewhere (bench-layout)
#   make kernel-clean        remove build/kernel
#
# Configuration: tinyconfig + kernel/config/fgkaslr-test.config, or with
# KCONFIG=<file> that file instead of the test fragment: a fragment is
# merged over tinyconfig, a full .config ("# Automatically generated file")
# is the starting point. Either way the flavour's required options
# (RELOCATABLE, RANDOMIZE_BASE, FG_KASLR=y or n) are merged last; the build
# stops if FG_KASLR=y does not survive olddefconfig (unmet dependencies).
#
# The tree (build/kernel/linux) is a git repository of the pristine
# KERNEL_TARBALL (tag fgk-pristine, made once) with the generated series
# (make series: kernel/series/make-series, into build/series) applied by
# `git am`: the one way the fgkaslr sources reach a kernel. When the series
# changes, the tree goes back to fgk-pristine and the new series is applied
# (files the series does not touch keep their times: kbuild stays
# incremental). Stamps skip kbuild altogether when no input changed.

KERNEL_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
KERNEL_DIR := $(BUILD)/kernel
KERNEL_SRC := $(KERNEL_DIR)/linux
KERNEL_GCC_FLAVOURS := base fgk
KERNEL_CLANG_FLAVOURS := clang-base clang-fgk
KERNEL_PIE_FLAVOURS := pie-base pie-fgk
KERNEL_CLANG_PIE_FLAVOURS := clang-pie-base clang-pie-fgk
# What CONFIG_X86_PIE does not support yet, switched off in the PIE flavours
# (the test config has none of it; a distribution config has most).
KERNEL_HASH := \#
KERNEL_PIE_OFF := $(foreach o,STACKPROTECTOR KEXEC KEXEC_FILE CRASH_DUMP HIBERNATION SUSPEND \
	HYPERVISOR_GUEST PARAVIRT AMD_MEM_ENCRYPT,'$(KERNEL_HASH) CONFIG_$(o) is not set')
# fgk with another text slack (hex bytes; the default is 4000).
KERNEL_LAYOUT_FLAVOURS := fgk-slack4040 fgk-slack5000
KERNEL_FLAVOURS := $(KERNEL_GCC_FLAVOURS) $(KERNEL_CLANG_FLAVOURS) $(KERNEL_PIE_FLAVOURS) \
	$(KERNEL_CLANG_PIE_FLAVOURS) $(KERNEL_LAYOUT_FLAVOURS)
KERNEL_JOBS ?= 2
KERNEL_CC ?= ccache gcc
KERNEL_CLANG_CC ?= ccache clang
# A flavour's compiler, and whether it has FG_KASLR (fgk, clang-fgk).
kernel_cc = $(if $(filter clang-%,$(1)),$(KERNEL_CLANG_CC),$(KERNEL_CC))
kernel_fgk = $(filter fgk clang-fgk pie-fgk clang-pie-fgk fgk-slack%,$(1))
kernel_pie = $(filter pie-% clang-pie-%,$(1))
KERNEL_NICE ?= nice -n 10
KCONFIG ?=
KERNEL_FRAGMENT := $(if $(KCONFIG),$(KCONFIG),kernel/config/fgkaslr-test.config)
# What the series is made of: a change regenerates it and rebuilds the kernels.
SERIES_DIR := $(BUILD)/series
SERIES_INPUTS := $(sort $(wildcard kernel/patches/*.patch kernel/patches/*.gen) \
	$(shell find kernel/tree -type f) $(wildcard runtime/*.c runtime/*.h include/fgk*.h) \
	$(wildcard build-tools/mkmap/* build-tools/lib/*.[ch]) \
	kernel/fgkaslr.conf kernel/series/make-series)
SERIES_STAMP := $(SERIES_DIR)/.stamp
KERNEL_PRISTINE_STAMP := $(KERNEL_DIR)/.pristine-stamp
KERNEL_TREE_STAMP := $(KERNEL_DIR)/.tree-stamp

# Reproducible builds (same bytes from the same inputs); ccache hits across
# trees at other places (paths relative to the build/kernel directory).
KERNEL_ENV := KBUILD_BUILD_TIMESTAMP="2025-01-01 00:00:00 UTC" KBUILD_BUILD_USER=fgk \
	KBUILD_BUILD_HOST=fgk KBUILD_BUILD_VERSION=1 CCACHE_BASEDIR=$(abspath $(KERNEL_DIR))
KERNEL_MAKE = env $(KERNEL_ENV) $(MAKE) -C $(KERNEL_SRC) O=$(abspath $(KERNEL_DIR)/out-$*) \
	CC="$(call kernel_cc,$*)"

KERNEL_TARGETS := kernel kernel-clang kernel-pie kernel-clang-pie kernel-config \
	$(addprefix kernel-,$(KERNEL_FLAVOURS)) kernel-badmap kernel-clang-badmap kernel-pie-badmap \
	kernel-clang-pie-badmap kernel-layout
.PHONY: $(KERNEL_TARGETS) kernel-paths kernel-paths-clang kernel-paths-pie kernel-paths-clang-pie \
	kernel-clean
ifneq ($(KERNEL_LOCKED),1)
# Two builds in one output directory clobber each other (make kernel and
# make check-kernel at once): one make at a time does the work.
$(KERNEL_TARGETS):
	@mkdir -p $(KERNEL_DIR)
	flock $(KERNEL_DIR)/.lock $(MAKE) --no-print-directory KERNEL_LOCKED=1 $@
else
kernel: $(addprefix kernel-,$(KERNEL_GCC_FLAVOURS))
kernel-clang: $(addprefix kernel-,$(KERNEL_CLANG_FLAVOURS))
kernel-pie: $(addprefix kernel-,$(KERNEL_PIE_FLAVOURS))
kernel-clang-pie: $(addprefix kernel-,$(KERNEL_CLANG_PIE_FLAVOURS))
kernel-layout: $(addprefix kernel-,$(KERNEL_LAYOUT_FLAVOURS))
kernel-badmap: $(KERNEL_DIR)/fgk-badmap/bzImage
kernel-clang-badmap: $(KERNEL_DIR)/clang-fgk-badmap/bzImage
kernel-pie-badmap: $(KERNEL_DIR)/pie-fgk-badmap/bzImage
kernel-clang-pie-badmap: $(KERNEL_DIR)/clang-pie-fgk-badmap/bzImage
# Only configure (also keeps make from deleting these as intermediate files).
kernel-config: $(foreach f,$(KERNEL_GCC_FLAVOURS),$(KERNEL_DIR)/out-$(f)/.config $(KERNEL_DIR)/flavour-$(f).config)
.SECONDARY: $(foreach f,$(KERNEL_CLANG_FLAVOURS) $(KERNEL_PIE_FLAVOURS) $(KERNEL_CLANG_PIE_FLAVOURS) $(KERNEL_LAYOUT_FLAVOURS),$(KERNEL_DIR)/out-$(f)/.config $(KERNEL_DIR)/flavour-$(f).config)
$(foreach f,$(KERNEL_FLAVOURS),$(eval kernel-$(f): $(KERNEL_DIR)/out-$(f)/.fgk-built))
endif

# Neither the user's git configuration nor the system's touches the tree.
KERNEL_GIT = GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C $(KERNEL_SRC) \
	-c user.name=fgkaslr -c user.email=fgkaslr@localhost -c advice.detachedHead=false

# The pristine tree, committed once (Debian's .gitignore ignores the top
# level, hence -f).
$(KERNEL_PRISTINE_STAMP): $(wildcard $(KERNEL_TARBALL)) | $(DEPS_STAMP)
	@test -r $(KERNEL_TARBALL) || { echo "kernel: $(KERNEL_TARBALL) missing (make deps installs linux-source-6.12)" >&2; exit 1; }
	rm -rf $(KERNEL_SRC) $(KERNEL_DIR)/unpack $(KERNEL_TREE_STAMP)
	mkdir -p $(KERNEL_DIR)/unpack
	tar -C $(KERNEL_DIR)/unpack -xf $(KERNEL_TARBALL)
	mv $(KERNEL_DIR)/unpack/linux-source-* $(KERNEL_SRC) && rmdir $(KERNEL_DIR)/unpack
	$(KERNEL_GIT) init -q
	$(KERNEL_GIT) add -f -A
	GIT_AUTHOR_DATE="2025-01-01 00:00:00 +0000" GIT_COMMITTER_DATE="2025-01-01 00:00:00 +0000" \
		$(KERNEL_GIT) commit -q -m "Linux 6.12 ($(notdir $(KERNEL_TARBALL)))"
	$(KERNEL_GIT) tag fgk-pristine
	touch $@

# make series: the kernel series in build/series, generated from the
# sources (the files are rewritten only when their bytes change).
.PHONY: series
series: $(SERIES_STAMP)
$(SERIES_STAMP): $(SERIES_INPUTS) $(KERNEL_PRISTINE_STAMP)
	rm -rf $(SERIES_DIR).new
	kernel/series/make-series $(KERNEL_SRC)/.git fgk-pristine $(SERIES_DIR).new
	@diff -r -x .stamp $(SERIES_DIR) $(SERIES_DIR).new >/dev/null 2>&1 || \
		{ rm -rf $(SERIES_DIR) && mv $(SERIES_DIR).new $(SERIES_DIR); }
	rm -rf $(SERIES_DIR).new
	touch $@

# The tree: fgk-pristine plus the series, applied as a maintainer would;
# the stamp holds the applied series' checksum and changes only with it (the
# same series is not applied again, and nothing downstream rebuilds). A
# failed `git am` is aborted, so the next run starts from fgk-pristine again.
$(KERNEL_TREE_STAMP): $(SERIES_STAMP)
	@sum=$$(cat $(SERIES_DIR)/*.patch | sha256sum); \
	if [ "$$sum" != "$$(cat $@ 2>/dev/null)" ]; then \
		echo "kernel: applying $(SERIES_DIR) to fgk-pristine"; \
		rm -f $@; \
		$(KERNEL_GIT) am --abort >/dev/null 2>&1; \
		$(KERNEL_GIT) checkout -q -f --detach fgk-pristine && \
		$(KERNEL_GIT) clean -q -f -d -x && \
		{ $(KERNEL_GIT) am -q $(abspath $(SERIES_DIR))/*.patch || \
		  { $(KERNEL_GIT) am --abort >/dev/null 2>&1; exit 1; }; } && \
		echo "$$sum" > $@; \
	fi

# The required options of each flavour, merged last.
$(KERNEL_DIR)/flavour-%.config: kernel/kernel.mk
	@mkdir -p $(@D)
	@printf '%s\n' CONFIG_64BIT=y CONFIG_RELOCATABLE=y CONFIG_RANDOMIZE_BASE=y \
		$(if $(call kernel_fgk,$*),CONFIG_FG_KASLR=y,'# CONFIG_FG_KASLR is not set') \
		$(if $(call kernel_pie,$*),CONFIG_X86_PIE=y $(KERNEL_PIE_OFF),'# CONFIG_X86_PIE is not set') \
		$(if $(filter fgk-slack%,$*),CONFIG_FG_KASLR_TEXT_SLACK=0x$(patsubst fgk-slack%,%,$*)) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# Rebuild the .config when KCONFIG names another file.
$(KERNEL_DIR)/kconfig-name: FORCE
	@mkdir -p $(@D)
	@echo '$(KERNEL_FRAGMENT)' | cmp -s - $@ 2>/dev/null || echo '$(KERNEL_FRAGMENT)' > $@

$(KERNEL_DIR)/out-%/.config: $(KERNEL_TREE_STAMP) $(KERNEL_FRAGMENT) $(KERNEL_DIR)/flavour-%.config \
		$(KERNEL_DIR)/kconfig-name
	@mkdir -p $(@D)
	@if grep -q '^# Automatically generated file' $(KERNEL_FRAGMENT); then \
		echo "kernel-$*: starting from $(KERNEL_FRAGMENT)"; cp $(KERNEL_FRAGMENT) $@; \
	else \
		$(KERNEL_MAKE) -s tinyconfig >/dev/null && \
		$(KERNEL_SRC)/scripts/kconfig/merge_config.sh -O $(@D) -m $@ $(KERNEL_FRAGMENT) >/dev/null; \
	fi
	$(KERNEL_SRC)/scripts/kconfig/merge_config.sh -O $(@D) -m $@ $(KERNEL_DIR)/flavour-$*.config >/dev/null
	$(KERNEL_MAKE) -s olddefconfig
	@if [ -n "$(call kernel_fgk,$*)" ] && ! grep -q '^CONFIG_FG_KASLR=y' $@; then \
		echo "kernel-$*: CONFIG_FG_KASLR=y did not survive olddefconfig (needs X86_64, RANDOMIZE_BASE, RELOCATABLE, GNU ld, no LTO)" >&2; \
		rm -f $@; exit 1; fi
	@if [ -n "$(call kernel_pie,$*)" ] && ! grep -q '^CONFIG_X86_PIE=y' $@; then \
		echo "kernel-$*: CONFIG_X86_PIE=y did not survive olddefconfig (needs GCC, GNU ld, RANDOMIZE_BASE, no STACKPROTECTOR, XEN, KEXEC_CORE, HIBERNATION, ACPI_SLEEP, PARAVIRT guests, AMD_MEM_ENCRYPT)" >&2; \
		rm -f $@; exit 1; fi

# kbuild runs only when an input changed; it is incremental itself.
$(KERNEL_DIR)/out-%/.fgk-built: $(KERNEL_DIR)/out-%/.config $(KERNEL_TREE_STAMP)
	$(KERNEL_NICE) $(KERNEL_MAKE) -j$(KERNEL_JOBS) bzImage
	touch $@

# A bzImage of the fgk flavour whose map names another image (its build id
# altered by mapbend): the runtime must refuse it and the kernel boot with
# plain KASLR, saying why (kernel/test/run-check). Made by recompressing
# the payload with the altered map, then the build is put back as it was.
$(KERNEL_DIR)/%-badmap/bzImage: $(KERNEL_DIR)/out-%/.fgk-built $(MAPBEND)
	@mkdir -p $(@D)
	@m=$(KERNEL_DIR)/out-$*/arch/x86/boot/compressed/vmlinux.fgkmap; \
	cp $$m $(@D)/good.fgkmap && \
	$(MAPBEND) $(KERNEL_DIR)/out-$*/vmlinux.unstripped $(@D)/good.fgkmap $$m image-id >/dev/null && \
	{ $(KERNEL_MAKE) -s bzImage && cp $(KERNEL_DIR)/out-$*/arch/x86/boot/bzImage $@.tmp; rc=$$?; \
	  cp $(@D)/good.fgkmap $$m && $(KERNEL_MAKE) -s bzImage && [ $$rc = 0 ]; } && mv $@.tmp $@

kernel-paths kernel-paths-clang kernel-paths-pie kernel-paths-clang-pie:
	@for f in $(KERNEL_PATHS_$@); do \
		o=$(KERNEL_DIR)/out-$$f; \
		echo "$$f bzImage $$o/arch/x86/boot/bzImage"; \
		if [ -z "$${f%%*fgk}" ]; then \
			echo "$$f vmlinux $$o/vmlinux.unstripped"; \
			echo "$$f map $$o/arch/x86/boot/compressed/vmlinux.fgkmap"; \
			[ -n "$${f##*pie-*}" ] && echo "$$f relocs $$o/arch/x86/boot/compressed/vmlinux.relocs"; \
			echo "$$f badmap $(KERNEL_DIR)/$$f-badmap/bzImage"; \
		else \
			echo "$$f vmlinux $$o/vmlinux"; \
		fi; \
		echo "$$f builddir $$o"; \
	done

KERNEL_PATHS_kernel-paths := $(KERNEL_GCC_FLAVOURS)
KERNEL_PATHS_kernel-paths-clang := $(KERNEL_CLANG_FLAVOURS)
KERNEL_PATHS_kernel-paths-pie := $(KERNEL_PIE_FLAVOURS)
KERNEL_PATHS_kernel-paths-clang-pie := $(KERNEL_CLANG_PIE_FLAVOURS)

kernel-clean:
	rm -rf $(KERNEL_DIR)

.PHONY: FORCE
FORCE:
