// SPDX-License-Identifier: GPL-2.0
/*
 * fgk_test_mod.c - a module calls exported core-kernel functions that
 * fine-grained KASLR moves, and faults through the exception table.
 *
 * Module loading resolves each call through __ksymtab (self-relative
 * entries that FG_KASLR must fix); the results show the calls land in
 * the right functions.  Prints one line per check, then
 * "fgk_test_mod: PASS (<n> checks)" or "fgk_test_mod: FAIL (...)".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/sort.h>
#include <linux/bsearch.h>
#include <linux/crc32.h>
#include <linux/uaccess.h>
#include <linux/kallsyms.h>
#include <linux/jiffies.h>

static unsigned int checks, failed;

static __printf(3, 4) void report(const char *check, bool ok,
				  const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%s: %s (%pV)\n", check, ok ? "ok" : "FAIL", &vaf);
	va_end(args);
	checks++;
	if (!ok)
		failed++;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void check_strings(void)
{
	char buf[8];
	u8 zero[32] = { 0 };
	int v = 0, r1;
	ssize_t r2;

	r1 = kstrtoint("-1234", 10, &v);
	r2 = strscpy(buf, "fgkaslr-too-long", sizeof(buf));
	zero[17] = 0x5a;
	report("strings", !r1 && v == -1234 && r2 == -E2BIG &&
	       !strcmp(buf, "fgkaslr") && memchr_inv(zero, 0, sizeof(zero)) == &zero[17],
	       "kstrtoint %d/%d, strscpy %zd \"%s\", memchr_inv +%td",
	       r1, v, r2, buf, (u8 *)memchr_inv(zero, 0, sizeof(zero)) - zero);
}

static void check_sort(void)
{
	int a[] = { 42, 7, 19, 3, 88, 1, 64, 25, 0, 13 };
	int key = 64, i, *hit;
	bool sorted = true;

	sort(a, ARRAY_SIZE(a), sizeof(a[0]), cmp_int, NULL);
	for (i = 1; i < ARRAY_SIZE(a); i++)
		sorted &= a[i - 1] <= a[i];
	hit = bsearch(&key, a, ARRAY_SIZE(a), sizeof(a[0]), cmp_int);
	report("sort", sorted && hit == &a[8], "sort -> %d..%d, bsearch(64) at [%td]",
	       a[0], a[ARRAY_SIZE(a) - 1], hit ? hit - a : -1);
}

static void check_crc32(void)
{
	/* CRC-32 (IEEE, as zlib): crc32("123456789") = 0xcbf43926 */
	u32 c = crc32_le(~0U, "123456789", 9) ^ ~0U;

	report("crc32", c == 0xcbf43926, "crc32_le(\"123456789\") = %#x", c);
}

static void check_printf_kallsyms(void)
{
	char buf[KSYM_SYMBOL_LEN];
	int n;

	/* vsnprintf (moved) resolves a moved function's name through kallsyms */
	n = snprintf(buf, sizeof(buf), "%ps|%pS", kstrtoint, (char *)sort + 1);
	report("printf", n > 0 && !strncmp(buf, "kstrtoint|sort+0x1/0x", 21),
	       "\"%s\"", buf);
}

static void check_uaccess(void)
{
	char dst[16];
	unsigned long left;
	int v = 0, r;

	/* this runs in insmod's process context; page 0 is never mapped */
	left = copy_from_user(dst, (const void __user *)16, sizeof(dst));
	r = get_user(v, (int __user *)16);
	report("uaccess", left == sizeof(dst) && r == -EFAULT,
	       "copy_from_user(16) left %lu of %zu (-EFAULT), get_user(16) = %d",
	       left, sizeof(dst), r);
}

static int __init fgk_test_mod_init(void)
{
	check_strings();
	check_sort();
	check_crc32();
	check_printf_kallsyms();
	check_uaccess();
	if (failed)
		pr_info("FAIL (%u of %u checks failed)\n", failed, checks);
	else
		pr_info("PASS (%u checks)\n", checks);
	return 0;
}

static void __exit fgk_test_mod_exit(void)
{
}

module_init(fgk_test_mod_init);
module_exit(fgk_test_mod_exit);
MODULE_DESCRIPTION("fgkaslr: module calls into moved kernel text");
MODULE_LICENSE("GPL");
