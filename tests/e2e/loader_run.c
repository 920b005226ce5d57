/* loader_run.c: map a copy of an e2e image at a new base, relocate it (ELF or runtime), hash it. */
#include <stdlib.h>
#include <sys/mman.h>
#include <xxhash.h>

#include "e2e_util.h"
#include "loader.h"

#define HUGE_ALIGN (2u << 20)

static void *map_anywhere(uint64_t size)
{
	uint8_t *p = mmap(NULL, size + HUGE_ALIGN, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *aligned;

	if (p == MAP_FAILED)
		return NULL;
	aligned = (uint8_t *)(((uintptr_t)p + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
	if (aligned > p)
		munmap(p, aligned - p);
	munmap(aligned + size, p + size + HUGE_ALIGN - (aligned + size));
	return aligned;
}

int run_map(struct run *run, const struct image *img, uint64_t want)
{
	void *p;

	memset(run, 0, sizeof(*run));
	run->img = img;
	if (want)
		p = mmap((void *)want, img->size, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	else
		p = map_anywhere(img->size);
	if (p == MAP_FAILED || !p || (want && p != (void *)want))
		return -1;
	run->base = p;
	run->delta = (int64_t)((uint64_t)(uintptr_t)p - img->link_base);
	memcpy(run->base, img->pristine, img->size);
	return 0;
}

void run_unmap(struct run *run)
{
	if (run->base)
		munmap(run->base, run->img->size);
	run->base = NULL;
}

uint64_t run_hash(const struct run *run)
{
	return XXH64(run->base, run->img->size, 0);
}

int run_shuffle(struct run *run, uint64_t seed, uint32_t flags)
{
	const struct image *img = run->img;
	struct fgk_map map;
	int err = open_image_map(img, &map, img->pristine);

	if (err)
		return err;
	uint64_t scratch_size = fgk_scratch_size(&map);
	void *scratch = aligned_alloc(8, (scratch_size + 7) & ~7ull);
	struct fgk_shuffle_args args = {
		.seed = seed,
		.base_delta = run->delta,
		.scratch = scratch,
		.scratch_size = scratch_size,
		.flags = flags,
		.stats = &run->stats,
	};

	if (scratch_size && !scratch)
		die("out of memory for %llu bytes of scratch", (unsigned long long)scratch_size);
	err = fgk_shuffle(&map, run->base, &args);
	free(scratch);
	return err;
}
