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
#include <linux/module.h>
#include <linux/mutex.h>
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
 * pfn -> owning pool, for every page smalloc holds: it lets smalloc_free()
 * tell its own pages from everybody else's without trusting the page itself.
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

/* ---- pages and the pool's lists --------------------------------------- */

static void sm_list_del(struct smalloc_pool *pool, struct smalloc_page *sp)
{
	unsigned int run = sp->hdr.max_run;

	list_del(&sp->hdr.list);
	if (list_empty(&pool->by_run[run]))
		__clear_bit(run, pool->run_nonempty);
}

static void sm_list_add(struct smalloc_pool *pool, struct smalloc_page *sp,
			unsigned int max_run)
{
	sp->hdr.max_run = max_run;
	list_add(&sp->hdr.list, &pool->by_run[max_run]);
	__set_bit(max_run, pool->run_nonempty);
}

static void sm_set_max_run(struct smalloc_pool *pool, struct smalloc_page *sp,
			   unsigned int max_run)
{
	if (max_run == sp->hdr.max_run)
		return;
	sm_list_del(pool, sp);
	sm_list_add(pool, sp, max_run);
}

/* The page with the shortest longest-run that still fits @n units. */
static struct smalloc_page *sm_page_with_run(struct smalloc_pool *pool,
					     unsigned int n)
{
	unsigned long run = find_next_bit(pool->run_nonempty, SM_UNITS + 1, n);

	if (run > SM_UNITS)
		return NULL;
	return container_of(list_first_entry(&pool->by_run[run],
					     struct smalloc_page_hdr, list),
			    struct smalloc_page, hdr);
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
	return xa_err(old);
}

/* Clear @page's owner if it is still @owner; false if someone beat us. */
static bool sm_owner_clear(struct page *page, void *owner)
{
	unsigned long irqflags;
	void *old;

	xa_lock_irqsave(&smalloc_owners, irqflags);
	old = __xa_cmpxchg(&smalloc_owners, page_to_pfn(page), owner, NULL,
			   GFP_ATOMIC);
	xa_unlock_irqrestore(&smalloc_owners, irqflags);
	return old == owner;
}

/* Called without the pool lock: may sleep if @flags allow it. */
static struct smalloc_page *sm_page_create(struct smalloc_pool *pool,
					   gfp_t flags)
{
	struct page *page = alloc_page(sm_page_gfp(flags));
	struct smalloc_page *sp;

	if (!page)
		return NULL;
	sp = page_address(page);
	memset(sp, 0, sizeof(*sp));
	if (sm_owner_set(page, pool, flags)) {
		__free_page(page);
		return NULL;
	}
	return sp;
}

static void sm_page_insert(struct smalloc_pool *pool, struct smalloc_page *sp)
{
	lockdep_assert_held(&pool->lock);
	sp->hdr.id = pool->next_page_id++;
	sp->hdr.nr_free = SM_UNITS;
	sp->hdr.first_free = 0;
	sm_list_add(pool, sp, SM_UNITS);
	pool->stats.pages++;
	pool->stats.reserve_pages++;
}

/* An empty page goes back to the page allocator once the reserve is full. */
static void sm_page_emptied(struct smalloc_pool *pool, struct smalloc_page *sp)
{
	struct page *page = virt_to_page(sp);

	if (pool->stats.reserve_pages < SM_RESERVE_PAGES) {
		pool->stats.reserve_pages++;
		return;
	}
	sm_list_del(pool, sp);
	sm_owner_clear(page, pool);
	pool->stats.pages--;
	__free_page(page);
}

/* ---- allocation --------------------------------------------------------- */

static void *sm_alloc_in_page(struct smalloc_pool *pool,
			      struct smalloc_page *sp, unsigned int n)
{
	unsigned int run;
	int start = sm_find_run(sp, n, &run);

