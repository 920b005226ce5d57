/* file.c: whole-file reads and all-or-nothing writes for the host tools. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "host_internal.h"

/*
 * Any file but a directory (/dev/null is an empty config), read to its
 * end whatever stat says its size is.
 */
void *read_whole_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t cap = 4096, n = 0, got;
	char *buf;

	if (!f || fstat(fileno(f), &st))
		die_at(path, NULL, NOPOS, NULL, "cannot read: %s", strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		fclose(f);
		die_at(path, NULL, NOPOS, NULL, "cannot read: a directory");
	}
	if (S_ISREG(st.st_mode))
		cap = st.st_size + 1;
	buf = xcalloc(1, cap);
	for (;;) {
		/* Full: grow only if there is more (a size of 0 may hide bytes, as in /proc). */
		if (n == cap - 1) {
			int c = fgetc(f);

			if (c == EOF)
				break;
			vec_grow_((void **)&buf, &cap, 2 * cap, 1);
			buf[n++] = (char)c;
		}
		got = fread(buf + n, 1, cap - 1 - n, f);
		if (!got)
			break;
		n += got;
	}
	if (ferror(f)) {
		fclose(f);
		die_at(path, NULL, NOPOS, NULL, "cannot read: %s", strerror(errno));
	}
	fclose(f);
	buf[n] = 0;
	*size = n;
	return buf;
}

static char *pending_out;	/* the temporary output file, removed by die_at */

void out_abandon(void)
{
	if (pending_out)
		unlink(pending_out);
}

int out_create(const char *path, mode_t mode)
{
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	int fd, err;

	signal(SIGXFSZ, SIG_IGN);
	free(pending_out);
	pending_out = xcalloc(n, 1);
	snprintf(pending_out, n, "%s.tmp.XXXXXX", path);
	fd = mkstemp(pending_out);
	if (fd >= 0 && fchmod(fd, mode)) {
		err = errno;
		close(fd);
		out_abandon();		/* the file mkstemp made */
		errno = err;
		fd = -1;
	}
	if (fd < 0) {
		err = errno;
		free(pending_out);	/* nothing of ours is left on disk */
		pending_out = NULL;
		die_at(path, NULL, NOPOS, NULL, "cannot create: %s", strerror(err));
	}
	return fd;
}

void out_commit(int fd, const char *path)
{
	if (close(fd) || rename(pending_out, path))
		die_at(path, NULL, NOPOS, NULL, "cannot write: %s", strerror(errno));
	free(pending_out);
	pending_out = NULL;
}

void write_file(const char *path, const void *buf, size_t size)
{
	int fd = out_create(path, 0644);
	const char *at = buf;

	while (size) {
		ssize_t n = write(fd, at, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die_at(path, NULL, NOPOS, NULL, "cannot write: %s",
			       n < 0 ? strerror(errno) : "short write");
		at += n;
		size -= (size_t)n;
	}
	out_commit(fd, path);
}
