/* gen_image.c: write the C sources of the e2e test images (hundreds of deterministic functions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "gen_image.h"

/*
 * Output: OUTDIR/decls.h and OUTDIR/funcs_<F>.c. The same program always
 * writes the same files (fixed PRNG seed), so images are reproducible.
 *
 * Every numbered function is u64 f(u64 x, long d): it returns a value
 * computed from x and, while d > 0, from calls with d - 1. Direct calls go
 * only to higher-numbered functions (a DAG), and d bounds the work. Each
 * function gets one shape (kind) exercising a different kind of reference.
 */

struct func funcs[NR_FUNCS];
int ptrs[NR_FILES][NR_PTRS];
struct probe probes[NR_FILES][NR_PROBES];
static unsigned long long prng_state = 0x243f6a8885a308d3ull;

static unsigned long long prng(void)
{
	unsigned long long z = (prng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) by rejection: no modulo bias, even in a test generator. */
static int below(int n)
{
	unsigned long long limit = -(unsigned long long)n % n;
	unsigned long long v;

	do
		v = prng();
	while (v < limit);
	return (int)(v % n);
}

/*
 * Some names are long: kallsyms stores a name's length (with its type
 * letter) as ULEB128, so lengths 127 and 128 straddle the 1/2-byte switch.
 */
static void name_func(int i)
{
	static const int long_lens[] = { 125, 126, 127, 128, 129, 200, 239 };
	struct func *f = &funcs[i];
	static const char *const prefix[] = {
		[PLACE_MOVABLE] = "", [PLACE_KEEP] = "keep_", [PLACE_FIXED] = "fixed_",
		[PLACE_BLOCK] = "block_", [PLACE_ALT] = "alt_",
	};
	int n = snprintf(f->name, sizeof(f->name), "%s%s%s%d", prefix[f->place],
			 f->align64 ? "a64_" : "", f->is_static ? "s" : "f", i);

	if (i % 37 != 5)
		return;
	int len = long_lens[(i / 37) % (sizeof(long_lens) / sizeof(long_lens[0]))];
	f->name[n++] = '_';
	for (; n < len; n++)
		f->name[n] = "long_symbol_name_"[n % 17];
	f->name[n] = '\0';
}

/* A higher-numbered function that `i` may call directly, or -1. */
static int pick_callee(int i)
{
	for (int tries = 0; tries < 16; tries++) {
		int same_file = below(3) != 0;
		int lo = i + 1;
		int hi = same_file ? (file_of(i) + 1) * PER_FILE : NR_FUNCS;

		if (lo >= hi)
			continue;
		int j = lo + below(hi - lo);
		if (funcs[j].ptr_only)
			continue;
		if (funcs[j].is_static && file_of(j) != file_of(i))
			continue;
		return j;
	}
	return -1;
}

/* A higher-numbered function of i's file for a pointer table (any kind). */
static int pick_table_target(int i)
{
	int hi = (file_of(i) + 1) * PER_FILE;

	return i + 1 < hi ? i + 1 + below(hi - i - 1) : -1;
}

static enum kind pick_kind(void)
{
	static const int weight[NR_KINDS] = {
		[K_LEAF] = 2, [K_TWO_CALLS] = 4, [K_TAIL] = 3, [K_SWITCH] = 3,
		[K_TABLE] = 2, [K_DATA] = 2, [K_APPLY] = 2, [K_COLD] = 3, [K_ASM] = 1,
	};
	int total = 0, r;

	for (int k = 0; k < NR_KINDS; k++)
		total += weight[k];
	r = below(total);
	for (int k = 0; k < NR_KINDS; k++) {
		if (r < weight[k])
			return (enum kind)k;
		r -= weight[k];
	}
	return K_LEAF;
}

static int needs_callees(enum kind k)
{
	return k != K_LEAF && k != K_DATA && k != K_ASM;
}

static enum placement place_of(int i)
{
	if (i % 53 == 7)
		return PLACE_KEEP;
	if (i % 59 == 11)
		return PLACE_FIXED;
	if (i % 47 == 3)
		return PLACE_BLOCK;
	if (i % 43 == 21)
		return PLACE_ALT;
	return PLACE_MOVABLE;
}

static void plan_func(int i)
{
	struct func *f = &funcs[i];

	f->is_static = i % PER_FILE != 0 && below(4) == 0;
	f->ptr_only = f->is_static && below(2) == 0;
	f->place = place_of(i);
	f->align64 = f->place == PLACE_MOVABLE && i % 31 == 13;
	name_func(i);
	for (int k = 0; k < 4; k++)
		f->c[k] = prng() | 1;
	f->kind = pick_kind();
	/* gcc would put the cold part of a placed function in .text.unlikely.* */
	if (f->kind == K_COLD && f->place != PLACE_MOVABLE)
		f->kind = K_TWO_CALLS;
	if (f->kind == K_DATA && file_of(i) == NR_FILES - 1)
		f->kind = K_TWO_CALLS;
}

/* Missing callees repeat the first one; a function that finds none is a leaf. */
static void plan_callees(int i)
{
	struct func *f = &funcs[i];

	for (int k = 0; k < 4; k++)
		f->callee[k] = f->kind == K_TABLE ? pick_table_target(i) : pick_callee(i);
	if (needs_callees(f->kind) && f->callee[0] < 0)
		f->kind = K_LEAF;
	for (int k = 1; k < 4; k++)
		if (f->callee[k] < 0)
			f->callee[k] = f->callee[0];
}

/* Writable pointer arrays point at later files' global functions (keeps the DAG). */
static void plan_ptrs(int file)
{
	for (int k = 0; k < NR_PTRS; k++) {
		int j;

		if (file == NR_FILES - 1) {
			ptrs[file][k] = -1;
			continue;
		}
		do
			j = (file + 1) * PER_FILE + below(NR_FUNCS - (file + 1) * PER_FILE);
		while (funcs[j].is_static);
		ptrs[file][k] = j;
	}
}

static void plan_probe(int file, int k)
{
	struct probe *p = &probes[file][k];

	p->rax_variant = k & 1;
	p->c = prng() | 1;
	do
		p->callee = file * PER_FILE + below(PER_FILE);
	while (funcs[p->callee].ptr_only);
}

static void plan(void)
{
	for (int i = 0; i < NR_FUNCS; i++)
		plan_func(i);
	for (int i = 0; i < NR_FUNCS; i++)
		plan_callees(i);
	for (int file = 0; file < NR_FILES; file++)
		plan_ptrs(file);
	for (int file = 0; file < NR_FILES; file++)
		for (int k = 0; k < NR_PROBES; k++)
			plan_probe(file, k);
}

int main(int argc, char **argv)
{
	host_tool = "gen_image";
	if (argc != 2)
		die("usage: gen_image OUTDIR");
	plan();
	emit_decls(argv[1]);
	for (int file = 0; file < NR_FILES; file++)
		emit_file(argv[1], file);
	return 0;
}
