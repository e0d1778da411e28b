// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc - small objects packed into pages that describe themselves.
 *
 * Every shared page starts with a status array of 2-bit codes, one per
 * 8-byte unit of the data area behind it: FREE, or one of three USED codes.
 * The units of one object share a code that differs from both neighbours'
 * codes, so the run of equal codes is the object and smalloc_free() needs
 * neither a size nor a header. Larger requests go to the page allocator.
 *
 * Locking. Each arena's spinlock (irqsave) guards its pages' status arrays
 * and page infos, its lists and its counters; the per-CPU stocks of the
 * fast path (smalloc_stock.c) take none, and only read status words
 * without it. Lock order:
 *   arena->lock, then the smalloc_owners XArray's lock (a page released);
 *   arena->lock, then kmemleak's and the stack depot's own locks (hooks).
 * smalloc_pools_lock, a pool's memcg_lock and its memcg_pools XArray lock
 * are never taken with an arena lock held, nor with each other.
 * smalloc_free() and smalloc_size() find an arena and use it inside one RCU
 * read-side section, or with preemption off on the fast path, which
 * synchronize_rcu() waits for too; smalloc_pool_destroy() waits for them.
 *
 * See Documentation/smalloc.rst for the layout, the code rule and the rest.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "smalloc_hooks.h"
#include "smalloc_internal.h"
#include "smalloc_status.h"
#include "smalloc_stock.h"

#define CREATE_TRACE_POINTS
#include "smalloc_trace.h"

/* Tag on owner entries of allocations served by the page allocator. */
#define SM_OWNER_LARGE	1

/*
 * Every page smalloc holds records its owning arena (tagged SM_OWNER_LARGE
 * for a large object) twice: in page->private, which smalloc_free() reads
 * to know its own pages fast, and in this pfn-indexed XArray, which lists
 * the pages for debugfs and pool destruction. Both are set before the page
 * is used and cleared before it is freed: for a shared page under the arena
 * lock, for a large object by the cmpxchg that lets only one free win.
 * Walkers of the XArray compare arena addresses and never dereference an
 * entry of another pool, which may be going away.
 */
static DEFINE_XARRAY_FLAGS(smalloc_owners, XA_FLAGS_LOCK_IRQ);

struct smalloc_pool *smalloc_default_pool;
bool smalloc_quarantined_any;

const char * const smalloc_stat_names[SM_STAT_NR] = {
	[SM_STAT_PAGES]			= "pages",
	[SM_STAT_RESERVE_PAGES]		= "reserve_pages",
	[SM_STAT_QUARANTINED_PAGES]	= "quarantined_pages",
	[SM_STAT_LARGE_ALLOCS]		= "large_allocs",
	[SM_STAT_LARGE_PAGES]		= "large_pages",
	[SM_STAT_LIVE_OBJECTS]		= "live_objects",
	[SM_STAT_LIVE_BYTES]		= "live_bytes",
	[SM_STAT_BYTES_REQUESTED]	= "bytes_requested",
	[SM_STAT_BYTES_HANDED_OUT]	= "bytes_handed_out",
	[SM_STAT_ALLOCS]		= "allocs",
	[SM_STAT_FREES]			= "frees",
	[SM_STAT_FAILURES]		= "failures",
	[SM_STAT_LARGE_CACHED_PAGES]	= "large_cached_pages",
	[SM_STAT_STOCKED_OBJECTS]	= "stocked_objects",
};

/* ---- pages and the arenas' lists ------------------------------------- */

/* The page infos, out of reach of the objects (see struct smalloc_page_info). */
static struct kmem_cache *smalloc_info_cache;

static void sm_list_del(struct smalloc_arena *arena,
			struct smalloc_page_info *info)
{
	unsigned int class = sm_run_class(info->run_hint);

	list_del(&info->list);
	if (class < SM_RUN_CLASSES && list_empty(&arena->by_class[class]))
		__clear_bit(class, arena->class_nonempty);
}

static void sm_list_add(struct smalloc_arena *arena,
			struct smalloc_page_info *info, unsigned int run_hint)
{
	unsigned int class = sm_run_class(run_hint);

	info->run_hint = run_hint;
	list_add(&info->list, &arena->by_class[class]);
	__set_bit(class, arena->class_nonempty);
}

static void sm_set_run_hint(struct smalloc_arena *arena,
			    struct smalloc_page_info *info, unsigned int run_hint)
{
	if (sm_run_class(run_hint) == sm_run_class(info->run_hint)) {
		info->run_hint = run_hint;
		return;
	}
	sm_list_del(arena, info);
	sm_list_add(arena, info, run_hint);
}

/*
 * The first page of the first non-empty class at or above @class. A list
 * can be empty with its bit set only after a page with a corrupt hint left
 * it for the quarantine.
 */
static struct smalloc_page_info *sm_page_in_class(struct smalloc_arena *arena,
						  unsigned long class)
{
	while ((class = find_next_bit(arena->class_nonempty, SM_RUN_CLASSES,
				      class)) < SM_RUN_CLASSES) {
		if (likely(!list_empty(&arena->by_class[class])))
			return list_first_entry(&arena->by_class[class],
						struct smalloc_page_info, list);
		__clear_bit(class++, arena->class_nonempty);
	}
	return NULL;
}

/*
 * Take a page out of use for good: off the lists, never allocated from,
 * never given back, its objects' frees refused. Said once, with the words
 * whose check failed, so the overflow that hit it can be found.
 */
#define SM_REPORT_WORDS	8	/* differing words shown at most */

static void sm_quarantine(struct smalloc_arena *arena,
			  struct smalloc_page_info *info, const char *why)
{
	unsigned int wi;

	unsigned int shown = 0;

	pr_err("pool %s page %u: %s; page quarantined, its objects' frees refused\n",
	       arena->pool->name, info->id, why);
	/* IRQs are off: a few words tell where the overrun came from. */
	for (wi = 0; wi < SM_WORDS && shown < SM_REPORT_WORDS; wi++) {
		if (sm_word_check(info->sp->status[wi]) == info->check[wi])
			continue;
		pr_err("  status word %u: %016llx, check %04x, expected %04x\n",
		       wi, info->sp->status[wi],
		       sm_word_check(info->sp->status[wi]), info->check[wi]);
		shown++;
	}
	sm_list_del(arena, info);
	list_add(&info->list, &arena->quarantine);
	info->quarantined = true;
	WRITE_ONCE(smalloc_quarantined_any, true);
	if (info->nr_free == SM_UNITS)
		sm_stat(arena->stats, RESERVE_PAGES)--;
	sm_stat(arena->stats, QUARANTINED_PAGES)++;
}

/* May the page's hints be believed? Checked under the arena lock. */
static bool sm_page_trusted(struct smalloc_arena *arena,
			    struct smalloc_page_info *info)
{
	if (unlikely(info->quarantined))
		return false;
	if (unlikely(info->nr_free > SM_UNITS || info->run_hint > SM_UNITS ||
		     info->first_free > SM_UNITS)) {
		sm_quarantine(arena, info, "page hints out of bounds");
		return false;
	}
	return true;
}

/*
 * May the status words holding units [first, last] be believed? Checked
 * under the arena lock before a decision rests on them: the units an
 * allocation hands out and their neighbours, the object a free releases
 * and the unit after it. So a word an overflow changed is found before it
 * can hand out live memory or merge two objects, at the cost of a multiply
 * or two per operation instead of one per word of the page; a word nothing
 * relies on is checked when something does (and by debugfs "verify"). A
 * page that fails goes to quarantine.
 */
static bool sm_words_trusted(struct smalloc_arena *arena,
			     struct smalloc_page_info *info, int first,
			     unsigned int last)
{
	unsigned int wi = max(first, 0) / SM_UNITS_PER_WORD;

	last = min_t(unsigned int, last, SM_UNITS - 1) / SM_UNITS_PER_WORD;
	for (; wi <= last; wi++) {
		if (likely(sm_word_check(info->sp->status[wi]) == info->check[wi]))
			continue;
		sm_quarantine(arena, info, "status array overwritten");
		return false;
	}
	return true;
}

/* The arena of the CPU we run on; migrating right after is harmless. */
static inline struct smalloc_arena *sm_this_arena(struct smalloc_pool *pool)
{
	return &pool->arenas[raw_smp_processor_id() & (pool->nr_arenas - 1)];
}

/*
 * List @page under @owner for debugfs and pool destruction. Its private
 * word, which smalloc_free() trusts, is set apart: a large object's at once
 * (sm_alloc_large()), a shared page's once it is on a list (sm_page_insert()).
 */
static int sm_owner_set(struct page *page, void *owner, gfp_t flags)
{
	unsigned long irqflags;
	void *old;

	xa_lock_irqsave(&smalloc_owners, irqflags);
	old = __xa_store(&smalloc_owners, page_to_pfn(page), owner,
			 smalloc_page_gfp(flags));
	xa_unlock_irqrestore(&smalloc_owners, irqflags);
	return xa_err(old);
}

/**
 * smalloc_owner_erase - unlist a page from smalloc_owners
 * @page: a page whose private word no longer names its owner
 */
