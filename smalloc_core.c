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
 * See Documentation/smalloc.rst for the layout, the code rule and locking.
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
#include "smalloc_internal.h"
#include "smalloc_status.h"

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

static const char * const smalloc_misuse_names[SM_MISUSE_NR] = {
	[SM_MISUSE_NONE]	  = "no misuse",
	[SM_MISUSE_NOT_LINEAR]	  = "not a linear-map pointer (stack? vmalloc?)",
	[SM_MISUSE_FOREIGN]	  = "not smalloc's memory (kmalloc'd? freed already?)",
	[SM_MISUSE_INTERIOR]	  = "pointer into the middle of an object",
	[SM_MISUSE_NOT_ALLOCATED] = "pointer to free memory (double free?)",
};

const char *smalloc_misuse_name(enum smalloc_misuse kind)
{
	return kind < SM_MISUSE_NR ? smalloc_misuse_names[kind] : "?";
}

/* ---- pages and the arenas' lists ------------------------------------- */

static void sm_list_del(struct smalloc_arena *arena, struct smalloc_page *sp)
{
	unsigned int run = sp->hdr.max_run;

	list_del(&sp->hdr.list);
	if (list_empty(&arena->by_run[run]))
		__clear_bit(run, arena->run_nonempty);
}

static void sm_list_add(struct smalloc_arena *arena, struct smalloc_page *sp,
			unsigned int max_run)
{
	sp->hdr.max_run = max_run;
	list_add(&sp->hdr.list, &arena->by_run[max_run]);
	__set_bit(max_run, arena->run_nonempty);
}

static void sm_set_max_run(struct smalloc_arena *arena, struct smalloc_page *sp,
			   unsigned int max_run)
{
	if (max_run == sp->hdr.max_run)
		return;
	sm_list_del(arena, sp);
	sm_list_add(arena, sp, max_run);
}

/* The page whose longest-run hint is the smallest that fits @n units. */
static struct smalloc_page *sm_page_with_run(struct smalloc_arena *arena,
					     unsigned int n)
{
	unsigned long run = find_next_bit(arena->run_nonempty, SM_UNITS + 1, n);

	if (run > SM_UNITS)
		return NULL;
	return container_of(list_first_entry(&arena->by_run[run],
					     struct smalloc_page_hdr, list),
			    struct smalloc_page, hdr);
}

/* The arena of the CPU we run on; migrating right after is harmless. */
static inline struct smalloc_arena *sm_this_arena(struct smalloc_pool *pool)
{
	return &pool->arenas[raw_smp_processor_id() & (pool->nr_arenas - 1)];
}

/* Zone modifiers cannot be honoured in pages shared by many callers. */
static inline gfp_t sm_page_gfp(gfp_t flags)
{
	return flags & ~(__GFP_ZERO | __GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32 |
			 __GFP_MOVABLE | __GFP_ACCOUNT | __GFP_COMP);
}

static int sm_owner_set(struct page *page, void *owner, gfp_t flags)
{
	unsigned long irqflags;
	void *old;

	xa_lock_irqsave(&smalloc_owners, irqflags);
	old = __xa_store(&smalloc_owners, page_to_pfn(page), owner,
			 sm_page_gfp(flags));
	xa_unlock_irqrestore(&smalloc_owners, irqflags);
	if (!xa_is_err(old))
		WRITE_ONCE(page->private, (unsigned long)owner);
	return xa_err(old);
}

/* Clear @page's owner if it is still @owner; false if someone beat us. */
static bool sm_owner_clear(struct page *page, void *owner)
{
	unsigned long irqflags;

	if (cmpxchg(&page->private, (unsigned long)owner, 0) !=
	    (unsigned long)owner)
		return false;
	xa_lock_irqsave(&smalloc_owners, irqflags);
	__xa_erase(&smalloc_owners, page_to_pfn(page));
	xa_unlock_irqrestore(&smalloc_owners, irqflags);
	return true;
}

