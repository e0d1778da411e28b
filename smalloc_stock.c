// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc's fast path: a stock of freed small objects per CPU and pool.
 *
 * smalloc_free() of an object of up to SM_STOCK_MAX_UNITS units (1 KiB)
 * puts it in the stock of the CPU it runs on, and smalloc_alloc() of as
 * many units takes the newest one back, as a slab allocator's per-CPU
 * freelist does: no arena lock, no interrupts disabled, no list searched,
 * no status word written. Failing that, an object of up to an eighth more
 * units will do, as a size class rounds up. Preemption is off for the few
 * instructions the stock is touched in, and a per-CPU busy count keeps an
 * interrupt on the same CPU out of it (the interrupt takes the locked path
 * instead). Objects freed on another CPU than they were allocated on stay
 * there, for that CPU's allocations: no lock of the CPU that allocated
 * them is taken but once per batch (below).
 *
 * A stocked object keeps its USED code, so the status array, the one record
 * of which units hold what, shows it as allocated (debugfs too; the stats
 * count it under stocked_objects), and its page cannot empty. It is free
 * all the same: its free hooks ran (kmemleak, init_on_free, KASAN poison)
 * and it left the live counts. What tells it from a live object is its
 * first word, the free mark: the object's address XORed with a secret
 * drawn at load time (odd, so never a pointer nor zero). Every free claims
 * the object by swapping the mark into that word with cmpxchg(), the
 * locked path too, so of two frees of one object only one can win, and a
 * later free, size or realloc of a stocked object finds the mark and is
 * refused. smalloc_realloc() holds a claim while it resizes. The word is
 * the caller's again from the allocation on: both paths clear it before
 * handing the object out, units given back to their page lose it, and
 * init_on_free and smalloc_free_sensitive() clear the bytes after it.
 *
 * The free path reads the status words without the arena lock: a word and
 * its check, stored one after the other by the lock holder, may be seen
 * torn, and a word that fails its check sends the free down the locked
 * path, which decides with the lock held (and quarantines a page only
 * there). On 32-bit a torn read passes its check once in 2^16; for an
 * object the caller owns that changes nothing, as its units and the codes
 * next to them differ in every state the words pass through. The words
 * are read again after the claim: a racing free or realloc of the object
 * (misuse) that changed it in between sends the free to the locked path
 * too. Shared pages are given back after an RCU grace period, so a page
 * emptied by a racing double free stays readable here.
 *
 * A full stock (SM_STOCK_SLOTS objects or SM_STOCK_UNITS units, 4 KiB)
 * hands its older half back to the pages, under each arena's lock once per
 * batch, after preemption is on again (on PREEMPT_RT the arena lock
 * sleeps). smalloc_pool_drain() empties every CPU's stock, and so does
 * smalloc_pool_destroy(); an offline CPU's stock waits for them.
 */

#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/workqueue.h>
#include "smalloc_stock.h"

unsigned long smalloc_mark_secret __read_mostly;

#ifdef CONFIG_KASAN
/* For words KASAN may see poisoned: a free unit's, a tiny object's tail. */
noinline __no_sanitize_address void smalloc_write_first(void *obj,
							unsigned long val)
{
	*(unsigned long *)obj = val;
}
#endif

/**
 * smalloc_stock_init - draw the secret of the free marks
 */
void smalloc_stock_init(void)
{
	smalloc_mark_secret = get_random_long() | 1;
}

/**
 * smalloc_stock_pool_init - give a pool its per-CPU stocks
 * @pool: a new pool
 * @gfp: for the stocks; may be atomic
 *
 * Return: 0, or -ENOMEM.
 */
int smalloc_stock_pool_init(struct smalloc_pool *pool, gfp_t gfp)
{
	pool->stock = alloc_percpu_gfp(struct smalloc_stock, gfp);
	return pool->stock ? 0 : -ENOMEM;
}

/* Empty @st, a stock no CPU is using: an offline CPU's, or a dead pool's. */
static void sm_stock_empty(struct smalloc_stock *st)
{
	struct smalloc_batch batch;

	while (st->nr) {
		batch.nr = 0;
		sm_stock_take(st, &batch, SM_STOCK_SLOTS);
		smalloc_release_claimed(batch.obj, batch.n, batch.nr);
	}
}

/* Empty this CPU's stock of @arg, a pool (from work_on_cpu()). */
static long sm_stock_drain_here(void *arg)
{
	struct smalloc_pool *pool = arg;
	struct smalloc_batch batch;
	bool again = true;

	while (again) {
		batch.nr = 0;
		preempt_disable();
		if (this_cpu_inc_return(pool->stock->busy) == 1)
			sm_stock_take(this_cpu_ptr(pool->stock), &batch,
				      SM_STOCK_SLOTS);
		again = this_cpu_ptr(pool->stock)->nr;
		this_cpu_dec(pool->stock->busy);
		preempt_enable();
		smalloc_release_claimed(batch.obj, batch.n, batch.nr);
	}
	return 0;
}

/**
 * smalloc_pool_drain - give every CPU's stocked objects of a pool back
 * @pool: the pool
 *
 * Their units become free in the status array, and emptied pages go back
 * as usual. Runs on each online CPU in turn; an offline CPU's stock is
 * emptied from here. For tests that look at the status array, and for
 * smalloc_pool_destroy() (see smalloc_stock_pool_exit()).
 * Context: process context, may sleep.
 */
void smalloc_pool_drain(struct smalloc_pool *pool)
{
	int cpu;

	if (!sm_stocks(pool))
		return;
	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		if (cpu_online(cpu))
			work_on_cpu(cpu, sm_stock_drain_here, pool);
		else
			sm_stock_empty(per_cpu_ptr(pool->stock, cpu));
	}
	cpus_read_unlock();
}

/**
 * smalloc_stock_stats_add - add what the stocks counted to @stats
 * @pool: the pool
 * @stats: the sum so far
 *
 * Read without stopping the CPUs: a snapshot, as the arenas' counters are.
 */
void smalloc_stock_stats_add(struct smalloc_pool *pool,
			     struct smalloc_stats *stats)
{
	unsigned int stat;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct smalloc_stock *st = per_cpu_ptr(pool->stock, cpu);

		for (stat = 0; stat < SM_STAT_NR; stat++)
			stats->v[stat] += READ_ONCE(st->stats.v[stat]);
	}
}

/**
 * smalloc_stock_pool_exit - empty a pool's stocks into their pages
 * @pool: a pool out of use: no CPU allocates from it or frees into it
 *
 * smalloc_stock_pool_free() frees the stocks themselves, with the pool.
 */
void smalloc_stock_pool_exit(struct smalloc_pool *pool)
{
	int cpu;

	if (!pool->stock)
		return;
	for_each_possible_cpu(cpu)
		sm_stock_empty(per_cpu_ptr(pool->stock, cpu));
}

/**
 * smalloc_stock_pool_free - free a pool's stocks, emptied before
 * @pool: the pool
 */
void smalloc_stock_pool_free(struct smalloc_pool *pool)
{
	free_percpu(pool->stock);
}
