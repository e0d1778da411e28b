// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_sample - the smallest useful client of smalloc.
 *
 * Allocates a few objects of different sizes when loaded, writes into them,
 * keeps them for as long as the module is loaded and frees them on unload.
 * While it is loaded, smalloc cannot be unloaded (the module references its
 * symbols) and /sys/kernel/debug/smalloc/stats shows the live objects.
 *
 * Build it next to a built smalloc (see Kbuild in this directory) with
 * KBUILD_EXTRA_SYMBOLS pointing at smalloc's Module.symvers.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "smalloc_core.h"

/*
 * Sizes to allocate: small ones share pages, 5000 bytes is larger than
 * what fits in a page next to the status array, so smalloc hands it to the
 * page allocator.
 */
static const size_t sample_sizes[] = { 24, 100, 700, 5000 };

static void *sample_objs[ARRAY_SIZE(sample_sizes)];

/*
 * A pool of our own, as a kmem_cache would be: its objects live in pages of
 * their own and show in /sys/kernel/debug/smalloc/sample/.
 */
static struct smalloc_pool *sample_pool;
static void *sample_pool_objs[2];

/**
 * sample_fill() - write a recognisable pattern into an object
 * @obj: object returned by smalloc_alloc()
 * @size: number of bytes requested for it
 * @tag: value that makes the pattern differ between objects
 */
static void sample_fill(u8 *obj, size_t size, u8 tag)
{
	size_t i;

	for (i = 0; i < size; i++)
		obj[i] = tag ^ (u8)i;
}

static bool sample_check(const u8 *obj, size_t size, u8 tag)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (obj[i] != (tag ^ (u8)i))
			return false;
	return true;
}

static void sample_free_all(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sample_objs); i++) {
		/* smalloc_free(NULL) is a no-op, like kfree(NULL). */
		smalloc_free(sample_objs[i]);
		sample_objs[i] = NULL;
	}
	/* Objects of a pool are freed the same way; the pool goes last. */
	for (i = 0; i < ARRAY_SIZE(sample_pool_objs); i++)
		smalloc_free(sample_pool_objs[i]);
	smalloc_pool_destroy(sample_pool);
	sample_pool = NULL;
}

static int __init smalloc_sample_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sample_sizes); i++) {
		size_t size = sample_sizes[i];

		sample_objs[i] = smalloc_alloc(size, GFP_KERNEL);
		if (!sample_objs[i]) {
			pr_err("allocating %zu bytes failed\n", size);
			sample_free_all();
			return -ENOMEM;
		}
		sample_fill(sample_objs[i], size, i + 1);
		pr_info("object %d: %zu bytes requested, %zu usable\n",
			i, size, smalloc_size(sample_objs[i]));
	}

	sample_pool = smalloc_pool_create("sample");
	if (!sample_pool)
		goto nomem;
	for (i = 0; i < ARRAY_SIZE(sample_pool_objs); i++) {
		sample_pool_objs[i] = smalloc_pool_alloc(sample_pool, 32 << i,
							 GFP_KERNEL | __GFP_ZERO);
		if (!sample_pool_objs[i])
			goto nomem;
	}
	return 0;

nomem:
	pr_err("allocating from pool \"sample\" failed\n");
	sample_free_all();
	return -ENOMEM;
}

static void __exit smalloc_sample_exit(void)
{
	int i;

	/* Nobody else wrote into our objects while we were loaded. */
	for (i = 0; i < ARRAY_SIZE(sample_sizes); i++)
		if (!sample_check(sample_objs[i], sample_sizes[i], i + 1))
			pr_err("object %d was corrupted\n", i);
	sample_free_all();
	pr_info("freed %zu objects\n", ARRAY_SIZE(sample_objs));
}

module_init(smalloc_sample_init);
module_exit(smalloc_sample_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("Sample client of the smalloc small-object allocator");