/* Called without the arena lock: may sleep if @flags allow it. */
static struct smalloc_page *sm_page_create(struct smalloc_arena *arena,
					   gfp_t flags)
{
	struct page *page = alloc_page(sm_page_gfp(flags));
	struct smalloc_page *sp;

	if (!page)
		return NULL;
	sp = page_address(page);
	memset(sp, 0, sizeof(*sp));
	/* Complete before sm_owner_set() shows the page to debugfs. */
	sp->hdr.id = atomic_inc_return(&arena->pool->next_page_id) - 1;
	sp->hdr.nr_free = SM_UNITS;
	sp->hdr.max_run = SM_UNITS;
	if (sm_owner_set(page, arena, flags)) {
		__free_page(page);
		return NULL;
	}
	return sp;
}

static void sm_page_insert(struct smalloc_arena *arena, struct smalloc_page *sp)
{
	lockdep_assert_held(&arena->lock);
	sm_list_add(arena, sp, SM_UNITS);
	arena->stats.pages++;
	arena->stats.reserve_pages++;
}

/* An empty page goes back to the page allocator once the reserve is full. */
static void sm_page_emptied(struct smalloc_arena *arena, struct smalloc_page *sp)
{
	struct page *page = virt_to_page(sp);

	if (arena->stats.reserve_pages < SM_RESERVE_PAGES) {
		arena->stats.reserve_pages++;
		return;
	}
	sm_list_del(arena, sp);
	sm_owner_clear(page, arena);
	arena->stats.pages--;
	__free_page(page);
}

/* ---- allocation --------------------------------------------------------- */

/*
 * First fit in @sp, or NULL if the page's longest-run hint promised too much.
 * The hint is an upper bound of the longest free run, kept lazily: an
 * allocation leaves it alone (unless the page is full), so neither side of
 * an alloc/free pair rescans the page or moves it between lists; a page
 * that does not fit after all gets its exact hint here.
 */
static void *sm_alloc_in_page(struct smalloc_arena *arena,
			      struct smalloc_page *sp, unsigned int n)
{
	int start = sm_find_run(sp, n);

	if (start < 0) {
		sm_set_max_run(arena, sp, sm_longest_run(sp));
		return NULL;
	}
	if (sp->hdr.nr_free == SM_UNITS)
		arena->stats.reserve_pages--;
	sm_set_run(sp, start, n, sm_pick_code(sp, start, n));
	sp->hdr.nr_free -= n;
	if (start == sp->hdr.first_free)
		sp->hdr.first_free = sm_next_free(sp, start + n);
	if (!sp->hdr.nr_free)
		sm_set_max_run(arena, sp, 0);
	return sm_data(sp) + start * SM_UNIT_SIZE;
}

/* Each page that disappoints leaves the candidates, so this ends. */
static void *sm_alloc_from_lists(struct smalloc_arena *arena, unsigned int n)
{
	struct smalloc_page *sp;
	void *obj;

	while ((sp = sm_page_with_run(arena, n))) {
		obj = sm_alloc_in_page(arena, sp, n);
		if (obj)
			return obj;
	}
	return NULL;
}

static void sm_account_alloc(struct smalloc_arena *arena, size_t requested,
			     size_t handed_out)
{
	arena->stats.allocs++;
	arena->stats.live_objects++;
	arena->stats.live_bytes += handed_out;
	arena->stats.bytes_requested += requested;
	arena->stats.bytes_handed_out += handed_out;
}

static void sm_account_free(struct smalloc_arena *arena, size_t handed_out)
{
	arena->stats.frees++;
	arena->stats.live_objects--;
	arena->stats.live_bytes -= handed_out;
}

static void sm_account_failure(struct smalloc_arena *arena)
{
	unsigned long irqflags;

	spin_lock_irqsave(&arena->lock, irqflags);
	arena->stats.failures++;
	spin_unlock_irqrestore(&arena->lock, irqflags);
}

static void *sm_alloc_large(struct smalloc_arena *arena, size_t size,
			    gfp_t flags, size_t *usable)
{
	unsigned int order = get_order(size);
	unsigned long irqflags;
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		goto fail;
	}
	page = alloc_pages(sm_page_gfp(flags) | (flags & __GFP_ZERO) | __GFP_COMP,
			   order);
	if (!page)
		goto fail;
	if (sm_owner_set(page, xa_tag_pointer(arena, SM_OWNER_LARGE), flags)) {
		__free_pages(page, order);
		goto fail;
	}

	spin_lock_irqsave(&arena->lock, irqflags);
	arena->stats.large_allocs++;
	arena->stats.large_pages += 1UL << order;
	sm_account_alloc(arena, size, PAGE_SIZE << order);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	*usable = PAGE_SIZE << order;
	return page_address(page);

