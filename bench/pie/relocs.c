/* relocs.c: time the decompressor's base-relocation loops (vmlinux.relocs, or a PIE kernel's RELA/RELR) on the host. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * usage: relocs relocs IMAGE_SIZE TEXT_VA VMLINUX.RELOCS [PASSES]
 *        relocs pie IMAGE_SIZE TEXT_VA RELA.BIN RELR.BIN [PASSES]
 *
 * The loops are those of arch/x86/boot/compressed/misc.c,
 * handle_relocations(): for vmlinux.relocs (u32 sign-extended addresses,
 * read backwards: 32-bit, inverse 32-bit and 64-bit runs) and for the PIE
 * kernel (R_X86_64_RELATIVE entries, then RELR words), each with the
 * decompressor's bounds check per site. They run on a zeroed buffer of the
 * image's size (the values do not change the work). Prints one line:
 *   "<kind> sites <n> bytes <list bytes> ns <median ns per pass> min <ns>"
 */

static uint8_t *image;
static uint64_t image_size, text_va;

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;

	if (!f || fseek(f, 0, SEEK_END)) {
		perror(path);
		exit(2);
	}
	*size = ftell(f);
	rewind(f);
	buf = malloc(*size + 8);
	if (!buf || fread(buf, 1, *size, f) != *size) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return buf;
}

static void out_of_image(void)
{
	fputs("relocs: relocation outside of kernel\n", stderr);
	exit(1);
}

/* vmlinux.relocs: the 64-bit kernel's three runs, read from the end. */
static uint64_t apply_relocs(const int32_t *list, size_t words, uint64_t delta)
{
	const int32_t *reloc = list + words - 1;
	uint64_t min = (uint64_t)image, max = min + image_size, map = min - text_va, n = 0;

	for (; *reloc; reloc--, n++) {
		uint64_t ptr = (uint64_t)(int64_t)*reloc + map;

		if (ptr < min || ptr > max - 4)
			out_of_image();
		*(uint32_t *)ptr += (uint32_t)delta;
	}
	while (*--reloc) {
		uint64_t ptr = (uint64_t)(int64_t)*reloc + map;

		if (ptr < min || ptr > max - 4)
			out_of_image();
		*(int32_t *)ptr -= (int32_t)delta;
		n++;
	}
	for (reloc--; *reloc; reloc--, n++) {
		uint64_t ptr = (uint64_t)(int64_t)*reloc + map;

		if (ptr < min || ptr > max - 8)
			out_of_image();
		*(uint64_t *)ptr += delta;
	}
	return n;
}

static uint64_t *pie_site(uint64_t va)
{
	if (va < text_va || va - text_va > image_size - 8)
		out_of_image();
	return (uint64_t *)(image + (va - text_va));
}

/* The PIE kernel: RELA (24-byte entries, R_X86_64_RELATIVE), then RELR. */
static uint64_t apply_pie(const uint64_t *rela, size_t rela_words, const uint64_t *relr,
			  size_t relr_words, uint64_t delta)
{
	uint64_t va = 0, n = 0;

	for (size_t i = 0; i + 3 <= rela_words; i += 3, n++) {
		if ((rela[i + 1] & 0xffffffff) != 8) {
			fputs("relocs: not R_X86_64_RELATIVE\n", stderr);
			exit(1);
		}
		*pie_site(rela[i]) += delta;	/* the field: misc.c says why */
	}
	for (size_t i = 0; i < relr_words; i++) {
		if (!(relr[i] & 1)) {
			va = relr[i];
			*pie_site(va) += delta;
			va += 8;
			n++;
			continue;
		}
		for (uint64_t bits = relr[i] >> 1, at = va; bits; bits >>= 1, at += 8)
			if (bits & 1) {
				*pie_site(at) += delta;
				n++;
			}
		va += 63 * 8;
	}
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int pie = argc > 1 && !strcmp(argv[1], "pie");
	int nargs = pie ? 6 : 5, passes;
	size_t a_size, b_size = 0;
	void *a, *b = NULL;
	uint64_t *ns, sites = 0;

	if (argc < nargs || (!pie && strcmp(argv[1], "relocs"))) {
		fputs("usage: relocs relocs IMAGE_SIZE TEXT_VA VMLINUX.RELOCS [PASSES]\n"
		      "       relocs pie IMAGE_SIZE TEXT_VA RELA.BIN RELR.BIN [PASSES]\n", stderr);
		return 2;
	}
	image_size = strtoull(argv[2], NULL, 0);
	text_va = strtoull(argv[3], NULL, 0);
	passes = argc > nargs ? atoi(argv[nargs]) : 200;
	image = calloc(1, image_size);
	a = read_file(argv[4], &a_size);
	if (pie)
		b = read_file(argv[5], &b_size);
	ns = calloc(passes, sizeof(*ns));
	if (!image || !ns || passes < 1)
		return 2;
	for (int p = 0; p < passes; p++) {
		uint64_t t0 = now_ns();

		/* each pass moves the image by another 2 MiB, as KASLR would */
		sites = pie ? apply_pie(a, a_size / 8, b, b_size / 8, 0x200000)
			    : apply_relocs(a, a_size / 4, 0x200000);
		ns[p] = now_ns() - t0;
	}
	qsort(ns, passes, sizeof(*ns), cmp_u64);
	printf("%s sites %llu bytes %zu ns %llu min %llu\n", pie ? "pie" : "relocs",
	       (unsigned long long)sites, a_size + b_size, (unsigned long long)ns[passes / 2],
	       (unsigned long long)ns[0]);
	free(ns);
	free(a);
	free(b);
	free(image);
	return 0;
}
