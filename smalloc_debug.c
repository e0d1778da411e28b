// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc.debug=1: what slub_debug=FZPU does for slabs, for kernels without
 * KASAN. Loaded with it, smalloc
 *  - puts a redzone unit after each object, filled with a canary that
 *    smalloc_free() checks;
 *  - poisons free units and checks the poison when they are handed out
 *    again, which finds writes after free;
 *  - records who allocated and who freed each object (stack depot), and
 *    names both in every report, with the pool, page id, unit and size.
 * /sys/kernel/debug/smalloc/verify walks every page and checks everything
 * that must hold of it. Without the parameter a static key keeps all of
 * this off the fast paths. Each pool decides when it is created, so that
 * the tests can make pools of both kinds in one kernel.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kasan.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include "smalloc_internal.h"
#include "smalloc_status.h"

#define SM_POISON_FREE	0x6b	/* as POISON_FREE */
#define SM_REDZONE_BYTE	0xbb	/* as SLUB_RED_ACTIVE */
#define SM_STACK_DEPTH	16

/* On while any pool is in debug mode. */
DEFINE_STATIC_KEY_FALSE(smalloc_debug_key);

static bool debug;
module_param(debug, bool, 0444);
MODULE_PARM_DESC(debug, "Redzones, poisoning and caller tracking in every pool (default: off)");

/* The first byte of [p, p + len) that is not @c, or -1. */
static long sm_first_other(const u8 *p, size_t len, u8 c)
{
	const u8 *bad = memchr_inv(p, c, len);

	return bad ? bad - p : -1;
}

/* Under the arena lock: the depot may not sleep for memory. */
static depot_stack_handle_t sm_save_stack(gfp_t flags)
{
	unsigned long entries[SM_STACK_DEPTH];
	unsigned int nr = stack_trace_save(entries, ARRAY_SIZE(entries), 2);

	return stack_depot_save(entries, nr, flags | __GFP_NOWARN);
}

static void sm_print_stack(const char *what, depot_stack_handle_t handle)
{
	if (!handle) {
		pr_err(" %s by: unknown\n", what);
		return;
	}
	pr_err(" %s by:\n", what);
	stack_depot_print(handle);
}

/* One report: where, what, and both stacks of the object at @unit. */
static void sm_debug_report(struct smalloc_page_info *info, unsigned int unit,
			    size_t size, long offset, const char *what)
{
	struct smalloc_pool *pool = info->arena->pool;

	/* A memory cgroup's child pool: count it where its pool shows it. */
	pool = pool->parent ?: pool;
	atomic_long_inc(&pool->debug_reports);
	pr_err("pool %s page %u unit %u (%zu bytes): %s at offset %ld\n",
	       pool->name, info->id, unit, size, what, offset);
	sm_print_stack("allocated", info->tracks[2 * unit]);
	sm_print_stack("freed", info->tracks[2 * unit + 1]);
}

/**
 * smalloc_debug_pool_init - put a new pool in debug mode if it should be
 * @pool: the pool, not yet used
 * @on: debug mode even without smalloc.debug=1
 *
 * Context: process context, may sleep.
 * Return: 0, or an error if the stack depot cannot be had.
 */
int smalloc_debug_pool_init(struct smalloc_pool *pool, bool on)
{
	if (pool->debug || (!debug && !on))
		return 0;
	if (stack_depot_init())
		return -ENOMEM;
	pool->debug = true;
	static_branch_inc(&smalloc_debug_key);
	pr_info("pool %s: debug mode: redzones, poisoning, caller tracking\n",
		pool->name);
	return 0;
}

/**
 * smalloc_debug_pool_exit - a pool in debug mode is going away
 * @pool: the pool
 */
void smalloc_debug_pool_exit(struct smalloc_pool *pool)
{
	if (pool->debug && !pool->parent)
		static_branch_dec(&smalloc_debug_key);
}

/**
 * smalloc_debug_page_init - prepare a new page's data area and tracks
 * @info: the page, not yet visible to anyone else
 * @flags: the allocation's GFP flags
 *
 * Return: false if memory for the tracks ran out.
 */
bool smalloc_debug_page_init(struct smalloc_page_info *info, gfp_t flags)
{
	info->tracks = kcalloc(2 * SM_UNITS, sizeof(*info->tracks),
			       smalloc_page_gfp(flags));
	if (!info->tracks)
		return false;
	memset(sm_data(info->sp), SM_POISON_FREE, SM_MAX_SMALL);
	return true;
}

/**
 * smalloc_debug_alloc - check and arm units [start, start + units] for use
 * @info: their page
 * @start: the object's first unit
 * @units: its units, the redzone unit after them not counted
 *
 * Called with the arena lock held. The units must still hold the poison
 * they got when freed; the redzone unit gets its canary.
 */