fail:
	sm_account_failure(arena);
	return NULL;
}

static void *sm_alloc_small(struct smalloc_arena *arena, size_t size,
			    gfp_t flags, size_t *usable)
{
	unsigned int n = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	struct smalloc_page *sp;
	unsigned long irqflags;
	void *obj;

	spin_lock_irqsave(&arena->lock, irqflags);
	obj = sm_alloc_from_lists(arena, n);
	if (!obj) {
		/* Grow outside the lock: the page allocator may sleep. */
		spin_unlock_irqrestore(&arena->lock, irqflags);
		sp = sm_page_create(arena, flags);
		if (!sp) {
			sm_account_failure(arena);
			return NULL;
		}
		spin_lock_irqsave(&arena->lock, irqflags);
		sm_page_insert(arena, sp);
		obj = sm_alloc_in_page(arena, sp, n);	/* a fresh page fits */
	}
	sm_account_alloc(arena, size, n * SM_UNIT_SIZE);
	spin_unlock_irqrestore(&arena->lock, irqflags);

	*usable = n * SM_UNIT_SIZE;
	if (flags & __GFP_ZERO)
		memset(obj, 0, *usable);
	return obj;
}

static void *sm_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags,
		      unsigned long caller)
{
	size_t usable = 0;
	void *obj;

	might_alloc(flags);
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > SM_MAX_SMALL)
		obj = sm_alloc_large(sm_this_arena(pool), size, flags, &usable);
	else
		obj = sm_alloc_small(sm_this_arena(pool), size, flags, &usable);
	trace_smalloc_alloc(caller, obj, size, obj ? usable : 0, flags,
			    pool->name);
	return obj;
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
	return sm_alloc(pool, size, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_pool_alloc);

/* ---- finding an object from a pointer ----------------------------------- */

/* Every live pool, so that arenas can be told apart from other pointers. */
static LIST_HEAD(smalloc_pools);
static DEFINE_MUTEX(smalloc_pools_mutex);

static bool sm_is_arena_of(struct smalloc_pool *pool, unsigned long addr)
{
	unsigned long offset = addr - (unsigned long)pool->arenas;

	return offset < pool->nr_arenas * sizeof(*pool->arenas) &&
	       offset % sizeof(*pool->arenas) == 0;
}

/*
 * @addr if it is an arena of a live pool, else NULL. Called under
 * rcu_read_lock(), which keeps the arena alive until the caller is done.
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

struct sm_object {
	struct smalloc_pool *pool;	/* owner, or the default pool to blame */
	struct smalloc_arena *arena;	/* owner's arena, if found */
	struct page *page;
	bool large;
	unsigned int start, end;	/* units, for objects in shared pages */
	size_t size;			/* usable bytes, once located */
};

/*
 * Which arena owns the page under @ptr, from its struct page alone. Any
 * page's private word may hold anything, so it counts only if it names a
 * live arena: and only smalloc stores arena addresses there.
 */
static enum smalloc_misuse sm_lookup_owner(const void *ptr, struct sm_object *obj)
{
	unsigned long owner;

	obj->pool = smalloc_default_pool;
	if (!virt_addr_valid(ptr))
		return SM_MISUSE_NOT_LINEAR;
	obj->page = virt_to_page(ptr);
	owner = READ_ONCE(obj->page->private);
	obj->arena = sm_live_arena(owner & ~SM_OWNER_LARGE);
	if (!obj->arena)
		return SM_MISUSE_FOREIGN;
	obj->large = owner & SM_OWNER_LARGE;
	obj->pool = obj->arena->pool;
	if (obj->large && ptr != page_address(obj->page))
		return SM_MISUSE_INTERIOR;
	return SM_MISUSE_NONE;
}

/*
 * Find the object starting at @ptr in a shared page. Called with the arena
 * lock held, so the page cannot be released under us; the owner is checked
 * again because it may have been released before we took the lock.
 */
