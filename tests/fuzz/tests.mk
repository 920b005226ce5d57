# tests/fuzz/fuzz.mk: libFuzzer harnesses (Debian's clang): `make fuzz` runs each long, make check replays the corpora and runs each briefly.
#
#   make fuzz             FUZZ_SECONDS (default 3600) per harness, one job each;
#                         the corpora grow in $(FUZZ_DIR)/corpus-*, findings
#                         land in $(FUZZ_DIR)/crash-* and fail the target
#   make check-fuzz       committed regression inputs and the seed corpus
#                         replayed, then FUZZ_CHECK_SECONDS (default 15) each
#
# Harnesses:
#   fuzz_map     maps for the e2e ET_EXEC image, checksum recomputed:
#                fgk_map_open + fgk_shuffle (oracles in fuzz_map.c)
#   fuzz_elf     the host tools' ELF loader (elfimg.c, via fgk-mkmap)
#   fuzz_ldmap   fgk-mkmap's GNU ld link-map reader
#   fuzz_config  fgk-mkmap's configuration reader
#   fuzz_pie     a PIE image's RELA/RELR lists: fgk_pie_relocs_count and
#                fgk_map_use_pie_relocs against a reference decoder

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CC := clang
FUZZ_SECONDS ?= 3600
FUZZ_CHECK_SECONDS ?= 15
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror $(FUZZ_SAN) -Iinclude -Iruntime -Ibuild-tools/lib -Ibuild-tools/mkmap
FUZZ_HARNESSES := map elf ldmap config pie
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)
# fgk-mkmap's sources but its main(), for the reader harnesses.
# Not mkmap_selfcheck.c: the readers' harnesses stop before a map is made.
FUZZ_MKMAP_SRCS := $(filter-out %/mkmap.c %/mkmap_selfcheck.c %/mkmap_decode_kernel.c,\
	$(wildcard build-tools/mkmap/mkmap_*.c)) $(filter-out %/elfimg_map.c,$(wildcard build-tools/lib/*.c))

$(FUZZ_DIR)/fuzz_map: tests/fuzz/fuzz_map.c $(RT_SRCS) $(wildcard build-tools/lib/*.c) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -lelf -lxxhash -o $@

$(FUZZ_DIR)/fuzz_pie: tests/fuzz/fuzz_pie.c $(RT_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -o $@

# fgk-mkmap's objects, instrumented once for the three reader harnesses;
# its allocations go through fuzz_arena.c (freed after each input).
FUZZ_MKMAP_OBJS := $(patsubst build-tools/%.c,$(FUZZ_DIR)/mkmap/%.o,$(FUZZ_MKMAP_SRCS)) \
	$(FUZZ_DIR)/mkmap/fuzz_arena.o $(FUZZ_DIR)/mkmap/xxh64.o
FUZZ_WRAP := -Wl,--wrap=calloc,--wrap=realloc,--wrap=strndup,--wrap=vasprintf,--wrap=free
.SECONDARY: $(FUZZ_MKMAP_OBJS)
$(FUZZ_DIR)/mkmap/%.o: build-tools/%.c build-tools/mkmap/mkmap.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/mkmap/xxh64.o: runtime/xxh64.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/mkmap/fuzz_arena.o: tests/fuzz/fuzz_arena.c tests/fuzz/fuzz_arena.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_mkmap.h $(FUZZ_MKMAP_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz $< $(FUZZ_MKMAP_OBJS) $(FUZZ_WRAP) \
		-lelf -lcapstone -lxxhash -o $@

# Seed corpora: the test images and their link maps and configurations.
$(FUZZ_DIR)/seeds/map: $(E2E_DIR)/exec.fgkmap
$(FUZZ_DIR)/seeds/elf: $(E2E_IMAGES)
$(FUZZ_DIR)/seeds/ldmap: $(E2E_DIR)/exec.ldmap $(E2E_DIR)/pie.ldmap
$(FUZZ_DIR)/seeds/config: tests/e2e/image.conf kernel/fgkaslr.conf build-tools/mkmap/mkmap-config.txt
$(filter-out %/pie,$(FUZZ_HARNESSES:%=$(FUZZ_DIR)/seeds/%)):
	@rm -rf $@ && mkdir -p $@
	cp $^ $@/
# fuzz_pie: the e2e PIE image's .rela.dyn, after its entry count (at most 255).
$(FUZZ_DIR)/seeds/pie: $(E2E_DIR)/pie.elf
	@rm -rf $@ && mkdir -p $@
	objcopy -O binary -j .rela.dyn $< $@/rela.bin
	n=$$(( $$(stat -c %s $@/rela.bin) / 24 )); [ $$n -le 255 ] || n=255; \
	{ printf "\\$$(printf %o $$n)"; head -c $$((n * 24)) $@/rela.bin; } > $@/pie-rela && rm $@/rela.bin

# fgk-mkmap's readers die on bad input; in the harness that unwinds (what
# the input allocated is freed by fuzz_arena.c, so leaks are still found),
# and their one-line refusals are hidden (-close_fd_mask=2).
FUZZ_ENV_map := FGK_FUZZ_IMAGE=$(E2E_DIR)/exec.elf ASAN_OPTIONS=detect_leaks=1
FUZZ_FLAGS_map :=
$(foreach h,elf ldmap config pie,$(eval FUZZ_ENV_$(h) := ASAN_OPTIONS=detect_leaks=1))
FUZZ_FLAGS_pie :=
$(foreach h,elf ldmap config,$(eval FUZZ_FLAGS_$(h) := -close_fd_mask=2))

define FUZZ_RULES
.PHONY: fuzz-$(1) check-fuzz-$(1)
fuzz-$(1): $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_DIR)/seeds/$(1) $(E2E_IMAGES)
	@mkdir -p $(FUZZ_DIR)/corpus-$(1)
	@echo "fuzz: fuzz_$(1) for $(FUZZ_SECONDS) s"
	@$(FUZZ_ENV_$(1)) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_FLAGS_$(1)) -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$(1)- $(FUZZ_DIR)/corpus-$(1) \
		$(FUZZ_DIR)/seeds/$(1) tests/fuzz/regressions/$(1) 2>$(FUZZ_DIR)/fuzz_$(1).log || \
		{ tail -30 $(FUZZ_DIR)/fuzz_$(1).log; exit 1; }
	@grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' $(FUZZ_DIR)/fuzz_$(1).log

check-fuzz-$(1): $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_DIR)/seeds/$(1) $(E2E_IMAGES)
	@rm -rf $(FUZZ_DIR)/check-$(1) && mkdir -p $(FUZZ_DIR)/check-$(1)
	@$(FUZZ_ENV_$(1)) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_FLAGS_$(1)) -runs=0 $(FUZZ_DIR)/seeds/$(1) \
		tests/fuzz/regressions/$(1) 2>$(FUZZ_DIR)/replay-$(1).log || \
		{ tail -30 $(FUZZ_DIR)/replay-$(1).log; exit 1; }
	@$(FUZZ_ENV_$(1)) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_FLAGS_$(1)) -max_total_time=$(FUZZ_CHECK_SECONDS) -seed=1 \
		-artifact_prefix=$(FUZZ_DIR)/crash-$(1)- $(FUZZ_DIR)/check-$(1) $(FUZZ_DIR)/seeds/$(1) \
		2>$(FUZZ_DIR)/check-$(1).log || { tail -30 $(FUZZ_DIR)/check-$(1).log; exit 1; }
	@echo "check-fuzz: fuzz_$(1): $$$$(ls tests/fuzz/regressions/$(1) | wc -l) regression inputs replayed, $$$$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' $(FUZZ_DIR)/check-$(1).log) runs in $(FUZZ_CHECK_SECONDS) s"
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_RULES,$(h))))

.PHONY: fuzz check-fuzz
fuzz: $(FUZZ_HARNESSES:%=fuzz-%)
check-fuzz: $(FUZZ_HARNESSES:%=check-fuzz-%)

CHECKS += check-fuzz
