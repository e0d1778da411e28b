// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_misuse - feeds smalloc_free() and smalloc_size() pointers it must
 * refuse, then checks that the allocator still works.
 *
 * Done on load, in this order:
 *
 *  - smalloc_size() of a kmalloc()ed pointer;
 *  - double free of a smalloc object;
 *  - free of an interior pointer (8 bytes into a 64-byte object);
 *  - free of a kmalloc()ed pointer;
 *  - free of a pointer to the stack.
 *
 * smalloc warns once per function and kind of misuse (per boot), so the
 * kernel log is expected to show one "smalloc_size: " WARN and a
 * "smalloc_free: " WARN for each bad free. smalloc's "refused_frees" stat
 * grows by the number printed as "attempted=" (the bad smalloc_free()
 * calls).
 *
 * With leak=1 the module also allocates a few objects it never frees, and
 * a pool "misuse-leak" with one object that it never destroys, so that
 * unloading smalloc has leaks to report.
 *
 * free(NULL) and free(ZERO_SIZE_PTR) are done too; they are legal no-ops and
 * must not count as refused.  It prints "smalloc_misuse: attempted=N ok"
 * when every expectation held: each bad call was made (none skipped for
 * want of memory), none changed anything, and the allocator still worked
 * afterwards; the init function then returns 0, so the test can rmmod the
 * module.  Otherwise it prints "... broken" and returns -EIO.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "smalloc_core.h"

/* Set when an expectation failed: a bad call changed something or was skipped. */
static bool misuse_failed;

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "Leave 3 objects allocated on purpose (default: no)");

/* The stack buffer is in its own function so the compiler keeps it real. */
static noinline void misuse_free_stack(void)
{
	u64 on_stack[8];

	memset(on_stack, 0x5a, sizeof(on_stack));
	smalloc_free(&on_stack[1]);
}

/* Returns the number of bad smalloc_free() calls made. */
static int misuse_frees(void)
{
	int attempted = 0;
	void *kp;
	u8 *p;

	/* First, so that its WARN is not suppressed (see the top comment). */
	kp = kmalloc(64, GFP_KERNEL);
	if (kp && smalloc_size(kp) != 0) {
		pr_err("smalloc_size() of a kmalloc pointer is not 0\n");
		misuse_failed = true;
	}

	/* Double free. */
	p = smalloc_alloc(64, GFP_KERNEL);
	if (p) {
		memset(p, 0x11, 64);
		smalloc_free(p);
		smalloc_free(p);
		attempted++;
	} else {
		pr_err("no object to free twice\n");
		misuse_failed = true;
	}

	/* Interior pointer: refused, and the object must stay allocated. */
	p = smalloc_alloc(64, GFP_KERNEL);
	if (p) {
		memset(p, 0x22, 64);
		smalloc_free(p + 8);
		attempted++;
		if (p[0] != 0x22 || p[63] != 0x22 || smalloc_size(p) < 64) {
			pr_err("interior free damaged the object\n");
			misuse_failed = true;
		}
		smalloc_free(p);
	} else {
		pr_err("no object to free by an interior pointer\n");
		misuse_failed = true;
	}

	/* Memory that smalloc never handed out. */
	if (kp) {
		smalloc_free(kp);
		attempted++;
		kfree(kp);
	} else {
		pr_err("no kmalloc'd pointer to try smalloc_size() and smalloc_free() on\n");
		misuse_failed = true;
	}

	misuse_free_stack();
	attempted++;

	/* Legal no-ops. */
	smalloc_free(NULL);
	smalloc_free(ZERO_SIZE_PTR);
	return attempted;
}

/* Allocate, fill, verify and free a few objects of different sizes. */
static bool misuse_allocator_works(void)
{
	static const size_t sizes[] = { 1, 8, 64, 200, 1000, 3000, 5000 };
	u8 *objs[ARRAY_SIZE(sizes)];
	bool ok = true;
	size_t j;
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		objs[i] = smalloc_alloc(sizes[i], GFP_KERNEL);
		if (!objs[i] || smalloc_size(objs[i]) < sizes[i]) {
			pr_err("allocation of %zu bytes failed\n", sizes[i]);
			ok = false;
			continue;
		}
		memset(objs[i], i + 1, sizes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (!objs[i])
			continue;
		for (j = 0; j < sizes[i]; j++) {
			if (objs[i][j] != i + 1) {
				pr_err("object of %zu bytes damaged\n",
				       sizes[i]);
				ok = false;
				break;
			}
		}
		smalloc_free(objs[i]);
	}
	if (smalloc_alloc(0, GFP_KERNEL) != ZERO_SIZE_PTR) {
		pr_err("smalloc_alloc(0) is not ZERO_SIZE_PTR\n");
		ok = false;
	}
	return ok;
}

static int __init smalloc_misuse_init(void)
{
	int attempted = misuse_frees();
	bool ok = misuse_allocator_works() && !misuse_failed;

	pr_info("attempted=%d %s\n", attempted, ok ? "ok" : "broken");
	if (ok && leak) {
		/* Nobody keeps these pointers: smalloc must report them. */
		smalloc_alloc(16, GFP_KERNEL);
		smalloc_alloc(300, GFP_KERNEL);
		smalloc_alloc(2 * PAGE_SIZE, GFP_KERNEL);
		smalloc_pool_alloc(smalloc_pool_create("misuse-leak"), 40,
				   GFP_KERNEL);
		pr_info("leaked 3 objects and a pool on purpose\n");
	}
	return ok ? 0 : -EIO;
}

static void __exit smalloc_misuse_exit(void)
{
}

module_init(smalloc_misuse_init);
module_exit(smalloc_misuse_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("Misuse test for the smalloc allocator (expect WARNs)");
