/* loader_calls.c: call every function of a run through the image's entry table and record the results. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"
#include "loader_call.h"

typedef uint64_t (*fn_t)(uint64_t x, long d);
typedef uint64_t (*asm_fn_t)(uint64_t x);
typedef long (*probe_fn_t)(const uint64_t *p, uint64_t x);

/*
 * Inputs: x = k * 0x1111111111111111 repeats nibble k, so (x >> s) & 15 is
 * a rotation of k for any shift s: over k = 0..15 every function's switch
 * takes every case, pointer tables every slot, and k = 1 (x & 63 == 17)
 * the cold paths. A few irregular values follow. d bounds the call tree.
 */
static uint64_t input_x(int k)
{
	static const uint64_t extra[E2E_NR_INPUTS - 16] = {
		0x0123456789abcdefull, 0xfedcba9876543211ull, 0x8000000000000051ull, 0x9e3779b97f4a7c15ull,
	};

	return k < 16 ? (uint64_t)k * 0x1111111111111111ull : extra[k - 16];
}

static long input_d(int k)
{
	return 3 + k % 4;
}

/* Probes load from good memory on even inputs and from a PROT_NONE page on odd ones. */
static const uint64_t *bad_page(void)
{
	static void *page;

	if (!page) {
		page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			die("mmap of the fault page failed");
	}
	return page;
}

static uint64_t call_probe(probe_fn_t fn, int k, struct checker *c, const char *name)
{
	uint64_t good = input_x(k) ^ 0x5a5a5a5a5a5a5a5aull;
	unsigned before = fault_fixups();
	long r;

	if (k % 2 == 0)
		return (uint64_t)fn(&good, input_x(k));
	r = fn(bad_page() + k, input_x(k));
	CHECK(c, r == -E2E_EFAULT, "probe %s: fault gave %ld, want -%d", name, r, E2E_EFAULT);
	CHECK(c, fault_fixups() == before + 1, "probe %s: %u faults fixed, want 1", name,
	      fault_fixups() - before);
	return (uint64_t)r;
}

static uint64_t call_entry(const struct e2e_entry *e, int k, struct checker *c, const char *name)
{
	switch (e->kind) {
	case E2E_KIND_FN:
		return ((fn_t)e->fn)(input_x(k), input_d(k));
	case E2E_KIND_ASM:
		return ((asm_fn_t)e->fn)(input_x(k));
	case E2E_KIND_PROBE:
		return call_probe((probe_fn_t)e->fn, k, c, name);
	case E2E_KIND_RANGE:
		return ((asm_fn_t)e->fn)(input_x(k));	/* arbitrary values: E2E_RANGE_NONE */
	}
	check_fail(c, "entry %s: unknown kind %u", name, e->kind);
	return 0;
}

/* One call with the guard armed: 0 if a signal cut it short. */
static int guarded_call(const struct e2e_entry *e, int k, struct checker *c, const char *name,
			uint64_t *out)
{
	int ok;

	*out = 0;
	GUARDED(ok, *out = call_entry(e, k, c, name));
	return ok;
}

void observe_calls(const struct run *run, struct checker *c, struct observed *obs)
{
	const struct image *img = run->img;
	unsigned before = fault_fixups();

	obs->results = xcalloc(img->nr_entries * E2E_NR_INPUTS, sizeof(*obs->results));
	fault_use_extable(run);
	for (uint64_t i = 0; i < img->nr_entries; i++) {
		const struct e2e_entry *e = (const void *)run_at(run, img->entries + i * sizeof(*e));

		for (int k = 0; k < E2E_NR_INPUTS; k++)
			if (!guarded_call(e, k, c, img->entry_names[i], &obs->results[i * E2E_NR_INPUTS + k]))
				check_fail(c, "%s(input %d) at %p: signal %d at ip %#llx", img->entry_names[i],
					   k, e->fn, guard.sig, (unsigned long long)guard.ip);
	}
	fault_use_extable(NULL);
	obs->faults = fault_fixups() - before;
}

static int guarded_range(void *fn, uint64_t addr, uint64_t *out)
{
	int ok;

	*out = 0;
	GUARDED(ok, *out = ((asm_fn_t)fn)(addr));
	return ok;
}

/* Ranges are half-open: a start marker is inside, an end marker is not. */
static uint64_t expected_range(const char *name)
{
	if (!strncmp(name, "block_", 6) || !strcmp(name, "__e2e_block_start"))
		return E2E_RANGE_BLOCK;
	if (!strncmp(name, "fixed_", 6) || !strcmp(name, "__e2e_fixed_start"))
		return E2E_RANGE_FIXED;
	return E2E_RANGE_NONE;
}

/* The image's own range test, asked about every function where kallsyms says it is now. */
void check_ranges(const struct run *run, struct checker *c, const struct ksyms *ks)
{
	const struct image *img = run->img;

	for (uint64_t i = 0; i < img->nr_entries; i++) {
		const struct e2e_entry *e = (const void *)run_at(run, img->entries + i * sizeof(*e));

		if (e->kind != E2E_KIND_RANGE)
			continue;
		for (uint32_t j = 0; j < ks->n; j++) {
			uint64_t got;

			uint64_t want = expected_range(ks->name[j]);

			if (!guarded_range(e->fn, ks->addr[j], &got))
				check_fail(c, "%s(%s): signal %d", img->entry_names[i], ks->name[j], guard.sig);
			else if (got == E2E_RANGE_FIXED && want == E2E_RANGE_NONE)
				known_gap(c, GAP_FIXED_END_XREF, "%s(%s at %#llx) = fixed range",
					  img->entry_names[i], ks->name[j], (unsigned long long)ks->addr[j]);
			else
				CHECK(c, got == want, "%s(%s at %#llx) = %llu, want %llu", img->entry_names[i],
				      ks->name[j], (unsigned long long)ks->addr[j], (unsigned long long)got,
				      (unsigned long long)want);
		}
	}
}