void smalloc_owner_erase(struct page *page)
{
	unsigned long irqflags;

	xa_lock_irqsave(&smalloc_owners, irqflags);
	__xa_erase(&smalloc_owners, page_to_pfn(page));
	xa_unlock_irqrestore(&smalloc_owners, irqflags);
}

/* Clear @page's private word if it is still @owner; false if someone beat us. */
static bool sm_owner_claim(struct page *page, void *owner)
{
	return cmpxchg(&page->private, (unsigned long)owner, 0) ==
	       (unsigned long)owner;
}

/* Clear @page's owner if it is still @owner; false if someone beat us. */
static bool sm_owner_clear(struct page *page, void *owner)
{
	if (!sm_owner_claim(page, owner))
		return false;
	smalloc_owner_erase(page);
	return true;
}

/* Called without the arena lock: may sleep if @flags allow it. */
static struct smalloc_page_info *sm_page_create(struct smalloc_arena *arena,
						gfp_t flags)
{
	struct smalloc_page_info *info;
	struct page *page;

	info = kmem_cache_zalloc(smalloc_info_cache, smalloc_page_gfp(flags));
	if (!info)
		return NULL;
	/* A memory cgroup's child pool: the cgroup pays for the page. */
	page = alloc_page(smalloc_page_gfp(flags) |
			  (arena->pool->memcg ? __GFP_ACCOUNT : 0));
	if (!page)
		goto free_info;
	info->sp = page_address(page);
	info->arena = arena;
	memset(info->sp, 0, sizeof(*info->sp));	/* and so all checks are 0 */
	if (sm_debug(arena->pool) && !smalloc_debug_page_init(info, flags))
		goto free_page;
	sm_kasan_poison_free(sm_data(info->sp), SM_MAX_SMALL);
	/* Complete before sm_owner_set() shows the page to debugfs. */
	info->id = atomic_inc_return(&arena->pool->next_page_id) - 1;
	info->nr_free = SM_UNITS;
	info->run_hint = SM_UNITS;
	page->index = (unsigned long)info;
	if (sm_owner_set(page, arena, flags))
		goto free_page;
	return info;

free_page:
	page->index = 0;
	__free_page(page);
free_info:
	kfree(info->tracks);
	kmem_cache_free(smalloc_info_cache, info);
	return NULL;
}

static void sm_info_free(struct smalloc_page_info *info)
{
	kfree(info->tracks);
	kmem_cache_free(smalloc_info_cache, info);
}

static void sm_page_free_rcu(struct rcu_head *rcu)
{
	struct smalloc_page_info *info =
		container_of(rcu, struct smalloc_page_info, rcu);
	struct page *page = virt_to_page(info->sp);

	page->index = 0;
	__free_page(page);
	sm_info_free(info);
}

/*
 * Give an unowned page and its info back, after a grace period: the
 * lockless free (smalloc_stock.c) may still be reading a page a racing
 * double free emptied.
 */
static void sm_page_release(struct smalloc_page_info *info)
{
	call_rcu(&info->rcu, sm_page_free_rcu);
}

/* From now on smalloc_free() and smalloc_size() know the page. */
static void sm_page_insert(struct smalloc_arena *arena,
			   struct smalloc_page_info *info)
{
	lockdep_assert_held(&arena->lock);
	sm_list_add(arena, info, SM_UNITS);
	/* After page->index and the info: the lockless free reads them next. */
	smp_store_release(&virt_to_page(info->sp)->private, (unsigned long)arena);
	sm_stat(arena->stats, PAGES)++;
	sm_stat(arena->stats, RESERVE_PAGES)++;
}

/* An empty page goes back to the page allocator once the reserve is full. */
static void sm_page_emptied(struct smalloc_arena *arena,
			    struct smalloc_page_info *info)
{
	/* "+ 1 <=", not "<": a reserve of none must not warn (W=1). */
	if (sm_stat(arena->stats, RESERVE_PAGES) + 1 <= SM_RESERVE_PAGES) {
		sm_stat(arena->stats, RESERVE_PAGES)++;
		return;
	}
	sm_list_del(arena, info);
	sm_owner_clear(virt_to_page(info->sp), arena);
	sm_stat(arena->stats, PAGES)--;
	sm_page_release(info);
}

/* ---- allocation --------------------------------------------------------- */

/*
 * First fit in a page, or NULL if the page's longest-run hint promised too
 * much or the page cannot be trusted. The hint is an upper bound of the
 * longest free run, kept lazily: an allocation leaves it alone (unless the
 * page is full), so neither side of an alloc/free pair rescans the page or
 * moves it between lists; a page that does not fit after all gets its exact
 * hint here.
 */
static void *sm_alloc_in_page(struct smalloc_arena *arena,
			      struct smalloc_page_info *info, unsigned int n,
			      unsigned int align)
{
	struct smalloc_page *sp = info->sp;
	int start;

	if (!sm_page_trusted(arena, info))
		return NULL;
	start = sm_find_run(sp, info->first_free, n, align);
	if (start < 0) {
		/*
		 * Relisted, not just re-hinted: a page listed above its hint's
		 * class (a stray write to the info) must still leave the
		 * classes searched, or the search would return it forever.
		 */
		sm_list_del(arena, info);
		sm_list_add(arena, info, sm_longest_run(sp, info->first_free));
		return NULL;
	}
	if (!sm_words_trusted(arena, info, start - 1, start + n))
		return NULL;
	if (info->nr_free == SM_UNITS)
		sm_stat(arena->stats, RESERVE_PAGES)--;
	sm_set_run(sp, info->check, start, n, sm_pick_code(sp, start, n));
	info->nr_free -= n;
	if (start == info->first_free)
		info->first_free = sm_next_free(sp, start + n);
	if (!info->nr_free)
		sm_set_run_hint(arena, info, 0);
	return sm_data(sp) + start * SM_UNIT_SIZE;
}

/* Pages of @n's own class looked at before the classes above it. */
#define SM_CLASS_TRIES	8

/*
 * Free units that surely hold @n units on an @align boundary: @n, or up to
 * @align - SM_UNIT_SIZE bytes more. A whole free page always does, since
 * sm_fits_shared() let only objects through whose last slot fits.
 */
static inline unsigned int sm_units_needed(unsigned int n, unsigned int align)
{
	if (align <= SM_UNIT_SIZE)
		return n;
	return min_t(unsigned int, n + align / SM_UNIT_SIZE - 1, SM_UNITS);
}

/*
 * The smallest hint that fits, nearly, as the classes allow: first a few
 * pages of the classes where a page may or may not hold @n units on an
 * @align boundary (hints are upper bounds, a class spans several hints, and
 * an aligned object may fit a run shorter than sm_units_needed()), then the
 * first page of the classes above, where every hint fits. A page that
 * disappoints gets its exact hint and leaves the candidates, so this ends.
 * (Taking the classes above first, as TLSF does, left the holes of @n's
 * own class unused and held 10 % more pages after churn.)
 */
static void *sm_alloc_from_lists(struct smalloc_arena *arena, unsigned int n,
				 unsigned int align)
{
	unsigned int need = sm_units_needed(n, align), tries = SM_CLASS_TRIES;
	unsigned int class = sm_run_class(n), sure = sm_run_class(need);
	struct smalloc_page_info *info, *next;
	void *obj;

	if (sm_class_min_run(sure) != need)
		sure++;
	for (; class < sure; class++) {
		/*
		 * No class is sure above the top one, which holds the empty
		 * pages: look at all of it (each page once, as one that
		 * disappoints moves behind the cursor or to a lower class).
		 */
		if (class == SM_RUN_CLASSES - 1)
			tries = UINT_MAX;
		/* A page that disappoints moves to another list or stays put. */
		list_for_each_entry_safe(info, next, &arena->by_class[class],
					 list) {
			if (!tries)
				break;
			tries--;
			if (info->run_hint < n)
				continue;
			obj = sm_alloc_in_page(arena, info, n, align);
			if (obj)
				return obj;
		}
	}
	while ((info = sm_page_in_class(arena, sure))) {
		obj = sm_alloc_in_page(arena, info, n, align);
		if (obj)
			return obj;
	}
	return NULL;
}

static void sm_account_alloc(struct smalloc_arena *arena, size_t requested,
			     size_t handed_out)
{
	sm_stat(arena->stats, ALLOCS)++;
	sm_stat(arena->stats, LIVE_OBJECTS)++;
	sm_stat(arena->stats, LIVE_BYTES) += handed_out;
	sm_stat(arena->stats, BYTES_REQUESTED) += requested;
	sm_stat(arena->stats, BYTES_HANDED_OUT) += handed_out;
}

static void sm_account_free(struct smalloc_arena *arena, size_t handed_out)
{
	sm_stat(arena->stats, FREES)++;
	sm_stat(arena->stats, LIVE_OBJECTS)--;
	sm_stat(arena->stats, LIVE_BYTES) -= handed_out;
}

static void sm_account_failure(struct smalloc_arena *arena)
{
	unsigned long irqflags;

	spin_lock_irqsave(&arena->lock, irqflags);
	sm_stat(arena->stats, FAILURES)++;
	spin_unlock_irqrestore(&arena->lock, irqflags);
}

