/* loader_corrupt_mode.c: e2e-loader --corrupt: maps with one wrong xref or owner must be refused or caught. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"
#include "loader.h"

#define MIN_DETECTED_PERCENT 90	/* of corrupted maps, ... */
#define CORRUPT_SEEDS 4		/* ... each tried with up to this many seeds */

static void quiet_stderr(void)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, 2);
}

/* Outcomes of one corrupted map, as the child's exit status says. */
enum verdict { MISSED, CAUGHT, REJECTED };

/*
 * Broken code can smash the stack it shares with the loader (a ret into
 * the loader, a wild write): each corrupted map is run in a child, and a
 * child killed by a signal counts as caught.
 */
struct corruption {
	const char *what;
	unsigned (*apply)(struct image *img, unsigned t);	/* returns which element */
};

static enum verdict try_corruption(struct image *img, const struct observed *want,
				   const struct corruption *how, unsigned t, unsigned *which)
{
	int status;
	pid_t pid;

	*which = how->apply(img, t);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		quiet_stderr();		/* sanitizer reports from wrecked code say nothing new */
		/* Some damage shows only in some layouts (a unit followed by a gap). */
		for (unsigned seed = 1; seed <= CORRUPT_SEEDS; seed++) {
			struct seed_result r = shuffled(img, want, seed, base_for(img, seed), 1);

			if (r.err || r.failures)
				_exit(r.err ? REJECTED : CAUGHT);
		}
		_exit(MISSED);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid failed");
	if (WIFSIGNALED(status))
		return CAUGHT;
	return WIFEXITED(status) && WEXITSTATUS(status) <= REJECTED ? (enum verdict)WEXITSTATUS(status)
								     : CAUGHT;
}

static unsigned run_corruptions(struct image *img, const struct observed *want,
				const struct corruption *how, unsigned count)
{
	size_t orig_size = img->map_size;
	uint8_t *orig = xcalloc(1, orig_size);
	unsigned seen[3] = { 0 };

	memcpy(orig, img->map_buf, orig_size);
	for (unsigned t = 0; t < count; t++) {
		unsigned which;
		enum verdict v = try_corruption(img, want, how, t, &which);

		seen[v]++;
		if (v == MISSED)
			fprintf(stderr, "e2e-loader: %s: %s %u changed, not detected\n", img->elf.path,
				how->what, which);
		free(img->map_buf);	/* a corruption may have built the map again, resized */
		img->map_buf = xcalloc(1, orig_size);
		img->map_size = orig_size;
		memcpy(img->map_buf, orig, orig_size);
	}
	free(orig);
	printf("e2e-loader: %s: %u maps with a wrong %s: %u rejected by the runtime, %u caught by "
	       "the checks, %u missed\n", img->elf.path, count, how->what, seen[REJECTED],
	       seen[CAUGHT], seen[MISSED]);
	return (count - seen[MISSED]) * 100 >= MIN_DETECTED_PERCENT * count ? 0 : 1;
}

/*
 * Each corruption points one xref, or one table entry's owner, at another
 * unit far from its own. Detected means the runtime refused the map or a
 * check failed. A few xrefs sit in code no input reaches (e.g. apply_<F>'s
 * comparison with a function nobody passes it), so the test asks for
 * MIN_DETECTED_PERCENT of each kind.
 */
int corrupt_mode(struct image *img, unsigned count)
{
	static const struct corruption kinds[] = {
		{ "xref target", corrupt_xref },
		{ "table entry owner", corrupt_override },
	};
	struct observed want = { 0 };
	unsigned failed = 0;
	uint64_t hash;

	golden(img, &want, &hash);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		failed += run_corruptions(img, &want, &kinds[k], count);
	observed_free(&want, img);
	return failed ? 1 : 0;
}