static enum smalloc_misuse sm_locate_small(const void *ptr, struct sm_object *obj)
{
	struct smalloc_page *sp = page_address(obj->page);
	unsigned long offset = ptr - (void *)sp;
	unsigned int unit, code;

	lockdep_assert_held(&obj->arena->lock);
	if (READ_ONCE(obj->page->private) != (unsigned long)obj->arena)
		return SM_MISUSE_FOREIGN;
	if (offset < SM_DATA_OFFSET || offset % SM_UNIT_SIZE)
		return SM_MISUSE_INTERIOR;
	unit = (offset - SM_DATA_OFFSET) / SM_UNIT_SIZE;
	code = smalloc_unit_code(sp, unit);
	if (code == SM_FREE)
		return SM_MISUSE_NOT_ALLOCATED;
	if (unit && smalloc_unit_code(sp, unit - 1) == code)
		return SM_MISUSE_INTERIOR;
	obj->start = unit;
	obj->end = sm_next_other(sp, unit, code);
	obj->size = (obj->end - obj->start) * SM_UNIT_SIZE;
	return SM_MISUSE_NONE;
}

/*
 * Refuse bad input loudly, once per function and kind (@warned holds the
 * function's kinds), and leave every object alone.
 */
static void sm_report(const char *fn, unsigned long *warned, const void *ptr,
		      struct sm_object *obj, enum smalloc_misuse kind)
{
	WRITE_ONCE(obj->pool->last_misuse, kind);
	WARN(!test_and_set_bit(kind, warned), "%s: %s: %p\n", fn,
	     smalloc_misuse_name(kind), ptr);
}

static void sm_refuse_free(const void *ptr, struct sm_object *obj,
			   enum smalloc_misuse kind)
{
	static unsigned long warned;

	atomic_long_inc(&obj->pool->refused_frees);
	sm_report("smalloc_free", &warned, ptr, obj, kind);
}

static enum smalloc_misuse sm_free_large(struct sm_object *obj)
{
	struct smalloc_arena *arena = obj->arena;
	unsigned long irqflags;
	unsigned int order;

	/* Two racing frees of one object: only one clears the owner. */
	if (!sm_owner_clear(obj->page, xa_tag_pointer(arena, SM_OWNER_LARGE)))
		return SM_MISUSE_FOREIGN;
	/* Only the winner may trust the order: the page is still its own. */
	order = compound_order(obj->page);
	obj->size = PAGE_SIZE << order;
	spin_lock_irqsave(&arena->lock, irqflags);
	arena->stats.large_allocs--;
	arena->stats.large_pages -= 1UL << order;
	sm_account_free(arena, obj->size);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	__free_pages(obj->page, order);
	return SM_MISUSE_NONE;
}

/*
 * Free units [start, end) and keep the longest-run hint an upper bound: it
 * can only need raising, to the merged free run, if it is below the free
 * units now, since no run is longer than those. Mostly it is not.
 */