void smalloc_debug_alloc(struct smalloc_page_info *info, unsigned int start,
			 unsigned int units)
{
	u8 *obj = sm_data(info->sp) + start * SM_UNIT_SIZE;
	size_t usable = units * SM_UNIT_SIZE;
	long bad;

	kasan_disable_current();	/* the units are still free to KASAN */
	bad = sm_first_other(obj, usable + SM_UNIT_SIZE, SM_POISON_FREE);
	if (bad >= 0)
		sm_debug_report(info, start, usable, bad,
				"written after free (poison overwritten)");
	memset(obj + usable, SM_REDZONE_BYTE, SM_UNIT_SIZE);
	kasan_enable_current();
	info->tracks[2 * start] = sm_save_stack(GFP_NOWAIT);
	info->tracks[2 * start + 1] = 0;
}

/**
 * smalloc_debug_free - check the redzone of an object and poison it
 * @info: its page
 * @start: the object's first unit
 * @units: its units, the redzone unit after them not counted
 *
 * Called with the arena lock held, after the init policy's zeroing, so
 * that the poison is what stays; KASAN looks away while it reads.
 */
void smalloc_debug_free(struct smalloc_page_info *info, unsigned int start,
			unsigned int units)
{
	u8 *obj = sm_data(info->sp) + start * SM_UNIT_SIZE;
	size_t usable = units * SM_UNIT_SIZE;
	long bad;

	kasan_disable_current();
	bad = sm_first_other(obj + usable, SM_UNIT_SIZE, SM_REDZONE_BYTE);
	info->tracks[2 * start + 1] = sm_save_stack(GFP_NOWAIT);
	if (bad >= 0)
		sm_debug_report(info, start, usable, usable + bad,
				"redzone overwritten");
	memset(obj, SM_POISON_FREE, usable + SM_UNIT_SIZE);
	kasan_enable_current();
}

/* ---- /sys/kernel/debug/smalloc/verify ----------------------------------- */

/*
 * Everything that must hold of one page, checked under its arena lock;
 * one line per problem. Returns the number of problems.
 */
static unsigned int sm_verify_page(struct seq_file *m,
				   struct smalloc_page_info *info)
{
	bool debug_pool = sm_debug(info->arena->pool);
	const struct smalloc_page *sp = info->sp;
	unsigned int unit, end, code, nr_free = 0, problems = 0;
	u8 *data = sm_data(info->sp);
	long bad;

	if (info->quarantined) {
		seq_printf(m, "page %u: quarantined\n", info->id);
		return 1;
	}
	if (sm_bad_words(sp, info->check)) {
		seq_printf(m, "page %u: status array does not match its checks\n",
			   info->id);
		return 1;
	}
	kasan_disable_current();
	for (unit = 0; unit < SM_UNITS; unit = end) {
		code = smalloc_unit_code(sp, unit);
		end = sm_next_other(sp, unit, code);
		if (code == SM_FREE) {
			nr_free += end - unit;
			if (unit < info->first_free) {
				seq_printf(m, "page %u unit %u: free below first_free %u\n",
					   info->id, unit, info->first_free);
				problems++;
			}
			if (end - unit > info->run_hint) {
				seq_printf(m, "page %u unit %u: free run of %u above hint %u\n",
					   info->id, unit, end - unit, info->run_hint);
				problems++;
			}
			bad = !debug_pool ? -1 :
			      sm_first_other(data + unit * SM_UNIT_SIZE,
					     (end - unit) * SM_UNIT_SIZE,
					     SM_POISON_FREE);
			if (bad >= 0) {
				seq_printf(m, "page %u unit %u: free unit written at offset %ld\n",
					   info->id, unit, bad);
				problems++;
			}
		} else if (debug_pool) {
			bad = sm_first_other(data + (end - 1) * SM_UNIT_SIZE,
					     SM_UNIT_SIZE, SM_REDZONE_BYTE);
			if (bad >= 0) {
				seq_printf(m, "page %u unit %u (%u bytes): redzone overwritten\n",
					   info->id, unit,
					   (end - unit - 1) * SM_UNIT_SIZE);
				problems++;
			}
		}
	}
	kasan_enable_current();
	if (nr_free != info->nr_free) {
		seq_printf(m, "page %u: %u units free, nr_free says %u\n",
			   info->id, nr_free, info->nr_free);
		problems++;
	}
	return problems;
}

/**
 * smalloc_verify_seq_show - check every page of a pool, one line a problem
 * @m: where to print
 * @pool: the pool
 */
void smalloc_verify_seq_show(struct seq_file *m, struct smalloc_pool *pool)
{
	unsigned int pages = 0, problems = 0;
	unsigned long pfn = 0;

	for (; smalloc_next_page(pool, &pfn); pfn++) {
		int found = smalloc_page_visit(pool, pfn, sm_verify_page, m);

		if (found < 0)
			continue;	/* released meanwhile */
		pages++;
		problems += found;
		cond_resched();
	}
	seq_printf(m, "%u pages checked, %u problems\n", pages, problems);
}