	if (WARN_ON_ONCE(start < 0))	/* the hints lied */
		return NULL;
	if (sp->hdr.nr_free == SM_UNITS)
		pool->stats.reserve_pages--;
	sm_set_run(sp, start, n, sm_pick_code(sp, start, n));
	sp->hdr.nr_free -= n;
	if (start == sp->hdr.first_free)
		sp->hdr.first_free = sm_next_free(sp, start + n);
	/* Only cutting into a longest run can shorten the longest run. */
	if (run == sp->hdr.max_run)
		sm_set_max_run(pool, sp, sm_longest_run(sp));
	return sm_data(sp) + start * SM_UNIT_SIZE;
}

static void sm_account_alloc(struct smalloc_pool *pool, size_t requested,
			     size_t handed_out)
{
	pool->stats.allocs++;
	pool->stats.live_objects++;
	pool->stats.live_bytes += handed_out;
	pool->stats.bytes_requested += requested;
	pool->stats.bytes_handed_out += handed_out;
}

static void sm_account_failure(struct smalloc_pool *pool)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pool->lock, irqflags);
	pool->stats.failures++;
	spin_unlock_irqrestore(&pool->lock, irqflags);
}

static void *sm_alloc_large(struct smalloc_pool *pool, size_t size,
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
	if (sm_owner_set(page, xa_tag_pointer(pool, SM_OWNER_LARGE), flags)) {
		__free_pages(page, order);
		goto fail;
	}

	spin_lock_irqsave(&pool->lock, irqflags);
	pool->stats.large_allocs++;
	pool->stats.large_pages += 1UL << order;
	sm_account_alloc(pool, size, PAGE_SIZE << order);
	spin_unlock_irqrestore(&pool->lock, irqflags);
	*usable = PAGE_SIZE << order;
	return page_address(page);

fail:
	sm_account_failure(pool);
	return NULL;
}

