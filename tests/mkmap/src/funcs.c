/* funcs.c: C functions, one section each, that call and point at each other (test image for fgk-mkmap). */
int counter;
int (*fptr)(int);
void take(int (*f)(int));

static int __attribute__((noinline, noclone)) helper(int x)
{
	return x * 3 + counter;
}

int __attribute__((noinline, noclone)) foo(int x)
{
	return helper(x) + 1;
}

int __attribute__((noinline, noclone)) bar(int x)
{
	return foo(x) * 2;
}

int (*const fptrs[2])(int) = { foo, bar };

void __attribute__((noinline, noclone)) take(int (*f)(int))
{
	fptr = f;
}

void _start(void)
{
	take(helper);
	counter = bar(1) + fptr(2) + fptrs[1](3);
	for (;;)
		;
}
