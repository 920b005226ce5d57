# tests/e2e/tests.mk: build the end-to-end test images (ET_EXEC and PIE) and their maps, shuffle and run them.
#
# For others: E2E_IMAGES (the .elf files), E2E_MAPS (their .fgkmap files),
# and `make e2e-images` to build both. Next to each image: IMG.ldmap.

E2E_SRC := tests/e2e
E2E_HOST := $(E2E_DIR)/host
E2E_GEN_DIR := $(E2E_DIR)/gen
E2E_VARIANTS := exec pie
E2E_IMAGES := $(E2E_VARIANTS:%=$(E2E_DIR)/%.elf)
E2E_MAPS := $(E2E_VARIANTS:%=$(E2E_DIR)/%.fgkmap)

.PHONY: e2e-images check-e2e
e2e-images: $(E2E_IMAGES) $(E2E_MAPS)
CHECKS += check-e2e

# ---- host tools: the source generator, the post-link tool, the loader ----

E2E_HOST_CFLAGS := $(HOST_CFLAGS) -I$(E2E_SRC) -MMD -MP
E2E_GEN := $(E2E_HOST)/gen_image
E2E_POSTLINK := $(E2E_HOST)/e2e-postlink

$(E2E_HOST)/%.o: $(E2E_SRC)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(E2E_HOST_CFLAGS) -c $< -o $@

$(E2E_GEN): $(addprefix $(E2E_HOST)/,gen_image.o gen_image_emit.o) $(HOSTLIB)
	$(CC) $^ $(HOST_LDFLAGS) -o $@

$(E2E_POSTLINK): $(addprefix $(E2E_HOST)/,postlink_main.o postlink_funcs.o postlink_sort.o \
		postlink_orc.o postlink_kallsyms.o elf_file.o) $(HOSTLIB)
	$(CC) $^ $(HOST_LDFLAGS) -o $@

