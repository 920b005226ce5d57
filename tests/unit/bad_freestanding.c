/* bad_freestanding.c: objects check-freestanding must refuse: a libc call (BAD_CALL) or a pointer in .data (BAD_DATA). */
#ifdef BAD_CALL
void *memcpy(void *dst, const void *src, unsigned long n);

void bad_copy(char *dst, const char *src)
{
	memcpy(dst, src, 16);
}
#endif

#ifdef BAD_DATA
static char buf[16];
char *bad_pointer = buf;
#endif