static void sm_free_small(struct sm_object *obj)
{
	struct smalloc_page *sp = page_address(obj->page);
	struct smalloc_arena *arena = obj->arena;
	unsigned int n = obj->end - obj->start, merged;

	sm_set_run(sp, obj->start, n, SM_FREE);
	sp->hdr.nr_free += n;
	sp->hdr.first_free = min_t(unsigned int, sp->hdr.first_free, obj->start);
	if (sp->hdr.max_run < sp->hdr.nr_free) {
		merged = sm_next_used(sp, obj->end) -
			 sm_prev_used_end(sp, obj->start);
		if (merged > sp->hdr.max_run)
			sm_set_max_run(arena, sp, merged);
	}

	sm_account_free(arena, n * SM_UNIT_SIZE);
	if (sp->hdr.nr_free == SM_UNITS)
		sm_page_emptied(arena, sp);
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
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	/* Keeps the arena found alive against smalloc_pool_destroy(). */
	rcu_read_lock();
	kind = sm_lookup_owner(ptr, &obj);
	if (kind == SM_MISUSE_NONE && obj.large) {
		kind = sm_free_large(&obj);
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		if (kind == SM_MISUSE_NONE)
			sm_free_small(&obj);
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		sm_refuse_free(ptr, &obj, kind);
	else
		trace_smalloc_free(_RET_IP_, ptr, obj.size, obj.pool->name);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(smalloc_free);

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
	static unsigned long warned;
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	rcu_read_lock();
	kind = sm_lookup_owner(ptr, &obj);
	if (kind == SM_MISUSE_NONE && obj.large) {
		obj.size = page_size(obj.page);
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.arena->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		spin_unlock_irqrestore(&obj.arena->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		sm_report("smalloc_size", &warned, ptr, &obj, kind);
	rcu_read_unlock();
	return obj.size;	/* 0 when refused */
}
EXPORT_SYMBOL_GPL(smalloc_size);

/**
 * smalloc_alloc - allocate a small object
 * @size: bytes wanted; objects up to a page's data area share pages, larger
 *        ones come from the page allocator
 * @flags: GFP flags, as for kmalloc(): GFP_KERNEL may sleep, GFP_ATOMIC and
 *         GFP_NOWAIT never do, __GFP_ZERO zeroes the whole usable size,
 *         __GFP_NOWARN silences failure warnings. Zone modifiers are ignored.
 *
 * Free the object with smalloc_free(); no size is needed.
 *
 * Return: an object aligned to SMALLOC_ALIGN, ZERO_SIZE_PTR for a zero
 * @size, or NULL if memory ran out or @size is more than KMALLOC_MAX_SIZE.
 */
void *smalloc_alloc(size_t size, gfp_t flags)
{
	return sm_alloc(smalloc_default_pool, size, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_alloc);

/* ---- snapshots for debugfs and tests ------------------------------------ */

/* The arena owning shared page @pfn, if it belongs to @pool. */
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
 * smalloc_page_snapshot - copy a page's status array and hints
 * @pool: the pool that should own the page
 * @pfn: the page, from smalloc_next_page()
 * @copy: where to copy
 *
 * Return: false if the page is no longer the pool's.
 */
bool smalloc_page_snapshot(struct smalloc_pool *pool, unsigned long pfn,
			   struct smalloc_page *copy)
{
	struct smalloc_arena *arena;
	unsigned long irqflags;
	bool owned;

	arena = sm_shared_page_arena(pool, xa_load(&smalloc_owners, pfn));
	if (!arena)
		return false;
	spin_lock_irqsave(&arena->lock, irqflags);
	owned = xa_load(&smalloc_owners, pfn) == arena;
	if (owned)
		memcpy(copy, page_address(pfn_to_page(pfn)), sizeof(*copy));
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return owned;
}

/**
 * smalloc_stats_snapshot - add up a pool's counters
 * @pool: the pool, or NULL for the default pool
 * @stats: where to put them
 *
 * Exported for smalloc's own test and benchmark modules, which measure
 * memory held; the layout of struct smalloc_stats is not a stable API.
 */
void smalloc_stats_snapshot(struct smalloc_pool *pool, struct smalloc_stats *stats)
{
	unsigned long irqflags;
	unsigned int i;

	if (!pool)
		pool = smalloc_default_pool;
	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < pool->nr_arenas; i++) {
		struct smalloc_arena *arena = &pool->arenas[i];
		const struct smalloc_stats *a = &arena->stats;

		spin_lock_irqsave(&arena->lock, irqflags);
		stats->pages += a->pages;
		stats->reserve_pages += a->reserve_pages;
		stats->large_allocs += a->large_allocs;
		stats->large_pages += a->large_pages;
		stats->live_objects += a->live_objects;
		stats->live_bytes += a->live_bytes;
		stats->bytes_requested += a->bytes_requested;
		stats->bytes_handed_out += a->bytes_handed_out;
		stats->allocs += a->allocs;
		stats->frees += a->frees;
		stats->failures += a->failures;
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
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
	unsigned int run;

	spin_lock_init(&arena->lock);
	arena->pool = pool;
	for (run = 0; run <= SM_UNITS; run++)
		INIT_LIST_HEAD(&arena->by_run[run]);
}

/**
 * smalloc_pool_create_arenas - create a pool with a given number of arenas
 * @name: as for smalloc_pool_create()
 * @nr_arenas: how many, a power of two; CPU n allocates from arena
 *             n % @nr_arenas
 *
 * Internal: smalloc_pool_create() picks the number; tests ask for one, so
 * that placement does not depend on which CPU a test runs on.
 *
 * Return: the pool, not yet in debugfs, or NULL if memory ran out.
 */
struct smalloc_pool *smalloc_pool_create_arenas(const char *name,
						unsigned int nr_arenas)
{
	struct smalloc_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	unsigned int i;

	if (!pool || WARN_ON_ONCE(!is_power_of_2(nr_arenas))) {
		kfree(pool);
		return NULL;
	}
	pool->name = kstrdup_const(name, GFP_KERNEL);
	pool->arenas = kvcalloc(nr_arenas, sizeof(*pool->arenas), GFP_KERNEL);
	if (!pool->name || !pool->arenas) {
		kvfree(pool->arenas);
		kfree_const(pool->name);
		kfree(pool);
		return NULL;
	}
	pool->nr_arenas = nr_arenas;
	for (i = 0; i < nr_arenas; i++)
		sm_arena_init(&pool->arenas[i], pool);
	mutex_lock(&smalloc_pools_mutex);
	list_add_tail_rcu(&pool->node, &smalloc_pools);
	mutex_unlock(&smalloc_pools_mutex);
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
 * Objects still live are reported as leaked and their memory is returned to
 * the page allocator: nobody may use them after this.
 * Context: process context, may sleep.
 */
void smalloc_pool_destroy(struct smalloc_pool *pool)
{
	struct smalloc_stats st;
	unsigned long pfn;
	void *owner;

	if (!pool)
		return;
	/* First: waits for readers of the pool's debugfs files. */
	debugfs_remove_recursive(pool->debugfs);
	mutex_lock(&smalloc_pools_mutex);
	list_del_rcu(&pool->node);
	mutex_unlock(&smalloc_pools_mutex);
	/*
	 * Any smalloc_free() or smalloc_size() that found one of our arenas
	 * did so under rcu_read_lock(): wait for them; later ones refuse.
	 */
	synchronize_rcu();

	smalloc_stats_snapshot(pool, &st);
	if (st.live_objects)
		pr_warn("pool %s destroyed with %lu live objects (%lu bytes) leaked\n",
			pool->name, st.live_objects, st.live_bytes);
	xa_for_each(&smalloc_owners, pfn, owner) {
		struct page *page = pfn_to_page(pfn);

		if (!sm_is_arena_of(pool, (unsigned long)xa_untag_pointer(owner)))
			continue;
		xa_erase_irq(&smalloc_owners, pfn);
		WRITE_ONCE(page->private, 0);
		__free_pages(page, compound_order(page));
	}
	kvfree(pool->arenas);
	kfree_const(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(smalloc_pool_destroy);

static int __init smalloc_init(void)
{
	BUILD_BUG_ON(sizeof(struct smalloc_page) > SM_DATA_OFFSET);
	BUILD_BUG_ON(SM_UNITS > U16_MAX);

	smalloc_debugfs_init();
	smalloc_default_pool = smalloc_pool_create_arenas("default",
							  sm_nr_arenas());
	if (!smalloc_default_pool) {
		smalloc_debugfs_exit();
		return -ENOMEM;
	}
	/* The default pool's files sit at the top of smalloc's directory. */
	smalloc_debugfs_add(smalloc_default_pool, NULL);
	return 0;
}

static void __exit smalloc_exit(void)
{
	struct smalloc_pool *pool, *next;

	/* Forgotten pools first: each removes its own debugfs directory. */
	list_for_each_entry_safe(pool, next, &smalloc_pools, node) {
		if (pool == smalloc_default_pool)
			continue;
		pr_warn("pool %s was never destroyed\n", pool->name);
		smalloc_pool_destroy(pool);
	}
	/* Then the top directory, with the default pool's files in it. */
	smalloc_debugfs_exit();
	smalloc_pool_destroy(smalloc_default_pool);
}

module_init(smalloc_init);
module_exit(smalloc_exit);

MODULE_DESCRIPTION("smalloc: small objects in pages that start with a 2-bit status array");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION(SMALLOC_VERSION);
