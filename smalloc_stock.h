/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The fast path of smalloc_alloc() and smalloc_free(): inline, as a slab
 * allocator's is, for the core (smalloc_core.c) only. What it is and why
 * it is safe: see smalloc_stock.c.
 */
#ifndef _SMALLOC_STOCK_H
#define _SMALLOC_STOCK_H

#include <linux/percpu.h>
#include "smalloc_hooks.h"
#include "smalloc_internal.h"
#include "smalloc_status.h"

/* Are stocks used for @pool? Not in debug mode, which wants fresh objects. */
static inline bool sm_stocks(const struct smalloc_pool *pool)
{
	return !pool->debug && !pool->unstocked;
}

/* Take slot @i out, keeping the others in the order they came. */
static inline void sm_stock_remove(struct smalloc_stock *st, unsigned int i)
{
	st->units -= st->n[i];
	for (st->nr--; i < st->nr; i++) {
		st->obj[i] = st->obj[i + 1];
		st->n[i] = st->n[i + 1];
	}
	sm_stat(st->stats, STOCKED_OBJECTS)--;
}

/* Move the @nr oldest objects of @st to @batch. */
static inline void sm_stock_take(struct smalloc_stock *st,
				 struct smalloc_batch *batch, unsigned int nr)
{
	while (nr-- && st->nr) {
		batch->obj[batch->nr] = st->obj[0];
		batch->n[batch->nr++] = st->n[0];
		sm_stock_remove(st, 0);
	}
}

/*
 * The slot of the object @st holds that fits @n units on an @align
 * boundary best: the newest of exactly @n units, or else the smallest of
 * up to SM_STOCK_SLACK(@n) units more; -1 if none does.
 */
static __always_inline int sm_stock_fit(const struct smalloc_stock *st,
					unsigned int n, size_t align)
{
	unsigned int i = st->nr, most = n + SM_STOCK_SLACK(n);
	int best = -1;

	while (i--) {
		if (st->n[i] < n || st->n[i] > most ||
		    !IS_ALIGNED((unsigned long)st->obj[i], align))
			continue;
		if (st->n[i] == n)
			return i;
		if (best < 0 || st->n[i] < st->n[best])
			best = i;
	}
	return best;
}

/**
 * smalloc_stock_alloc - an object of @size bytes from this CPU's stock
 * @pool: the pool, its memory cgroup's child already chosen
 * @size: bytes asked for, not 0
 * @align: the alignment it needs, a power of two
 * @flags: for the alloc hooks
 * @usable: set to the object's usable size, which may be up to
 *          SM_STOCK_SLACK() units more than @size needs, as a slab's size
 *          classes round up
 *
 * Return: the stocked object sm_stock_fit() picks, hooks run and accounted
 * for; NULL if there is none.
 */
static __always_inline void *smalloc_stock_alloc(struct smalloc_pool *pool,
						 size_t size, size_t align,
						 gfp_t flags, size_t *usable)
{
	unsigned int n = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	struct smalloc_stock *st;
	void *obj = NULL;
	int i;

	if (n > SM_STOCK_MAX_UNITS || !sm_stocks(pool))
		return NULL;
	preempt_disable();
	st = this_cpu_ptr(pool->stock);
	if (likely(this_cpu_inc_return(pool->stock->busy) == 1)) {
		while ((i = sm_stock_fit(st, n, align)) >= 0) {
			obj = st->obj[i];
			n = st->n[i];
			sm_stock_remove(st, i);
			/* A page found corrupt since: its objects stay put. */
			if (likely(!READ_ONCE(smalloc_quarantined_any)) ||
			    !READ_ONCE(sm_info_of(virt_to_page(obj))->quarantined))
				break;
			obj = NULL;
			n = DIV_ROUND_UP(size, SM_UNIT_SIZE);
		}
		/* Missed twice in a row for one size: sm_stock_refill(). */
		st->refill = !obj && st->missed == n ? n : 0;
		st->missed = obj ? 0 : n;
		if (obj) {
			sm_stat(st->stats, ALLOCS)++;
			sm_stat(st->stats, LIVE_OBJECTS)++;
			sm_stat(st->stats, LIVE_BYTES) += n * SM_UNIT_SIZE;
			sm_stat(st->stats, BYTES_REQUESTED) += size;
			sm_stat(st->stats, BYTES_HANDED_OUT) += n * SM_UNIT_SIZE;
		}
	}
	this_cpu_dec(pool->stock->busy);
	preempt_enable();
	if (!obj)
		return NULL;
	smalloc_unmark(obj);
	*usable = n * SM_UNIT_SIZE;
	sm_hook_alloc_small(obj, size, *usable, *usable, flags);
	return obj;
}

/* Status word @wi of @info and whether its check holds, read without the lock. */
static inline bool sm_word_read(const struct smalloc_page_info *info,
				unsigned int wi, u64 *word)
{
	*word = READ_ONCE(info->sp->status[wi]);
	return sm_word_check(*word) == READ_ONCE(info->check[wi]);
}

