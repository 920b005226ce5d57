/* bad_freestanding.c: an object check-freestanding must refuse (libc call, pointer in .data). */
void *memcpy(void *dst, const void *src, unsigned long n);

static char buf[16];
char *bad_pointer = buf;

void bad_copy(const char *src)
{
	memcpy(bad_pointer, src, sizeof(buf));
}