-include $(wildcard $(E2E_HOST)/*.d)

# ---- generated image sources (deterministic) ----

E2E_GEN_NAMES := $(foreach n,0 1 2 3 4 5 6 7,funcs_$(n))
E2E_PADDED := funcs_2 funcs_5
E2E_GEN_STAMP := $(E2E_GEN_DIR)/.stamp

$(E2E_GEN_STAMP): $(E2E_GEN)
	@mkdir -p $(@D)
	$(E2E_GEN) $(E2E_GEN_DIR)
	@touch $@

# ---- the images: two variants of the same sources ----

E2E_IMG_CFLAGS := -std=gnu11 -O2 -g0 -Wall -Werror -ffreestanding -fno-stack-protector \
	-ffunction-sections -fno-asynchronous-unwind-tables \
	-pg -mfentry -mrecord-mcount -I$(E2E_SRC) -I$(E2E_GEN_DIR)
# ET_EXEC keeps absolute jump tables and 32-bit absolute references; gcc
# can only turn the __fentry__ calls into nops in non-PIC code.
E2E_exec_CFLAGS := -fno-pic -mcmodel=small -mnop-mcount
# PIE: label-difference jump tables cannot be attributed from the final ELF.
E2E_pie_CFLAGS := -fPIE -fno-jump-tables
E2E_LDFLAGS := -nostdlib -Wl,--emit-relocs -Wl,--build-id=sha1 -Wl,-T,$(E2E_SRC)/image.lds
E2E_exec_LDFLAGS := -static -no-pie -Wl,--defsym,E2E_LINK_BASE=0x10000000
E2E_pie_LDFLAGS := -pie -Wl,--no-dynamic-linker -Wl,-z,norelro -Wl,-z,notext \
	-Wl,--defsym,E2E_LINK_BASE=0

# $(1): variant. Pass 1 links without the post-link tables to measure them;
# pass 2 links with exactly that space reserved, then fills it in place.
define E2E_VARIANT_RULES
E2E_$(1)_OBJS := $$(E2E_GEN_NAMES:%=$(E2E_DIR)/$(1)/%.o) $(E2E_DIR)/$(1)/asm_group.o \
	$(E2E_DIR)/$(1)/ranges.o

$(E2E_DIR)/$(1)/funcs_%.o: $(E2E_GEN_STAMP) $(E2E_SRC)/image_lib.h $(E2E_SRC)/image_abi.h
	@mkdir -p $$(@D)
	$(CC) $(E2E_IMG_CFLAGS) $(E2E_$(1)_CFLAGS) $$(E2E_FILE_CFLAGS) -c $(E2E_GEN_DIR)/funcs_$$*.c -o $$@

# Call padding (CONFIG_CALL_PADDING): 16 nops before the symbol, in its
# section, recorded in __patchable_function_entries (padding before a
# symbol belongs to the function after it).
$(E2E_PADDED:%=$(E2E_DIR)/$(1)/%.o): E2E_FILE_CFLAGS := -fpatchable-function-entry=16,16

$(E2E_DIR)/$(1)/ranges.o: $(E2E_SRC)/ranges.c $(E2E_SRC)/image_lib.h $(E2E_SRC)/image_abi.h
	@mkdir -p $$(@D)
	$(CC) $(E2E_IMG_CFLAGS) $(E2E_$(1)_CFLAGS) -c $$< -o $$@

$(E2E_DIR)/$(1)/asm_group.o: $(E2E_SRC)/asm_group.S $(E2E_SRC)/image_abi.h
	@mkdir -p $$(@D)
	$(CC) $(E2E_IMG_CFLAGS) $(E2E_$(1)_CFLAGS) -c $$< -o $$@

$(E2E_DIR)/$(1)/reserve.S: $$(E2E_$(1)_OBJS) $(E2E_SRC)/image.lds $(E2E_POSTLINK)
	$(CC) $(E2E_LDFLAGS) $(E2E_$(1)_LDFLAGS) -Wl,-Map=$(E2E_DIR)/$(1)/pass1.ldmap \
		-o $(E2E_DIR)/$(1)/pass1.elf $$(E2E_$(1)_OBJS)
	$(E2E_POSTLINK) reserve $(E2E_DIR)/$(1)/pass1.elf $(E2E_DIR)/$(1)/pass1.ldmap $$@

$(E2E_DIR)/$(1)/reserve.o: $(E2E_DIR)/$(1)/reserve.S
	$(CC) $(E2E_IMG_CFLAGS) $(E2E_$(1)_CFLAGS) -c $$< -o $$@

$(E2E_DIR)/$(1).elf: $$(E2E_$(1)_OBJS) $(E2E_DIR)/$(1)/reserve.o $(E2E_SRC)/image.lds $(E2E_POSTLINK)
	$(CC) $(E2E_LDFLAGS) $(E2E_$(1)_LDFLAGS) -Wl,-Map=$(E2E_DIR)/$(1).ldmap \
		-o $$@ $$(E2E_$(1)_OBJS) $(E2E_DIR)/$(1)/reserve.o
	$(E2E_POSTLINK) fill $$@ $(E2E_DIR)/$(1).ldmap || { rm -f $$@; exit 1; }

$(E2E_DIR)/$(1).ldmap: $(E2E_DIR)/$(1).elf

$(E2E_DIR)/$(1).fgkmap: $(E2E_DIR)/$(1).elf $(E2E_SRC)/image.conf $(MKMAP)
	$(MKMAP) --config $(E2E_SRC)/image.conf --ldmap $(E2E_DIR)/$(1).ldmap -o $$@ $$<
endef

$(foreach v,$(E2E_VARIANTS),$(eval $(call E2E_VARIANT_RULES,$(v))))

# ---- the loader and the checks ----

E2E_LOADER := $(E2E_HOST)/e2e-loader
E2E_LOADER_OBJS := $(patsubst $(E2E_SRC)/%.c,$(E2E_HOST)/%.o,$(wildcard $(E2E_SRC)/loader_*.c)) \
	$(E2E_HOST)/elf_file.o
E2E_SEEDS ?= 32
E2E_CORRUPTIONS ?= 24
# E2E_STRICT=1: checks that found known gaps in other components fail too.
E2E_LOADER_FLAGS := --seeds $(E2E_SEEDS) $(if $(E2E_STRICT),--strict)

$(E2E_LOADER): $(E2E_LOADER_OBJS) $(HOSTLIB) $(RT_HOST_LIB)
	$(CC) $^ $(HOST_LDFLAGS) -lxxhash -o $@

# The same loader around the freestanding runtime object the boot code
# links, as gcc and as clang build it.
E2E_LOADER_BOOT := $(E2E_HOST)/e2e-loader-boot
$(E2E_LOADER_BOOT): $(E2E_LOADER_OBJS) $(RT_OBJ) $(HOSTLIB)
	$(CC) $^ $(HOST_LDFLAGS) -lxxhash -o $@
E2E_LOADER_CLANG := $(E2E_HOST)/e2e-loader-clang
$(E2E_LOADER_CLANG): $(E2E_LOADER_OBJS) $(RT_CLANG_OBJ) $(HOSTLIB)
	$(CC) $^ $(HOST_LDFLAGS) -lxxhash -o $@

check-e2e: $(E2E_LOADER) $(E2E_LOADER_BOOT) $(E2E_LOADER_CLANG) $(E2E_IMAGES) $(E2E_MAPS) $(E2E_SRC)/run-check
	$(E2E_SRC)/run-check $(E2E_LOADER) "$(E2E_LOADER_BOOT) $(E2E_LOADER_CLANG)" $(E2E_CORRUPTIONS) \
		"$(E2E_LOADER_FLAGS)" $(E2E_IMAGES)