static void *sm_alloc_small(struct smalloc_pool *pool, size_t size,
			    gfp_t flags, size_t *usable)
{
	unsigned int n = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	struct smalloc_page *sp;
	unsigned long irqflags;
	void *obj;

	spin_lock_irqsave(&pool->lock, irqflags);
	sp = sm_page_with_run(pool, n);
	if (!sp) {
		/* Grow outside the lock: the page allocator may sleep. */
		spin_unlock_irqrestore(&pool->lock, irqflags);
		sp = sm_page_create(pool, flags);
		if (!sp) {
			sm_account_failure(pool);
			return NULL;
		}
		spin_lock_irqsave(&pool->lock, irqflags);
		sm_page_insert(pool, sp);
	}
	obj = sm_alloc_in_page(pool, sp, n);
	if (obj)
		sm_account_alloc(pool, size, n * SM_UNIT_SIZE);
	else
		pool->stats.failures++;
	spin_unlock_irqrestore(&pool->lock, irqflags);

	*usable = n * SM_UNIT_SIZE;
	if (obj && (flags & __GFP_ZERO))
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
		obj = sm_alloc_large(pool, size, flags, &usable);
	else
		obj = sm_alloc_small(pool, size, flags, &usable);
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
 * ZERO_SIZE_PTR for a zero @size, or NULL on failure.
 */
void *smalloc_pool_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags)
{
	return sm_alloc(pool, size, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(smalloc_pool_alloc);

/* ---- finding an object from a pointer ----------------------------------- */

struct sm_object {
	struct smalloc_pool *pool;	/* owner, or the default pool to blame */
	struct page *page;
	bool large;
	unsigned int start, end;	/* units, for objects in shared pages */
	size_t size;			/* usable bytes, once located */
};

/* Which pool owns the page under @ptr, without touching the page. */
static enum smalloc_misuse sm_lookup_owner(const void *ptr, struct sm_object *obj)
{
	void *owner;

	obj->pool = smalloc_default_pool;
	if (!virt_addr_valid(ptr))
		return SM_MISUSE_NOT_LINEAR;
	obj->page = virt_to_page(ptr);
	owner = xa_load(&smalloc_owners, page_to_pfn(obj->page));
	if (!owner)
		return SM_MISUSE_FOREIGN;
	obj->large = xa_pointer_tag(owner) == SM_OWNER_LARGE;
	obj->pool = xa_untag_pointer(owner);
	if (obj->large && ptr != page_address(obj->page))
		return SM_MISUSE_INTERIOR;
	return SM_MISUSE_NONE;
}

/*
 * Find the object starting at @ptr in a shared page. Called with the pool
 * lock held, so the page cannot be released under us; the owner is checked
 * again because it may have been released before we took the lock.
 */
static enum smalloc_misuse sm_locate_small(const void *ptr, struct sm_object *obj)
{
	struct smalloc_page *sp = page_address(obj->page);
	unsigned long offset = ptr - (void *)sp;
	unsigned int unit, code;

	lockdep_assert_held(&obj->pool->lock);
	if (xa_load(&smalloc_owners, page_to_pfn(obj->page)) != obj->pool)
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

/* Refuse bad input loudly, once per kind, and leave every object alone. */
static void sm_report(const char *fn, const void *ptr, struct sm_object *obj,
		      enum smalloc_misuse kind)
{
	static unsigned long warned;

	WRITE_ONCE(obj->pool->last_misuse, kind);
	WARN(!test_and_set_bit(kind, &warned), "%s: %s: %p\n", fn,
	     smalloc_misuse_name(kind), ptr);
}

static void sm_refuse_free(const void *ptr, struct sm_object *obj,
			   enum smalloc_misuse kind)
{
	atomic_long_inc(&obj->pool->refused_frees);
	sm_report("smalloc_free", ptr, obj, kind);
}

static enum smalloc_misuse sm_free_large(struct sm_object *obj)
{
	struct smalloc_pool *pool = obj->pool;
	unsigned int order = compound_order(obj->page);
	unsigned long irqflags;

	/* Two racing frees of one object: only one clears the owner. */
	if (!sm_owner_clear(obj->page, xa_tag_pointer(pool, SM_OWNER_LARGE)))
		return SM_MISUSE_FOREIGN;
	obj->size = PAGE_SIZE << order;
	spin_lock_irqsave(&pool->lock, irqflags);
	pool->stats.large_allocs--;
	pool->stats.large_pages -= 1UL << order;
	pool->stats.live_objects--;
	pool->stats.live_bytes -= PAGE_SIZE << order;
	pool->stats.frees++;
	spin_unlock_irqrestore(&pool->lock, irqflags);
	__free_pages(obj->page, order);
	return SM_MISUSE_NONE;
}

/* Free units [start, end) and fix the page's hints and list. */
static void sm_free_small(struct sm_object *obj)
{
	struct smalloc_page *sp = page_address(obj->page);
	struct smalloc_pool *pool = obj->pool;
	unsigned int n = obj->end - obj->start, merged;

	sm_set_run(sp, obj->start, n, SM_FREE);
	sp->hdr.nr_free += n;
	sp->hdr.first_free = min_t(unsigned int, sp->hdr.first_free, obj->start);
	merged = sm_next_used(sp, obj->end) - sm_prev_used_end(sp, obj->start);
	if (merged > sp->hdr.max_run)
		sm_set_max_run(pool, sp, merged);

	pool->stats.live_objects--;
	pool->stats.live_bytes -= n * SM_UNIT_SIZE;
	pool->stats.frees++;
	if (sp->hdr.nr_free == SM_UNITS)
		sm_page_emptied(pool, sp);
}

/**
 * smalloc_free - free an object from smalloc_alloc() or smalloc_pool_alloc()
 * @ptr: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * The object's size comes from its status codes. A pointer smalloc did not
 * hand out, one into the middle of an object, or one already freed is
 * refused with a warning, and nothing changes. Callable in any context.
 */
void smalloc_free(const void *ptr)
{
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	kind = sm_lookup_owner(ptr, &obj);
	if (kind == SM_MISUSE_NONE && obj.large) {
		kind = sm_free_large(&obj);
	} else if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.pool->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		if (kind == SM_MISUSE_NONE)
			sm_free_small(&obj);
		spin_unlock_irqrestore(&obj.pool->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE) {
		sm_refuse_free(ptr, &obj, kind);
		return;
	}
	trace_smalloc_free(_RET_IP_, ptr, obj.size, obj.pool->name);
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
	struct sm_object obj = {};
	enum smalloc_misuse kind;
	unsigned long irqflags;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	kind = sm_lookup_owner(ptr, &obj);
	if (kind == SM_MISUSE_NONE && obj.large)
		return page_size(obj.page);
	if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.pool->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		spin_unlock_irqrestore(&obj.pool->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE) {
		sm_report("smalloc_size", ptr, &obj, kind);
		return 0;
	}
	return obj.size;
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

	while (owner && owner != pool)
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
	unsigned long irqflags;
	bool owned;

	spin_lock_irqsave(&pool->lock, irqflags);
	owned = xa_load(&smalloc_owners, pfn) == pool;
	if (owned)
		memcpy(copy, page_address(pfn_to_page(pfn)), sizeof(*copy));
	spin_unlock_irqrestore(&pool->lock, irqflags);
	return owned;
}

/**
 * smalloc_stats_snapshot - copy a pool's counters
 * @pool: the pool, or NULL for the default pool
 * @stats: where to copy
 *
 * Exported for smalloc's own test and benchmark modules, which measure
 * memory held; the layout of struct smalloc_stats is not a stable API.
 */
void smalloc_stats_snapshot(struct smalloc_pool *pool, struct smalloc_stats *stats)
{
	unsigned long irqflags;

	if (!pool)
		pool = smalloc_default_pool;

	spin_lock_irqsave(&pool->lock, irqflags);
	*stats = pool->stats;
	spin_unlock_irqrestore(&pool->lock, irqflags);
}
EXPORT_SYMBOL_GPL(smalloc_stats_snapshot);

/* ---- pools -------------------------------------------------------------- */

/* Every live pool, so that unloading smalloc can free forgotten ones. */
static LIST_HEAD(smalloc_pools);
static DEFINE_MUTEX(smalloc_pools_mutex);

static struct smalloc_pool *sm_pool_new(const char *name)
{
	struct smalloc_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	unsigned int run;

	if (!pool)
		return NULL;
	pool->name = kstrdup_const(name, GFP_KERNEL);
	if (!pool->name) {
		kfree(pool);
		return NULL;
	}
	spin_lock_init(&pool->lock);
	for (run = 0; run <= SM_UNITS; run++)
		INIT_LIST_HEAD(&pool->by_run[run]);
	mutex_lock(&smalloc_pools_mutex);
	list_add_tail(&pool->node, &smalloc_pools);
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
	struct smalloc_pool *pool = sm_pool_new(name);

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
	unsigned long pfn;
	void *owner;

	if (!pool)
		return;
	/* First: waits for readers of the pool's debugfs files. */
	debugfs_remove_recursive(pool->debugfs);
	mutex_lock(&smalloc_pools_mutex);
	list_del(&pool->node);
	mutex_unlock(&smalloc_pools_mutex);

	if (pool->stats.live_objects)
		pr_warn("pool %s destroyed with %lu live objects (%lu bytes) leaked\n",
			pool->name, pool->stats.live_objects,
			pool->stats.live_bytes);
	xa_for_each(&smalloc_owners, pfn, owner) {
		struct page *page = pfn_to_page(pfn);

		if (xa_untag_pointer(owner) != pool)
			continue;
		xa_erase_irq(&smalloc_owners, pfn);
		__free_pages(page, compound_order(page));
	}
	kfree_const(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(smalloc_pool_destroy);

static int __init smalloc_init(void)
{
	BUILD_BUG_ON(sizeof(struct smalloc_page) > SM_DATA_OFFSET);
	BUILD_BUG_ON(SM_UNITS > U16_MAX);

	smalloc_debugfs_init();
	smalloc_default_pool = sm_pool_new("default");
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

	smalloc_debugfs_exit();
	list_for_each_entry_safe(pool, next, &smalloc_pools, node) {
		if (pool != smalloc_default_pool)
			pr_warn("pool %s was never destroyed\n", pool->name);
		smalloc_pool_destroy(pool);
	}
}

module_init(smalloc_init);
module_exit(smalloc_exit);

MODULE_DESCRIPTION("smalloc: small objects in pages that start with a 2-bit status array");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION(SMALLOC_VERSION);