/*
 * The units of the object starting at @unit, from status words whose
 * checks hold; 0 if it is not one, or is longer than a stock takes: the
 * locked path then decides.
 */
static __always_inline unsigned int
sm_stockable_units(const struct smalloc_page_info *info, unsigned int unit)
{
	unsigned int wi = unit / SM_UNITS_PER_WORD;
	unsigned int shift = SM_BITS_PER_UNIT * (unit % SM_UNITS_PER_WORD);
	unsigned int code, prev, end;
	u64 word, before, other;

	if (!sm_word_read(info, wi, &word))
		return 0;
	code = (word >> shift) & 3;
	if (shift) {
		prev = (word >> (shift - SM_BITS_PER_UNIT)) & 3;
	} else if (unit) {
		if (!sm_word_read(info, wi - 1, &before))
			return 0;
		prev = before >> (64 - SM_BITS_PER_UNIT);
	} else {
		prev = SM_FREE;
	}
	if (code == SM_FREE || prev == code)
		return 0;
	/* The first unit after @unit whose code differs: the object's end. */
	other = sm_nonzero_units(word ^ sm_pattern(code)) & (~0ULL << shift);
	while (!other) {
		if (++wi == SM_WORDS)
			return 0;	/* runs to the page's end: not stocked */
		if (!sm_word_read(info, wi, &word))
			return 0;
		other = sm_nonzero_units(word ^ sm_pattern(code));
	}
	end = min_t(unsigned int, wi * SM_UNITS_PER_WORD + __ffs64(other) / 2,
		    SM_UNITS);
	return end - unit <= SM_STOCK_MAX_UNITS ? end - unit : 0;
}

/**
 * smalloc_stock_free - free a small object into this CPU's stock
 * @arena: the arena owning @page, found live under the caller's
 *         preempt_disable(), which also pins us to this CPU
 * @page: the shared page @ptr points into
 * @ptr: what the caller passed to smalloc_free()
 * @sensitive: clear it all, as smalloc_free_sensitive() promises
 * @batch: where the older half of a full stock goes, for the caller to
 *         hand to smalloc_release_claimed() once preemption is on
 * @usable: set to the object's usable size
 *
 * Return: true if the object was freed; false if the locked path must
 * decide, which finds out on its own what is wrong with @ptr, if anything.
 */
static __always_inline bool smalloc_stock_free(struct smalloc_arena *arena,
					       struct page *page, void *ptr,
					       bool sensitive,
					       struct smalloc_batch *batch,
					       size_t *usable)
{
	struct smalloc_pool *pool = arena->pool;
	unsigned long offset = offset_in_page(ptr), first;
	struct smalloc_page_info *info;
	struct smalloc_stock *st;
	unsigned int n;
	bool done = false;

	if (!sm_stocks(pool) || offset < SM_DATA_OFFSET ||
	    offset % SM_UNIT_SIZE)
		return false;
	info = sm_info_of(page);
	if (!info || READ_ONCE(info->quarantined))
		return false;
	n = sm_stockable_units(info, sm_unit_of(ptr));
	if (!n)
		return false;

	st = this_cpu_ptr(pool->stock);
	if (unlikely(this_cpu_inc_return(pool->stock->busy) != 1))
		goto out;
	/* Full, in slots or units: the older half goes back, or more. */
	if (st->nr == SM_STOCK_SLOTS || st->units + n > SM_STOCK_UNITS) {
		sm_stock_take(st, batch, st->nr / 2);
		while (st->units + n > SM_STOCK_UNITS)
			sm_stock_take(st, batch, 1);
	}
	if (!smalloc_claim(ptr, &first))
		goto out;
	/*
	 * Still the object read before the claim? Only a racing free or
	 * realloc of it (misuse) changes it, and those claim it too: read
	 * again, after the claim's barrier, and leave any change to the
	 * locked path.
	 */
	if (unlikely(sm_stockable_units(info, sm_unit_of(ptr)) != n)) {
		smalloc_unclaim(ptr, first);
		goto out;
	}
	*usable = n * SM_UNIT_SIZE;
	if (sensitive)	/* the mark took the first word's place */
		sm_hook_clear(ptr + sizeof(long), *usable - sizeof(long));
	sm_hook_free_small(ptr, *usable, *usable);
	st->obj[st->nr] = ptr;
	st->n[st->nr++] = n;
	st->units += n;
	sm_stat(st->stats, STOCKED_OBJECTS)++;
	sm_stat(st->stats, FREES)++;
	sm_stat(st->stats, LIVE_OBJECTS)--;
	sm_stat(st->stats, LIVE_BYTES) -= *usable;
	done = true;
out:
	this_cpu_dec(pool->stock->busy);
	return done;
}

#endif /* _SMALLOC_STOCK_H */