/* Zones a shared page cannot promise: such objects get pages of their own. */
#define SM_GFP_ZONES	(__GFP_DMA | __GFP_DMA32)

/*
 * Pages of their own, from @node and the zone @flags ask for, charged to
 * the caller's memory cgroup on __GFP_ACCOUNT and zeroed or poisoned by the
 * page allocator as the init policy and KASAN say; or the same from the
 * arena's cache of freed pages (smalloc_large.c), which are still listed
 * under the arena. An order-n block is aligned to its size, so @align up
 * to it comes free.
 */
static void *sm_alloc_large(struct smalloc_arena *arena, size_t size,
			    size_t align, gfp_t flags, int node, size_t *usable)
{
	unsigned int order;
	unsigned long irqflags;
	struct page *page;
	bool cached = false;

	if (max(size, align) > KMALLOC_MAX_SIZE) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		goto fail;
	}
	order = get_order(max(size, align));
	/* Cached pages come from any node: only for requests that take any. */
	if (node == NUMA_NO_NODE && smalloc_large_cacheable(order, flags)) {
		spin_lock_irqsave(&arena->lock, irqflags);
		page = smalloc_large_take(arena, order);
		cached = page;
		if (cached)
			goto account;
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	page = alloc_pages_node(node, smalloc_page_gfp(flags) | __GFP_COMP |
				(flags & (__GFP_ZERO | __GFP_ACCOUNT | SM_GFP_ZONES)),
				order);
	if (!page)
		goto fail;
	if (sm_owner_set(page, xa_tag_pointer(arena, SM_OWNER_LARGE), flags)) {
		__free_pages(page, order);
		goto fail;
	}

	spin_lock_irqsave(&arena->lock, irqflags);
account:
	sm_stat(arena->stats, LARGE_ALLOCS)++;
	sm_stat(arena->stats, LARGE_PAGES) += 1UL << order;
	sm_account_alloc(arena, size, PAGE_SIZE << order);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	WRITE_ONCE(page->private,
		   (unsigned long)xa_tag_pointer(arena, SM_OWNER_LARGE));
	if (cached)
		smalloc_large_prepare(page, order, flags);
	*usable = PAGE_SIZE << order;
	sm_hook_alloc_large(page_address(page), size, *usable, flags);
	return page_address(page);

fail:
	sm_account_failure(arena);
	return NULL;
}

/* Units an object of @size bytes spans, its redzone in debug mode included. */
static inline unsigned int sm_units_spanned(struct smalloc_pool *pool,
					    size_t size)
{
	return DIV_ROUND_UP(size, SM_UNIT_SIZE) + sm_extra_units(pool);
}

/*
 * Can a shared page hold @size bytes on an @align boundary? Its last slot,
 * the one ending at the end of the page, must begin in the data area.
 */
static inline bool sm_fits_shared(struct smalloc_pool *pool, size_t size,
				  size_t align)
{
	size_t span;

	if (size > SM_MAX_SMALL || align > PAGE_SIZE)
		return false;
	span = sm_units_spanned(pool, size) * SM_UNIT_SIZE;
	return span <= SM_MAX_SMALL &&
	       round_down(PAGE_SIZE - span, align) >= SM_DATA_OFFSET;
}

/*
 * This CPU's stock missed twice in a row for @n units (smalloc_stock_alloc()):
 * carve up to SM_STOCK_REFILL more objects of @n units on an @align
 * boundary into it while the lock is held, each marked free as a stocked
 * object is, so that the next allocations of that size take no lock.
 * Interrupts are off, which pins us to this CPU; an interrupt that came
 * in the middle of a stock operation finds it busy and leaves it alone.
 */
static void sm_stock_refill(struct smalloc_arena *arena, unsigned int n,
			    unsigned int align)
{
	struct smalloc_pool *pool = arena->pool;
	struct smalloc_stock *st = this_cpu_ptr(pool->stock);
	unsigned int k;
	void *obj;

	lockdep_assert_held(&arena->lock);
	if (this_cpu_inc_return(pool->stock->busy) != 1 || st->refill != n)
		goto out;
	st->refill = 0;
	for (k = 0; k < SM_STOCK_REFILL && st->nr < SM_STOCK_SLOTS &&
	     st->units + n <= SM_STOCK_UNITS; k++) {
		obj = sm_alloc_from_lists(arena, n, align);
		if (!obj)
			break;
		smalloc_write_first(obj, sm_free_mark(obj));
		st->obj[st->nr] = obj;
		st->n[st->nr++] = n;
		st->units += n;
		sm_stat(st->stats, STOCKED_OBJECTS)++;
	}
out:
	this_cpu_dec(pool->stock->busy);
}

static void *sm_alloc_small(struct smalloc_arena *arena, size_t size,
			    unsigned int align, gfp_t flags, size_t *usable)
{
	unsigned int n = sm_units_spanned(arena->pool, size);
	unsigned int user = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	struct smalloc_page_info *info;
	unsigned long irqflags;
	void *obj;

	spin_lock_irqsave(&arena->lock, irqflags);
	obj = sm_alloc_from_lists(arena, n, align);
	if (!obj) {
		/* Grow outside the lock: the page allocator may sleep. */
		spin_unlock_irqrestore(&arena->lock, irqflags);
		info = sm_page_create(arena, flags);
		if (!info) {
			sm_account_failure(arena);
			return NULL;
		}
		spin_lock_irqsave(&arena->lock, irqflags);
		sm_page_insert(arena, info);
		/* A fresh page fits, unless an overrun hit it meanwhile. */
		obj = sm_alloc_in_page(arena, info, n, align);
		if (unlikely(!obj)) {
			sm_stat(arena->stats, FAILURES)++;
			spin_unlock_irqrestore(&arena->lock, irqflags);
			return NULL;
		}
	}
	if (sm_debug(arena->pool))
		smalloc_debug_alloc(sm_info_of(virt_to_page(obj)),
				    sm_unit_of(obj), user);
	if (n <= SM_STOCK_MAX_UNITS && sm_stocks(arena->pool))
		sm_stock_refill(arena, n, align);
	sm_account_alloc(arena, size, user * SM_UNIT_SIZE);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	/* Free units may hold an old free mark: see smalloc_stock.c. */
	if (!arena->pool->debug)
		smalloc_unmark(obj);

	*usable = user * SM_UNIT_SIZE;
	sm_hook_alloc_small(obj, size, *usable, n * SM_UNIT_SIZE, flags);
	return obj;
}

/* kmalloc()'s promise: a power-of-two size is aligned to itself. */
static inline size_t sm_natural_align(size_t size)
{
	return is_power_of_2(size) ? max_t(size_t, size, SMALLOC_ALIGN) :
				     SMALLOC_ALIGN;
}

/*
 * sm_alloc() past this CPU's stock: the lists, or the page allocator.
 * Called from sm_alloc() only, which did might_alloc().
 */
static noinline void *sm_alloc_slow(struct smalloc_pool *pool, size_t size,
				    size_t align, gfp_t flags, int node,
				    unsigned long caller)
{
	size_t usable = 0;
	void *obj;

	if (!size)
		return ZERO_SIZE_PTR;
	if ((flags & SM_GFP_ZONES) || !sm_fits_shared(pool, size, align)) {
		obj = sm_alloc_large(sm_this_arena(pool), size, align, flags,
				     node, &usable);
	} else {
		struct smalloc_pool *from = smalloc_memcg_pool(pool, flags);

		obj = NULL;
		/* A memory cgroup's child pool has a stock of its own. */
		if (from && from != pool)
			obj = smalloc_stock_alloc(from, size, align, flags,
						  &usable);
		if (from && !obj)
			obj = sm_alloc_small(sm_this_arena(from), size, align,
					     flags, &usable);
		if (!from)
			sm_account_failure(sm_this_arena(pool));
	}
	trace_smalloc_alloc(caller, obj, size, obj ? usable : 0, flags,
			    pool->name);
	return obj;
}

/*
 * @align: a power of two; sm_natural_align(@size) or more. Inline: the
 * common case, an object this CPU's stock holds, costs no call more.
 */
static __always_inline void *sm_alloc(struct smalloc_pool *pool, size_t size,
				      size_t align, gfp_t flags, int node,
				      unsigned long caller)
{
	size_t usable;
	void *obj;

	might_alloc(flags);	/* once, whichever path serves the request */
	if (likely(size - 1 < SM_STOCK_MAX_UNITS * SM_UNIT_SIZE &&
		   !(flags & (SM_GFP_ZONES | __GFP_ACCOUNT)))) {
		obj = smalloc_stock_alloc(pool, size, align, flags, &usable);
		if (obj) {
			trace_smalloc_alloc(caller, obj, size, usable, flags,
					    pool->name);
			return obj;
		}
	}
	return sm_alloc_slow(pool, size, align, flags, node, caller);
}

/**
 * smalloc_pool_alloc - allocate an object from a pool
 * @pool: a pool from smalloc_pool_create()
 * @size: bytes wanted
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Free the object with smalloc_free().
 *
 * Return: an object of at least @size bytes aligned to SMALLOC_ALIGN,
 * ZERO_SIZE_PTR for a zero @size, or NULL on failure or a NULL @pool.
 */
