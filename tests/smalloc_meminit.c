// SPDX-License-Identifier: GPL-2.0
/*
 * smalloc_meminit - the kmalloc cases of the kernel's lib/test_meminit.c,
 * run against smalloc.
 *
 * Derived from lib/test_meminit.c of Linux 6.1 ("Test cases for SL[AOU]B/page
 * initialization at alloc/free time"), which is GPL-2.0 only, so this file
 * is too: unlike the rest of smalloc ("GPL-2.0 OR MIT") it may not be used
 * under MIT. It is a test module, not part of smalloc.ko, and smalloc's
 * GPL-2.0 option makes the two compatible.
 *
 * smalloc follows the kernel's memory init policy as the slab allocators
 * do: with init_on_alloc (on by default in Debian) it zeroes an object's
 * usable size when it hands it out, with init_on_free when it takes it
 * back. Under either policy an object that was filled with garbage and
 * freed must come back zeroed, and that is what each case checks: allocate,
 * fill with garbage, free, allocate the same size again, count non-zero
 * bytes. Of test_meminit.c only the kmalloc cases apply (kmem_cache,
 * vmalloc and the page allocator are not smalloc's business).
 *
 * The kernel's case checks the requested size; this one fills and checks
 * the usable size (smalloc_size()), which is what the policy promises and
 * what a caller may use, like ksize().
 *
 * Loading prints the policy in force, one line per group of cases and a
 * summary, "smalloc_meminit: all N tests passed" or "smalloc_meminit:
 * failures: F out of N"; on failure init returns -EINVAL, so insmod fails.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

#include "smalloc_core.h"

#define GARBAGE_INT	(0x09A7BA9E)
#define GARBAGE_BYTE	(0x9E)

/*
 * How often the second allocation got the freed object's address back. Only
 * then does the init_on_alloc check meet the garbage it is meant to catch,
 * so the count shows the cases had teeth.
 */
static int meminit_reused __initdata;

/* Number of bytes of the buffer that are not zero. */
static size_t __init count_nonzero_bytes(const void *ptr, size_t size)
{
	const unsigned char *p = ptr;
	size_t i, ret = 0;

	for (i = 0; i < size; i++)
		if (p[i])
			ret++;
	return ret;
}

/* Fill a buffer with garbage: whole ints, then bytes for the tail. */
static void __init fill_with_garbage(void *ptr, size_t size)
{
	unsigned int *p = ptr;
	size_t i = 0;

	while (size >= sizeof(*p)) {
		p[i++] = GARBAGE_INT;
		size -= sizeof(*p);
	}
	if (size)
		memset(&p[i], GARBAGE_BYTE, size);
}

static void __init report(const char *fn, int failures, int num_tests)
{
	if (failures)
		pr_info("%s failed %d out of %d times\n", fn, failures,
			num_tests);
	else
		pr_info("all %d tests in %s passed\n", num_tests, fn);
}

/* test_meminit.c's do_kmalloc_size(): one case, counted as one test. */
static int __init do_alloc_size(size_t size, int *total_failures)
{
	void *buf, *first;
	size_t bytes;

	buf = smalloc_alloc(size, GFP_KERNEL);
	if (!buf)
		goto err;
	fill_with_garbage(buf, smalloc_size(buf));
	first = buf;
	smalloc_free(buf);

	buf = smalloc_alloc(size, GFP_KERNEL);
	if (!buf)
		goto err;
	if (buf == first)
		meminit_reused++;
	bytes = count_nonzero_bytes(buf, smalloc_size(buf));
	if (bytes) {
		pr_info("size %zu: %zu of %zu usable bytes not zeroed\n",
			size, bytes, smalloc_size(buf));
		(*total_failures)++;
	}
	/* Leave garbage behind for init_on_free to wipe, as the original. */
	fill_with_garbage(buf, smalloc_size(buf));
	smalloc_free(buf);
	return 1;
err:
	pr_info("size %zu: allocation failed\n", size);
	(*total_failures)++;
	return 1;
}

/* The kmalloc sizes of test_meminit.c's test_kvmalloc(): 1 byte to 512 KiB. */
static int __init test_kmalloc(int *total_failures)
{
	int failures = 0, num_tests = 0;
	int i;

	for (i = 0; i < 20; i++)
		num_tests += do_alloc_size(1 << i, &failures);

	report(__func__, failures, num_tests);
	*total_failures += failures;
	return num_tests;
}

/*
 * smalloc is not size-classed like kmalloc, so also sizes that are no power
 * of two: within one 8-byte unit, across units, the largest object that
 * shares a page with others (3936 bytes with 4 KiB pages) and the smallest
 * that comes from the page allocator instead.
 */
static const size_t odd_sizes[] __initconst = {
	3, 13, 100, 700, 3000, 3936, 3937, 5000, 12345,
};

static int __init test_odd_sizes(int *total_failures)
{
	int failures = 0, num_tests = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(odd_sizes); i++)
		num_tests += do_alloc_size(odd_sizes[i], &failures);

	report(__func__, failures, num_tests);
	*total_failures += failures;
	return num_tests;
}

static int __init smalloc_meminit_init(void)
{
	bool on_alloc = want_init_on_alloc(GFP_KERNEL);
	bool on_free = want_init_on_free();
	int failures = 0, num_tests = 0;

	/* The guest script compares this with the kernel command line. */
	pr_info("policy: init_on_alloc=%d init_on_free=%d\n", on_alloc, on_free);
	/* Without a policy nothing promises zeroes: that is no pass. */
	if (!on_alloc && !on_free) {
		pr_info("neither init_on_alloc nor init_on_free is on: nothing to test\n");
		return -EINVAL;
	}

	num_tests += test_kmalloc(&failures);
	num_tests += test_odd_sizes(&failures);
	pr_info("%d of %d reallocations reused the freed object\n",
		meminit_reused, num_tests);

	if (failures == 0)
		pr_info("all %d tests passed\n", num_tests);
	else
		pr_info("failures: %d out of %d\n", failures, num_tests);

	return failures ? -EINVAL : 0;
}

/* Only so that the module can be unloaded after a successful run. */
static void __exit smalloc_meminit_exit(void)
{
}

module_init(smalloc_meminit_init);
module_exit(smalloc_meminit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lib/test_meminit.c's kmalloc cases against smalloc");
