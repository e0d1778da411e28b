// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_charge - allocate objects on behalf of the process that loads the
 * module, so that scripts/guest/memcg.sh can watch the memory cgroup of
 * that process being charged, as kmalloc charges it.
 *
 * Module init runs in the context of insmod, so every __GFP_ACCOUNT
 * allocation it makes is charged to the memory cgroup insmod runs in. Init
 * allocates @count objects of @size bytes with smalloc_alloc() or, as the
 * reference, kmalloc(), writes every byte of each, keeps them in an array
 * and prints one line:
 *
 *   smalloc_charge: allocated N of COUNT objects of SIZE bytes with ALLOC
 *
 * It stops at the first failure (a memory.max limit being hit) and loads
 * all the same, so that the guest can read N; unloading frees the objects.
 *
 * Parameters:
 *   alloc          "smalloc" (default) or "kmalloc"
 *   size, count    bytes per object, objects
 *   flags_account  GFP_KERNEL_ACCOUNT (default) or, when 0, GFP_KERNEL:
 *                  nothing is charged then, which shows that the guest's
 *                  checks can fail
 *   retry_mayfail  add __GFP_RETRY_MAYFAIL | __GFP_NOWARN, for allocations
 *                  against a memory.max limit (see smalloc_charge_gfp())
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "smalloc_core.h"

static char *memcg_alloc = "smalloc";
module_param_named(alloc, memcg_alloc, charp, 0444);
MODULE_PARM_DESC(alloc, "allocator: smalloc (default) or kmalloc");

static unsigned int memcg_size = 64;
module_param_named(size, memcg_size, uint, 0444);
MODULE_PARM_DESC(size, "bytes per object (default 64)");

static unsigned int memcg_count = 1000;
module_param_named(count, memcg_count, uint, 0444);
MODULE_PARM_DESC(count, "objects to allocate (default 1000)");

static bool memcg_flags_account = true;
module_param_named(flags_account, memcg_flags_account, bool, 0444);
MODULE_PARM_DESC(flags_account,
		 "GFP_KERNEL_ACCOUNT if set (default), else GFP_KERNEL");

static bool memcg_retry_mayfail;
module_param_named(retry_mayfail, memcg_retry_mayfail, bool, 0444);
MODULE_PARM_DESC(retry_mayfail,
		 "add __GFP_RETRY_MAYFAIL | __GFP_NOWARN: fail at memory.max without the OOM killer");

/* The objects allocated, memcg_nr_objs of them, freed on unload. */
static void **memcg_objs;
static unsigned int memcg_nr_objs;
static bool memcg_use_kmalloc;

/*
 * The flags of every object. What a charge does at memory.max depends on
 * them (try_charge_memcg() in mm/memcontrol.c of Linux 6.1): after reclaim
 * and MAX_RECLAIM_RETRIES retries a GFP_KERNEL_ACCOUNT charge invokes the
 * memcg OOM killer, which here would kill insmod or another task of the
 * cgroup and print a trace, and retries after the kill. __GFP_RETRY_MAYFAIL
 * makes the charge fail with -ENOMEM right before the OOM killer instead
 * (and still raises the "max" event of memory.events), so the allocation
 * returns NULL cleanly. __GFP_NORETRY would fail too, but after a single
 * round of reclaim. __GFP_NOWARN keeps a failing page allocation quiet.
 */
static gfp_t __init smalloc_charge_gfp(void)
{
	gfp_t gfp = memcg_flags_account ? GFP_KERNEL_ACCOUNT : GFP_KERNEL;

	if (memcg_retry_mayfail)
		gfp |= __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	return gfp;
}

static int __init smalloc_charge_init(void)
{
	gfp_t gfp = smalloc_charge_gfp();
	unsigned int i;
	void *p;

	if (!strcmp(memcg_alloc, "kmalloc")) {
		memcg_use_kmalloc = true;
	} else if (strcmp(memcg_alloc, "smalloc")) {
		pr_err("alloc=%s: want smalloc or kmalloc\n", memcg_alloc);
		return -EINVAL;
	}
	if (!memcg_size || memcg_size > KMALLOC_MAX_SIZE || !memcg_count) {
		pr_err("size=%u count=%u: want 1..%lu bytes and 1 or more objects\n",
		       memcg_size, memcg_count, (unsigned long)KMALLOC_MAX_SIZE);
		return -EINVAL;
	}

	/* The array itself is not charged: only the objects are measured. */
	memcg_objs = kvcalloc(memcg_count, sizeof(*memcg_objs), GFP_KERNEL);
	if (!memcg_objs)
		return -ENOMEM;

	for (i = 0; i < memcg_count; i++) {
		if (memcg_use_kmalloc)
			p = kmalloc(memcg_size, gfp);
		else
			p = smalloc_alloc(memcg_size, gfp);
		if (!p)
			break;
		/* Touch every byte, as a user of the memory would. */
		memset(p, 0xa5, memcg_size);
		memcg_objs[i] = p;
		cond_resched();
	}
	memcg_nr_objs = i;

	pr_info("allocated %u of %u objects of %u bytes with %s\n",
		memcg_nr_objs, memcg_count, memcg_size,
		memcg_use_kmalloc ? "kmalloc" : "smalloc");
	return 0;
}

static void __exit smalloc_charge_exit(void)
{
	unsigned int i;

	for (i = 0; i < memcg_nr_objs; i++) {
		if (memcg_use_kmalloc)
			kfree(memcg_objs[i]);
		else
			smalloc_free(memcg_objs[i]);
	}
	kvfree(memcg_objs);
}

module_init(smalloc_charge_init);
module_exit(smalloc_charge_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("smalloc and kmalloc objects charged to the loader's memory cgroup");