void *smalloc_pool_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags)
{
	if (WARN_ON_ONCE(!pool))
		return NULL;
	return sm_alloc(pool, size, sm_natural_align(size), flags,
			NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_pool_alloc);

/* ---- finding an object from a pointer ----------------------------------- */

/*
 * Every live pool, so that arenas can be told apart from other pointers. A
 * spinlock, not a mutex: memory cgroups' child pools are made in any context.
 */
static LIST_HEAD(smalloc_pools);
static DEFINE_SPINLOCK(smalloc_pools_lock);

static bool sm_is_arena_of(struct smalloc_pool *pool, unsigned long addr)
{
	unsigned long offset = addr - (unsigned long)pool->arenas;

	return offset < pool->nr_arenas * sizeof(*pool->arenas) &&
	       offset % sizeof(*pool->arenas) == 0;
}

/*
 * @addr if it is an arena of a live pool, else NULL. Called under
 * rcu_read_lock() or with preemption off, which keeps the arena alive
 * until the caller is done.
 */
static struct smalloc_arena *sm_live_arena(unsigned long addr)
{
	struct smalloc_pool *pool;

	if (likely(sm_is_arena_of(smalloc_default_pool, addr)))
		return (struct smalloc_arena *)addr;
	list_for_each_entry_rcu(pool, &smalloc_pools, node)
		if (sm_is_arena_of(pool, addr))
			return (struct smalloc_arena *)addr;
	return NULL;
}

/**
 * smalloc_sum_arenas - add up a function of every arena of every live pool
 * @fn: called on each arena, under rcu_read_lock(); must not sleep
 *
 * For the large-page cache's shrinker: smalloc_pool_destroy() waits for it.
 *
 * Return: the sum of what @fn returned.
 */
unsigned long smalloc_sum_arenas(unsigned long (*fn)(struct smalloc_arena *arena))
{
	struct smalloc_pool *pool;
	unsigned long sum = 0;
	unsigned int i;

	rcu_read_lock();
	list_for_each_entry_rcu(pool, &smalloc_pools, node)
		for (i = 0; i < pool->nr_arenas; i++)
			sum += fn(&pool->arenas[i]);
	rcu_read_unlock();
	return sum;
}

struct sm_object {
	struct smalloc_pool *pool;	/* owner, or the default pool to blame */
	struct smalloc_arena *arena;	/* owner's arena, if found */
	struct page *page;
	struct smalloc_page_info *info;	/* of a shared page, once trusted */
	bool large;
	bool sensitive;			/* cleared before it is freed */
	unsigned int start, end;	/* units, for objects in shared pages */
	size_t size;			/* usable bytes, once located */
};

/* The first byte of a located object. */
static void *sm_object_start(const struct sm_object *obj)
{
	if (obj->large)
		return page_address(obj->page);
	return sm_data(obj->info->sp) + obj->start * SM_UNIT_SIZE;
}

/*
 * Which arena owns the page under @ptr, from its struct page alone. Any
 * page's private word may hold anything, so it counts only if it names a
 * live arena: and only smalloc stores arena addresses there. @inside: @ptr
 * may point anywhere into the object, not only at its start.
 */
static enum smalloc_misuse sm_lookup_owner(const void *ptr, struct sm_object *obj,
					   bool inside)
{
	unsigned long owner;

	obj->pool = smalloc_default_pool;
	if (!virt_addr_valid(ptr))
		return SM_MISUSE_NOT_LINEAR;
	obj->page = virt_to_page(ptr);
	if (inside)	/* a large object's tail page: its head is the owner */
		obj->page = compound_head(obj->page);
	owner = READ_ONCE(obj->page->private);
	obj->arena = sm_live_arena(owner & ~SM_OWNER_LARGE);
	if (!obj->arena)
		return SM_MISUSE_FOREIGN;
	obj->large = owner & SM_OWNER_LARGE;
	/* A memory cgroup's child pool: the pool it serves counts misuse. */
	obj->pool = obj->arena->pool->parent ?: obj->arena->pool;
	if (obj->large && !inside && ptr != page_address(obj->page))
		return SM_MISUSE_INTERIOR;
	return SM_MISUSE_NONE;
}

/*
 * Find the object starting at @ptr in a shared page, or with @inside the
 * one holding @ptr: the run of equal codes around its unit, which a slab
 * allocator would need the object size for. Called with the arena lock
 * held, so the page cannot be released under us; the owner is checked
 * again because it may have been released before we took the lock.
 */
static enum smalloc_misuse sm_locate_small(const void *ptr, struct sm_object *obj,
					   bool inside)
{
	struct smalloc_page *sp = page_address(obj->page);
	unsigned long offset = ptr - (void *)sp;
	unsigned int unit, code;

	lockdep_assert_held(&obj->arena->lock);
	if (READ_ONCE(obj->page->private) != (unsigned long)obj->arena)
		return SM_MISUSE_FOREIGN;
	obj->info = sm_info_of(obj->page);
	if (!sm_page_trusted(obj->arena, obj->info))
		return SM_MISUSE_QUARANTINED;
	if (offset < SM_DATA_OFFSET || (!inside && offset % SM_UNIT_SIZE))
		return SM_MISUSE_INTERIOR;
	unit = (offset - SM_DATA_OFFSET) / SM_UNIT_SIZE;
	if (!sm_words_trusted(obj->arena, obj->info, unit - 1, unit))
		return SM_MISUSE_QUARANTINED;
	code = smalloc_unit_code(sp, unit);
	if (code == SM_FREE)
		return SM_MISUSE_NOT_ALLOCATED;
	if (inside)
		unit = sm_prev_other_end(sp, unit, code);
	else if (unit && smalloc_unit_code(sp, unit - 1) == code)
		return SM_MISUSE_INTERIOR;
	/* Freed into a stock: its units are USED, its first word says free. */
	if (!obj->pool->debug &&
	    smalloc_claimed(sm_data(sp) + unit * SM_UNIT_SIZE))
		return SM_MISUSE_NOT_ALLOCATED;
	obj->start = unit;
	obj->end = sm_next_other(sp, unit, code);
	if (!sm_words_trusted(obj->arena, obj->info, (int)unit - 1, obj->end))
		return SM_MISUSE_QUARANTINED;
	obj->size = (obj->end - obj->start - sm_extra_units(obj->pool)) *
		    SM_UNIT_SIZE;
	return SM_MISUSE_NONE;
}

static enum smalloc_misuse sm_free_large(struct sm_object *obj)
{
	struct smalloc_arena *arena = obj->arena;
	unsigned long irqflags;
	unsigned int order;
	bool keep;

	/* Two racing frees of one object: only one clears the owner. */
	if (!sm_owner_claim(obj->page, xa_tag_pointer(arena, SM_OWNER_LARGE)))
		return SM_MISUSE_FOREIGN;
	/* Only the winner may trust the order: the page is still its own. */
	order = compound_order(obj->page);
	obj->size = PAGE_SIZE << order;
	if (obj->sensitive)
		sm_hook_clear(page_address(obj->page), obj->size);
	sm_hook_free_large(page_address(obj->page));
	keep = smalloc_large_may_keep(arena, obj->page, order);
	spin_lock_irqsave(&arena->lock, irqflags);
	sm_stat(arena->stats, LARGE_ALLOCS)--;
	sm_stat(arena->stats, LARGE_PAGES) -= 1UL << order;
	sm_account_free(arena, obj->size);
	if (keep)
		keep = smalloc_large_keep(arena, obj->page, order);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	if (!keep) {
		smalloc_owner_erase(obj->page);
		__free_pages(obj->page, order);
	}
	return SM_MISUSE_NONE;
}

/*
 * Free units [start, end) and keep the longest-run hint an upper bound: it
 * can only need raising, to the merged free run, if it is below the free
 * units now, since no run is longer than those. Mostly it is not.
 */
static void sm_release_units(struct smalloc_arena *arena,
			     struct smalloc_page_info *info, unsigned int start,
			     unsigned int end)
{
	struct smalloc_page *sp = info->sp;
	unsigned int merged;

	sm_set_run(sp, info->check, start, end - start, SM_FREE);
	info->nr_free += end - start;
	info->first_free = min(info->first_free, start);
	if (info->run_hint < info->nr_free) {
		merged = sm_next_used(sp, end) - sm_prev_used_end(sp, start);
		if (merged > info->run_hint)
			sm_set_run_hint(arena, info, merged);
	}
}

static void sm_free_small(struct sm_object *obj)
{
	struct smalloc_page_info *info = obj->info;
	struct smalloc_arena *arena = obj->arena;

	sm_hook_free_small(sm_data(info->sp) + obj->start * SM_UNIT_SIZE,
			   obj->size, (obj->end - obj->start) * SM_UNIT_SIZE);
	if (sm_debug(obj->pool))
		smalloc_debug_free(info, obj->start, obj->size / SM_UNIT_SIZE);
	sm_release_units(arena, info, obj->start, obj->end);
	/* Free units keep no mark (sm_claim_small()): none for debug's poison. */
	if (!obj->pool->debug)
		smalloc_unmark(sm_object_start(obj));
	sm_account_free(arena, obj->size);
	if (info->nr_free == SM_UNITS)
		sm_page_emptied(arena, info);
}

/*
 * Free the units of a stocked object of @n units at @obj. Arena lock held.
 * Only if its words are trusted and still show that object, claimed: a
 * page an overrun hit since keeps it, and so would a stock entry gone
 * wrong, rather than free another object's units.
 */
static void sm_release_stocked(struct smalloc_arena *arena, void *obj,
			       unsigned int n)
{
	struct smalloc_page_info *info = sm_info_of(virt_to_page(obj));
	unsigned int start = sm_unit_of(obj), code;
	struct smalloc_page *sp = info->sp;

	if (!sm_page_trusted(arena, info) ||
	    !sm_words_trusted(arena, info, (int)start - 1, start + n))
		return;
	code = smalloc_unit_code(sp, start);
	if (code == SM_FREE || (start && smalloc_unit_code(sp, start - 1) == code) ||
	    sm_next_other(sp, start, code) != start + n || !smalloc_claimed(obj))
		return;
	sm_release_units(arena, info, start, start + n);
	smalloc_unmark(obj);
	if (info->nr_free == SM_UNITS)
		sm_page_emptied(arena, info);
}

/**
 * smalloc_release_claimed - free objects taken out of a stock into their pages
 * @objs: the objects, claimed, and counted as freed when they were stocked
 * @units: the units each spans
 * @nr: how many; up to SM_STOCK_SLOTS
 *
 * Each arena's lock is taken once for all its objects among them. Their
 * pages are still their arenas' (a page with a used unit is never given
 * back) unless the pool was destroyed meanwhile, a caller's bug: then
 * the objects are left alone, as a late free's would be refused.
 */
void smalloc_release_claimed(void *const *objs, const u8 *units,
			     unsigned int nr)
{
	DECLARE_BITMAP(done, SM_STOCK_SLOTS) = { 0 };
	struct smalloc_arena *arena;
	unsigned long irqflags;
	unsigned int i, j;

	rcu_read_lock();	/* the arenas found stay, as for smalloc_free() */
	for (i = 0; i < nr; i++) {
		if (test_bit(i, done))
			continue;
		arena = sm_live_arena(READ_ONCE(virt_to_page(objs[i])->private));
		if (!arena)
			continue;
		spin_lock_irqsave(&arena->lock, irqflags);
		for (j = i; j < nr; j++) {
			if (test_bit(j, done) ||
			    virt_to_page(objs[j])->private != (unsigned long)arena)
				continue;
			__set_bit(j, done);
			sm_release_stocked(arena, objs[j], units[j]);
		}
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	rcu_read_unlock();
}

/*
 * Resize the object @obj located to @size bytes where it lies: shrink it
 * by freeing its tail units, grow it into free units right after it (with
 * a code that differs from its new neighbours). False if it must move: it
 * grows and the units after it are not free or its start is not aligned
 * as a power-of-two @size must be (a shrink stays, as krealloc() keeps an
 * object that still fits), or debug mode, whose redzone and tracks a move
 * keeps right. Arena lock held; sm_hook_resize() follows outside it.
 */
static bool sm_resize_small(struct sm_object *obj, size_t size)
{
	struct smalloc_page_info *info = obj->info;
	struct smalloc_arena *arena = obj->arena;
	struct smalloc_page *sp = info->sp;
	unsigned int n = obj->end - obj->start, want;
	void *start = sm_object_start(obj);

	if (size > SM_MAX_SMALL || sm_debug(obj->pool))
		return false;
	want = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	if (want < n) {
		sm_hook_shrink_small(start, want * SM_UNIT_SIZE, n * SM_UNIT_SIZE);
		sm_release_units(arena, info, obj->start + want, obj->end);
	} else if (want == n) {
		sm_hook_keep_small(start);
	} else {
		if (!IS_ALIGNED((unsigned long)start, sm_natural_align(size)) ||
		    !sm_words_trusted(arena, info, obj->end, obj->start + want) ||
		    !sm_run_is_free(sp, obj->end, want - n))
			return false;
		sm_hook_keep_small(start);
		sm_set_run(sp, info->check, obj->start, want,
			   sm_pick_code(sp, obj->start, want));
		info->nr_free -= want - n;
		if (info->first_free == obj->end)
			info->first_free = sm_next_free(sp, obj->start + want);
		if (!info->nr_free)
			sm_set_run_hint(arena, info, 0);
	}
	sm_stat(arena->stats, LIVE_BYTES) -= obj->size;
	obj->end = obj->start + want;
	obj->size = want * SM_UNIT_SIZE;
	sm_stat(arena->stats, LIVE_BYTES) += obj->size;
	return true;
}

/*
 * Claim a located small object for its free, as the lockless path does
 * (smalloc_stock.c), and clear it if it is sensitive: all of it but the
 * first word, which now holds the free mark. Debug mode has no lockless
 * path and keeps its poison: nothing to claim. Arena lock held.
 */
static enum smalloc_misuse sm_claim_small(struct sm_object *obj)
{
	void *start = sm_object_start(obj);
	unsigned long first;
	size_t skip = 0;

	if (!obj->pool->debug) {
		if (!smalloc_claim(start, &first))
			return SM_MISUSE_NOT_ALLOCATED;	/* a racing free won */
		skip = sizeof(long);
	}
	if (obj->sensitive)
		sm_hook_clear(start + skip, obj->size - skip);
	return SM_MISUSE_NONE;
}

/*
 * smalloc_free() of the small object at @ptr into this CPU's stock, without
 * a lock (smalloc_stock.c); false if the locked path must do it, or refuse.
 * Inline, as sm_alloc()'s stock path is.
 */
static __always_inline bool sm_free_fast(const void *ptr, bool sensitive,
					 unsigned long caller)
{
	struct smalloc_arena *arena;
	struct smalloc_batch batch;
	struct page *page;
	bool done = false;
	size_t size;

	if (!virt_addr_valid(ptr))
		return false;
	page = virt_to_page(ptr);
	batch.nr = 0;
	/*
	 * As rcu_read_lock() would, this keeps the arena and the page alive
	 * (smalloc_pool_destroy() and sm_page_release() wait for a grace
	 * period); and it keeps us on this CPU's stock. A large object's
	 * owner is tagged, so it is no arena here.
	 */
	preempt_disable();
	/* Pairs with sm_page_insert(): the page info is complete. */
	arena = sm_live_arena(smp_load_acquire(&page->private));
	if (arena && smalloc_stock_free(arena, page, (void *)ptr, sensitive,
					&batch, &size)) {
		trace_smalloc_free(caller, ptr, size,
				   (arena->pool->parent ?: arena->pool)->name);
		done = true;
	}
	preempt_enable();
	/* A full stock's older half, under arena locks that may sleep on RT. */
	if (unlikely(batch.nr))
		smalloc_release_claimed(batch.obj, batch.n, batch.nr);
	return done;
}

/* How sm_free() takes its pointer. */
enum sm_free_how {
	SM_FREE_INSIDE		= BIT(0),	/* anywhere in the object */
	SM_FREE_SENSITIVE	= BIT(1),	/* cleared before it is freed */
	SM_FREE_OWNED_ONLY	= BIT(2),	/* not smalloc's page: no report */
};

/*
 * smalloc_free() of the object at @ptr, or of the one holding it, as @how
 * says, past this CPU's stock. False only for SM_FREE_OWNED_ONLY and a page
 * that is not smalloc's (smalloc_owns()): then nothing was done or reported.
 */
static noinline bool sm_free_slow(const void *ptr, unsigned int how,
				  unsigned long caller)
{
	struct sm_object obj = { .sensitive = how & SM_FREE_SENSITIVE };
	bool inside = how & SM_FREE_INSIDE;
	enum smalloc_misuse kind;
	unsigned long irqflags;

	/* Keeps the arena found alive against smalloc_pool_destroy(). */
	rcu_read_lock();
	kind = sm_lookup_owner(ptr, &obj, inside);
	/* A tail page of a large object of ours is ours, and refused. */
	if ((how & SM_FREE_OWNED_ONLY) &&
	    (kind == SM_MISUSE_NOT_LINEAR || kind == SM_MISUSE_FOREIGN) &&
	    !smalloc_owns(ptr)) {
		rcu_read_unlock();
		return false;
	}
	if (kind == SM_MISUSE_NONE && obj.large) {
		ptr = sm_object_start(&obj);
		kind = sm_free_large(&obj);
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(ptr, &obj, inside);
		if (kind == SM_MISUSE_NONE)
			kind = sm_claim_small(&obj);
		if (kind == SM_MISUSE_NONE) {
			ptr = sm_object_start(&obj);
			sm_free_small(&obj);
		}
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		smalloc_refuse("smalloc_free", true, ptr, obj.pool, kind, caller);
	else
		trace_smalloc_free(caller, ptr, obj.size, obj.pool->name);
	rcu_read_unlock();
	return true;
}

/* sm_free_slow(), after the stock if @how allows. */
static __always_inline bool sm_free(const void *ptr, unsigned int how,
				    unsigned long caller)
{
	if (ZERO_OR_NULL_PTR(ptr))
		return true;
	if (!(how & SM_FREE_INSIDE) &&
	    sm_free_fast(ptr, how & SM_FREE_SENSITIVE, caller))
		return true;
	return sm_free_slow(ptr, how, caller);
}

/**
 * smalloc_free - free an object from smalloc_alloc() or smalloc_pool_alloc()
 * @ptr: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * The object's size comes from its status codes. A pointer smalloc did not
 * hand out, one into the middle of an object, or one already freed is
 * refused with a warning, and nothing changes. Callable in any context
 * kfree() is, NMI excepted.
 */
void smalloc_free(const void *ptr)
{
	sm_free(ptr, 0, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_free);

/**
 * smalloc_free_sensitive - clear an object, then free it, as kfree_sensitive()
 * @ptr: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * All of its usable size is cleared, in a way the compiler cannot drop, so
 * keys and passwords do not outlive it. A bad pointer is refused as
 * smalloc_free() refuses it, and nothing is written.
 */
void smalloc_free_sensitive(const void *ptr)
{
	sm_free(ptr, SM_FREE_SENSITIVE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_free_sensitive);

/*
 * smalloc_free(), or with @sensitive smalloc_free_sensitive(), of @ptr if
 * smalloc owns its page; false, and nothing done, if not. One owner lookup
 * for the kfree() of a converted module, which may get kmalloc's objects.
 */
bool smalloc_free_owned(const void *ptr, bool sensitive)
{
	return sm_free(ptr, SM_FREE_OWNED_ONLY |
		       (sensitive ? SM_FREE_SENSITIVE : 0), _RET_IP_);
}

static void sm_free_rcu_cb(struct rcu_head *head)
{
	sm_free(head, SM_FREE_INSIDE, _RET_IP_);
}

/**
 * smalloc_call_rcu - free the object holding @head after a grace period
 * @head: an rcu_head inside an object from smalloc; smalloc_free_rcu()
 *        passes it
 *
 * The callback finds the object's start from @head through the status
 * array, so no offset is recorded. A @head outside any live object is
 * refused now, with the warning smalloc_free() gives. Callable in any
 * context call_rcu() is.
 */
void smalloc_call_rcu(struct rcu_head *head)
{
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	rcu_read_lock();
	kind = sm_lookup_owner(head, &obj, true);
	if (kind == SM_MISUSE_NONE && !obj.large) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(head, &obj, true);
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		smalloc_refuse(__func__, true, head, obj.pool, kind, _RET_IP_);
	rcu_read_unlock();
	if (kind == SM_MISUSE_NONE)
		call_rcu(head, sm_free_rcu_cb);
}
EXPORT_SYMBOL_GPL(smalloc_call_rcu);

/**
 * smalloc_size - usable size of an object
 * @ptr: an object from smalloc_alloc() or smalloc_pool_alloc()
 *
 * Like ksize(): the caller may use all of it. Bad pointers are reported as
 * smalloc_free() reports them.
 *
 * Return: the usable size in bytes; 0 for NULL, ZERO_SIZE_PTR or a bad pointer.
 */
size_t smalloc_size(const void *ptr)
{
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	rcu_read_lock();
	kind = sm_lookup_owner(ptr, &obj, false);
	if (kind == SM_MISUSE_NONE && obj.large) {
		obj.size = page_size(obj.page);
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(ptr, &obj, false);
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		smalloc_refuse(__func__, false, ptr, obj.pool, kind, _RET_IP_);
	else	/* As ksize() does: the caller may now use all of it. */
		sm_kasan_mark((void *)ptr, obj.size, obj.size, 0);
	rcu_read_unlock();
	return obj.size;	/* 0 when refused */
}
EXPORT_SYMBOL_GPL(smalloc_size);

/* Is @ptr inside a page smalloc holds for a live pool? */
bool smalloc_owns(const void *ptr)
{
	struct sm_object obj = {};
	bool ours;

	if (ZERO_OR_NULL_PTR(ptr))
		return false;
	rcu_read_lock();
	ours = sm_lookup_owner(ptr, &obj, true) == SM_MISUSE_NONE;
	rcu_read_unlock();
	return ours;
}

/**
 * smalloc_realloc - resize an object, as krealloc() does
 * @ptr: an object from smalloc; NULL or ZERO_SIZE_PTR allocates anew
 * @size: bytes wanted; 0 frees @ptr and returns ZERO_SIZE_PTR
 * @flags: GFP flags, as for smalloc_alloc(), for a new object
 *
 * A small object shrinks in place, its tail units freed, and grows in
 * place when the units after it are free; otherwise, and when @size is a
 * power of two its start is not aligned to, a new object is allocated in
 * the same pool, the contents copied, and @ptr freed. A large object stays
 * where it is while @size fits its pages. The bytes up to the new usable
 * size are zeroed under __GFP_ZERO or init_on_alloc only if they are new
 * to the object, so, as with krealloc(), pass __GFP_ZERO on every call for
 * an object that must stay zeroed. A bad @ptr is refused as
 * smalloc_free() refuses it.
 *
 * Return: the object, maybe moved; NULL if no memory (@ptr unchanged) or
 * @ptr was refused.
 */
void *smalloc_realloc(const void *ptr, size_t size, gfp_t flags)
{
	struct sm_object obj = {};
	unsigned long irqflags, first;
	enum smalloc_misuse kind;
	bool in_place = false;
	size_t old = 0;
	void *new;

	if (ZERO_OR_NULL_PTR(ptr))
		return sm_alloc(smalloc_default_pool, size,
				sm_natural_align(size), flags, NUMA_NO_NODE,
				_RET_IP_);
	if (!size) {
		sm_free(ptr, 0, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	rcu_read_lock();
	kind = sm_lookup_owner(ptr, &obj, false);
	if (kind == SM_MISUSE_NONE && obj.large) {
		old = page_size(obj.page);
		obj.size = old;
		in_place = size <= old;
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(ptr, &obj, false);
		old = obj.size;
		/*
		 * Claimed while it changes size, so that a racing lockless
		 * free (misuse) cannot stock it at its old size.
		 */
		if (kind == SM_MISUSE_NONE && !obj.pool->debug &&
		    !smalloc_claim((void *)ptr, &first))
			kind = SM_MISUSE_NOT_ALLOCATED;
		if (kind == SM_MISUSE_NONE) {
			in_place = sm_resize_small(&obj, size);
			if (!obj.pool->debug)
				smalloc_unclaim((void *)ptr, first);
		}
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		smalloc_refuse(__func__, false, ptr, obj.pool, kind, _RET_IP_);
	rcu_read_unlock();
	if (kind != SM_MISUSE_NONE)
		return NULL;
	if (in_place) {
		sm_hook_resize((void *)ptr, size, old, obj.size, obj.large,
			       flags);
		return (void *)ptr;
	}

	new = sm_alloc(obj.pool, size, sm_natural_align(size), flags,
		       NUMA_NO_NODE, _RET_IP_);
	if (!new)
		return NULL;
	/* As krealloc() copies ksize() bytes: all of the old usable size. */
	sm_kasan_mark((void *)ptr, old, old, 0);
	memcpy(new, ptr, min(old, size));
	sm_free(ptr, 0, _RET_IP_);
	return new;
}
EXPORT_SYMBOL_GPL(smalloc_realloc);

/**
 * smalloc_alloc - allocate a small object
 * @size: bytes wanted; objects up to a page's data area share pages, larger
 *        ones come from the page allocator
 * @flags: GFP flags, as for kmalloc(): GFP_KERNEL may sleep, GFP_ATOMIC and
 *         GFP_NOWAIT never do, __GFP_ZERO zeroes the whole usable size,
 *         __GFP_NOWARN silences failure warnings, __GFP_ACCOUNT charges
 *         the caller's memory cgroup (small objects by the pages they fill,
 *         see smalloc_memcg.c), __GFP_DMA and __GFP_DMA32 give pages of
 *         that zone to the object alone.
 *
 * Free the object with smalloc_free(); no size is needed. As with kmalloc(),
 * the object is zeroed when the kernel runs with init_on_alloc, and zeroed
 * again when freed under init_on_free.
 *
 * Return: an object aligned to SMALLOC_ALIGN, and to @size if @size is a
 * power of two (as kmalloc() aligns), ZERO_SIZE_PTR for a zero @size, or
 * NULL if memory ran out or @size is more than KMALLOC_MAX_SIZE.
 */
void *smalloc_alloc(size_t size, gfp_t flags)
{
	return sm_alloc(smalloc_default_pool, size, sm_natural_align(size),
			flags, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_alloc);

/**
 * smalloc_alloc_node - allocate an object, its pages from a NUMA node
 * @size: bytes wanted
 * @flags: GFP flags, as for smalloc_alloc()
 * @node: the node for objects that get pages of their own (larger than a
 *        page's data area, or of a zone modifier), or NUMA_NO_NODE
 *
 * Small objects share the pages of the calling CPU's arena, which come
 * from the CPU's own node: @node does not move them (see the README).
 *
 * Return: as smalloc_alloc().
 */
void *smalloc_alloc_node(size_t size, gfp_t flags, int node)
{
	return sm_alloc(smalloc_default_pool, size, sm_natural_align(size),
			flags, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_alloc_node);

/**
 * smalloc_alloc_aligned - allocate an object on a boundary
 * @size: bytes wanted
 * @align: a power of two; the object starts at a multiple of it (and of
 *         @size if that is a power of two, as always)
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Up to a page, the object shares a page when one has room on that
 * boundary; beyond, it gets pages of its own of at least @align bytes.
 *
 * Return: as smalloc_alloc(); NULL with a warning if @align is not a power
 * of two.
 */
void *smalloc_alloc_aligned(size_t size, size_t align, gfp_t flags)
{
	if (WARN_ONCE(!is_power_of_2(align),
		      "smalloc: alignment %zu is not a power of two\n", align))
		return NULL;
	return sm_alloc(smalloc_default_pool, size,
			max(align, sm_natural_align(size)), flags, NUMA_NO_NODE,
			_RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_alloc_aligned);

/* ---- snapshots for debugfs and tests ------------------------------------ */

/* @owner, an entry of smalloc_owners, if it is a shared page's arena of @pool. */
static struct smalloc_arena *sm_shared_page_arena(struct smalloc_pool *pool,
						  void *owner)
{
	if (!owner || xa_pointer_tag(owner) == SM_OWNER_LARGE ||
	    !sm_is_arena_of(pool, (unsigned long)owner))
		return NULL;
	return owner;
}

/**
 * smalloc_next_page - find the next shared page of a pool
 * @pool: the pool
 * @pfn: in: where to start looking; out: the page found
 *
 * Return: true if a page was found. It may be released at any time after.
 */
bool smalloc_next_page(struct smalloc_pool *pool, unsigned long *pfn)
{
	void *owner = xa_find(&smalloc_owners, pfn, ULONG_MAX, XA_PRESENT);

	while (owner && !sm_shared_page_arena(pool, owner))
		owner = xa_find_after(&smalloc_owners, pfn, ULONG_MAX, XA_PRESENT);
	return owner;
}

/**
 * smalloc_page_visit - run a function on a shared page under its arena lock
 * @pool: the pool that should own the page
 * @pfn: the page, from smalloc_next_page()
 * @fn: what to run; it must not sleep
 * @m: passed on to @fn
 *
 * Return: what @fn returned, or -1 if the page is no longer the pool's.
 */
int smalloc_page_visit(struct smalloc_pool *pool, unsigned long pfn,
		       unsigned int (*fn)(struct seq_file *m,
					  struct smalloc_page_info *info),
		       struct seq_file *m)
{
	struct smalloc_arena *arena;
	unsigned long irqflags;
	int ret = -1;

	arena = sm_shared_page_arena(pool, xa_load(&smalloc_owners, pfn));
	if (!arena)
		return -1;
	spin_lock_irqsave(&arena->lock, irqflags);
	if (xa_load(&smalloc_owners, pfn) == arena)
		ret = fn(m, sm_info_of(pfn_to_page(pfn)));
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return ret;
}

/**
 * smalloc_page_snapshot - copy a page's status array and hints
 * @pool: the pool that should own the page
 * @pfn: the page, from smalloc_next_page()
 * @copy: where to copy
 *
 * Return: false if the page is no longer the pool's.
 */
bool smalloc_page_snapshot(struct smalloc_pool *pool, unsigned long pfn,
			   struct smalloc_page_copy *copy)
{
	struct smalloc_arena *arena;
	unsigned long irqflags;
	bool owned;

	arena = sm_shared_page_arena(pool, xa_load(&smalloc_owners, pfn));
	if (!arena)
		return false;
	spin_lock_irqsave(&arena->lock, irqflags);
	owned = xa_load(&smalloc_owners, pfn) == arena;
	if (owned) {
		copy->info = *sm_info_of(pfn_to_page(pfn));
		copy->sp = *copy->info.sp;
	}
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return owned;
}

/* Add @pool's counters to @stats, and its memory cgroups' if @children. */
static void sm_stats_add(struct smalloc_pool *pool, struct smalloc_stats *stats,
			 bool children)
{
	struct smalloc_pool *child;
	unsigned long irqflags;
	unsigned int i, stat;

	for (i = 0; i < pool->nr_arenas; i++) {
		struct smalloc_arena *arena = &pool->arenas[i];
		const struct smalloc_stats *a = &arena->stats;

		spin_lock_irqsave(&arena->lock, irqflags);
		for (stat = 0; stat < SM_STAT_NR; stat++)
			stats->v[stat] += a->v[stat];
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	smalloc_stock_stats_add(pool, stats);
	if (!children)
		return;
	rcu_read_lock();
	list_for_each_entry_rcu(child, &pool->memcg_children, memcg_node)
		sm_stats_add(child, stats, false);
	rcu_read_unlock();
}

/**
 * smalloc_pool_bytes - memory a pool and its arenas take, children included
 * @pool: the pool
 *
 * Return: bytes of the pool's own structures, not of its pages.
 */
size_t smalloc_pool_bytes(struct smalloc_pool *pool)
{
	size_t bytes = sizeof(*pool) + pool->nr_arenas * sizeof(*pool->arenas) +
		       num_possible_cpus() * sizeof(struct smalloc_stock);
	struct smalloc_pool *child;

	rcu_read_lock();
	list_for_each_entry_rcu(child, &pool->memcg_children, memcg_node)
		bytes += smalloc_pool_bytes(child);
	rcu_read_unlock();
	return bytes;
}

/**
 * smalloc_stats_snapshot - add up a pool's counters
 * @pool: the pool, or NULL for the default pool
 * @stats: where to put them
 *
 * The counters of the pool's memory cgroups' child pools are included.
 * Exported for smalloc's own test and benchmark modules, which measure
 * memory held; the layout of struct smalloc_stats is not a stable API.
 */
void smalloc_stats_snapshot(struct smalloc_pool *pool, struct smalloc_stats *stats)
{
	static const enum smalloc_stat gauges[] = {
		SM_STAT_LIVE_OBJECTS, SM_STAT_LIVE_BYTES, SM_STAT_STOCKED_OBJECTS,
	};
	unsigned int i;

	memset(stats, 0, sizeof(*stats));
	sm_stats_add(pool ?: smalloc_default_pool, stats, true);
	/*
	 * An object allocated on one CPU's stock and freed on another's is
	 * counted on both, read at different times: a sum may dip below 0.
	 */
	for (i = 0; i < ARRAY_SIZE(gauges); i++)
		if ((s64)stats->v[gauges[i]] < 0)
			stats->v[gauges[i]] = 0;
}
EXPORT_SYMBOL_GPL(smalloc_stats_snapshot);

/* ---- pools -------------------------------------------------------------- */

/*
 * One arena per CPU, up to SM_MAX_ARENAS and a power of two: CPUs then
 * rarely share a lock or a page, at the cost of a reserve and a partly used
 * page per arena.
 */
static unsigned int sm_nr_arenas(void)
{
	return rounddown_pow_of_two(clamp_t(unsigned int, num_possible_cpus(),
					    1, SM_MAX_ARENAS));
}

static void sm_arena_init(struct smalloc_arena *arena, struct smalloc_pool *pool)
{
	unsigned int class;

	spin_lock_init(&arena->lock);
	arena->pool = pool;
	for (class = 0; class < SM_RUN_CLASSES; class++)
		INIT_LIST_HEAD(&arena->by_class[class]);
	INIT_LIST_HEAD(&arena->quarantine);
	smalloc_large_cache_init(&arena->large);
}

/**
 * smalloc_pool_new - create a pool with a given number of arenas
 * @name: as for smalloc_pool_create()
 * @nr_arenas: how many, a power of two; CPU n allocates from arena
 *             n % @nr_arenas
 * @gfp: for the pool's own memory; may be atomic
 *
 * Return: the pool, not in debugfs, or NULL if memory ran out.
 */
struct smalloc_pool *smalloc_pool_new(const char *name, unsigned int nr_arenas,
				      gfp_t gfp)
{
	struct smalloc_pool *pool = kzalloc(sizeof(*pool), gfp);
	unsigned long irqflags;
	unsigned int i;

	if (!pool || WARN_ON_ONCE(!is_power_of_2(nr_arenas))) {
		kfree(pool);
		return NULL;
	}
	pool->name = kstrdup_const(name, gfp);
	pool->arenas = kvcalloc(nr_arenas, sizeof(*pool->arenas), gfp);
	if (!pool->name || !pool->arenas || smalloc_stock_pool_init(pool, gfp)) {
		smalloc_stock_pool_free(pool);
		kvfree(pool->arenas);
		kfree_const(pool->name);
		kfree(pool);
		return NULL;
	}
	pool->nr_arenas = nr_arenas;
	for (i = 0; i < nr_arenas; i++)
		sm_arena_init(&pool->arenas[i], pool);
	xa_init_flags(&pool->memcg_pools, XA_FLAGS_LOCK_IRQ);
	INIT_LIST_HEAD(&pool->memcg_children);
	spin_lock_init(&pool->memcg_lock);
	spin_lock_irqsave(&smalloc_pools_lock, irqflags);
	list_add_tail_rcu(&pool->node, &smalloc_pools);
	spin_unlock_irqrestore(&smalloc_pools_lock, irqflags);
	return pool;
}

static void sm_pool_free(struct smalloc_pool *pool)
{
	smalloc_stock_pool_free(pool);
	kvfree(pool->arenas);
	kfree_const(pool->name);
	kfree(pool);
}

static void sm_pool_free_rcu(struct rcu_head *rcu)
{
	sm_pool_free(container_of(rcu, struct smalloc_pool, rcu));
}

/**
 * smalloc_pool_discard - drop a pool that never held a page
 * @pool: from smalloc_pool_new(), never allocated from
 *
 * Unlike smalloc_pool_destroy(), callable in any context: a walker of the
 * list of pools may still be on it, so it is freed after a grace period.
 */
void smalloc_pool_discard(struct smalloc_pool *pool)
{
	unsigned long irqflags;

	spin_lock_irqsave(&smalloc_pools_lock, irqflags);
	list_del_rcu(&pool->node);
	spin_unlock_irqrestore(&smalloc_pools_lock, irqflags);
	smalloc_memcg_destroy(pool);	/* drops a child's cgroup reference */
	call_rcu(&pool->rcu, sm_pool_free_rcu);
}

/**
 * smalloc_pool_create_arenas - create a pool with a given number of arenas
 * @name: as for smalloc_pool_create()
 * @nr_arenas: as for smalloc_pool_new()
 *
 * Internal: smalloc_pool_create() picks the number; tests ask for one, so
 * that placement does not depend on which CPU a test runs on.
 * Context: process context, may sleep.
 *
 * Return: the pool, not yet in debugfs, or NULL if memory ran out.
 */
struct smalloc_pool *smalloc_pool_create_arenas(const char *name,
						unsigned int nr_arenas)
{
	struct smalloc_pool *pool = smalloc_pool_new(name, nr_arenas, GFP_KERNEL);

	if (pool && smalloc_debug_pool_init(pool, false)) {
		smalloc_pool_destroy(pool);
		return NULL;
	}
	return pool;
}

/**
 * smalloc_pool_create - create an empty pool of its own for a caller
 * @name: shown in /sys/kernel/debug/smalloc/<name>/ and in trace events;
 *        should be unique (a duplicate gets no debugfs directory)
 *
 * A pool keeps a caller's objects in pages of their own, as a kmem_cache
 * does; allocate with smalloc_pool_alloc(), free with smalloc_free().
 * Context: process context, may sleep.
 *
 * Return: the pool, or NULL if memory ran out.
 */
struct smalloc_pool *smalloc_pool_create(const char *name)
{
	struct smalloc_pool *pool = smalloc_pool_create_arenas(name, sm_nr_arenas());

	if (pool)
		pool->debugfs = smalloc_debugfs_add(pool, pool->name);
	return pool;
}
EXPORT_SYMBOL_GPL(smalloc_pool_create);

/**
 * smalloc_pool_destroy - free a pool and every page it holds
 * @pool: the pool; NULL is ignored
 *
 * Objects still live are a bug of the caller's, as with kmem_cache_destroy():
 * it warns, and the pages holding them are kept, never reused, so their
 * holders do not write into memory someone else owns. Freeing such an
 * object later is refused. Quarantined pages are kept too.
 * Context: process context, may sleep.
 */
void smalloc_pool_destroy(struct smalloc_pool *pool)
{
	unsigned long pfn, kept = 0;
	struct smalloc_page_info *info;
	struct smalloc_stats st;
	struct page *page;
	unsigned int i;
	void *owner;

	if (!pool)
		return;
	/*
	 * Objects freed with smalloc_free_rcu() before the destroy are not
	 * live, and their callbacks must not find the pool gone.
	 */
	rcu_barrier();
	/* First: waits for readers of the pool's debugfs files. */
	debugfs_remove_recursive(pool->debugfs);
	spin_lock_irq(&smalloc_pools_lock);
	list_del_rcu(&pool->node);
	spin_unlock_irq(&smalloc_pools_lock);
	/*
	 * Any smalloc_free() or smalloc_size() that found one of our arenas
	 * did so under rcu_read_lock(): wait for them; later ones refuse.
	 */
	synchronize_rcu();
	smalloc_memcg_destroy(pool);	/* each warns of its own leaks */
	smalloc_stock_pool_exit(pool);
	for (i = 0; i < pool->nr_arenas; i++)
		smalloc_large_drain(&pool->arenas[i]);

	memset(&st, 0, sizeof(st));
	sm_stats_add(pool, &st, false);
	xa_for_each(&smalloc_owners, pfn, owner) {
		if (!sm_is_arena_of(pool, (unsigned long)xa_untag_pointer(owner)))
			continue;
		page = pfn_to_page(pfn);
		xa_erase_irq(&smalloc_owners, pfn);
		WRITE_ONCE(page->private, 0);
		if (xa_pointer_tag(owner) == SM_OWNER_LARGE) {
			kept += compound_nr(page);	/* a live object */
			continue;
		}
		info = sm_info_of(page);
		if (info->nr_free == SM_UNITS && !info->quarantined) {
			sm_page_release(info);
			continue;
		}
		kept++;
		page->index = 0;
		sm_info_free(info);
	}
	WARN(sm_stat(st, LIVE_OBJECTS) || sm_stat(st, QUARANTINED_PAGES),
	     "%s: pool %s destroyed with %llu live objects (%llu bytes) and %llu quarantined pages; %lu pages kept\n",
	     __func__, pool->name, sm_stat(st, LIVE_OBJECTS), sm_stat(st, LIVE_BYTES),
	     sm_stat(st, QUARANTINED_PAGES), kept);
	smalloc_debug_pool_exit(pool);
	sm_pool_free(pool);
}
EXPORT_SYMBOL_GPL(smalloc_pool_destroy);

static int __init smalloc_init(void)
{
	/* The layout: the array covers every unit, units stay aligned... */
	BUILD_BUG_ON(sizeof(struct smalloc_page) > SM_DATA_OFFSET);
	BUILD_BUG_ON(SM_WORDS * SM_UNITS_PER_WORD < SM_UNITS);
	BUILD_BUG_ON(SM_DATA_OFFSET % SM_UNIT_SIZE);
	/* ...and one more unit, with its word and the aligned start, would not fit. */
	BUILD_BUG_ON((SM_UNITS + 1) * SM_UNIT_SIZE +
		     ALIGN(DIV_ROUND_UP(SM_UNITS + 1, SM_UNITS_PER_WORD) * 8, SM_DATA_ALIGN) <=
		     PAGE_SIZE);
	BUILD_BUG_ON(sm_run_class(SM_UNITS) != SM_RUN_CLASSES - 1);
	BUILD_BUG_ON(SM_UNITS > U16_MAX);

	smalloc_stock_init();
	smalloc_info_cache = KMEM_CACHE(smalloc_page_info, 0);
	if (!smalloc_info_cache)
		return -ENOMEM;
	smalloc_debugfs_init();
	smalloc_default_pool = smalloc_pool_create_arenas("default",
							  sm_nr_arenas());
	if (!smalloc_default_pool || smalloc_large_init()) {
		smalloc_pool_destroy(smalloc_default_pool);
		smalloc_debugfs_exit();
		kmem_cache_destroy(smalloc_info_cache);
		return -ENOMEM;
	}
	/* The default pool's files sit at the top of smalloc's directory. */
	smalloc_debugfs_add(smalloc_default_pool, NULL);
	return 0;
}

/* A pool a client created and never destroyed, if any is left. */
static struct smalloc_pool *sm_forgotten_pool(void)
{
	struct smalloc_pool *pool;

	list_for_each_entry(pool, &smalloc_pools, node)
		if (pool != smalloc_default_pool && !pool->parent)
			return pool;
	return NULL;
}

static void __exit smalloc_exit(void)
{
	struct smalloc_pool *pool;

	/* Pending smalloc_free_rcu() callbacks use the pools: let them run. */
	rcu_barrier();
	/*
	 * Forgotten pools first: each removes its own debugfs directory, and
	 * its children with it (so no iterator may hold on to the next pool).
	 */
	while ((pool = sm_forgotten_pool())) {
		pr_warn("pool %s was never destroyed\n", pool->name);
		smalloc_pool_destroy(pool);
	}
	/* No shrinker may drain a cache while its pool goes. */
	smalloc_large_exit();
	/* Then the top directory, with the default pool's files in it. */
	smalloc_debugfs_exit();
	smalloc_pool_destroy(smalloc_default_pool);
	rcu_barrier();	/* smalloc_pool_discard()'s callbacks are ours */
	kmem_cache_destroy(smalloc_info_cache);
}

module_init(smalloc_init);
module_exit(smalloc_exit);

MODULE_DESCRIPTION("smalloc: small objects in pages that start with a 2-bit status array");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION(SMALLOC_VERSION);
