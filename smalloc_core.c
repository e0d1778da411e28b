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
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "smalloc_internal.h"

/* Low bit of every 2-bit pair: one flag per unit. */
#define SM_LOW_BITS	0x5555555555555555ULL
/* Units past SM_UNITS in the last word never exist; treat them as used. */
#define SM_TAIL_UNIT	(SM_UNITS - (SM_WORDS - 1) * SM_UNITS_PER_WORD)
#define SM_TAIL_USED	(SM_LOW_BITS & ~GENMASK_ULL(2 * SM_TAIL_UNIT - 1, 0))

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

/* ---- status words ---------------------------------------------------- */

static inline u64 sm_pattern(unsigned int code)
{
	return code * SM_LOW_BITS;
}

/* One bit per unit whose code is non-zero. */
static inline u64 sm_nonzero_units(u64 word)
{
	return (word | word >> 1) & SM_LOW_BITS;
}

static inline u64 sm_used_units(const struct smalloc_page *sp, unsigned int wi)
{
	u64 used = sm_nonzero_units(sp->status[wi]);

	return wi == SM_WORDS - 1 ? used | SM_TAIL_USED : used;
}

/* Status bits of units [lo, hi) of one word, 0 <= lo < hi <= 32. */
static inline u64 sm_span(unsigned int lo, unsigned int hi)
{
	return GENMASK_ULL(2 * hi - 1, 2 * lo);
}

static inline unsigned int sm_first_unit(unsigned int wi, u64 units)
{
	return min_t(unsigned int, wi * SM_UNITS_PER_WORD + __ffs64(units) / 2,
		     SM_UNITS);
}

unsigned int smalloc_unit_code(const struct smalloc_page *sp, unsigned int unit)
{
	unsigned int shift = SM_BITS_PER_UNIT * (unit % SM_UNITS_PER_WORD);

	return (sp->status[unit / SM_UNITS_PER_WORD] >> shift) & 3;
}

/*
 * First unit at or after @from whose code differs from @code, or SM_UNITS.
 * With @code FREE this finds the next used unit; with a USED code it finds
 * the end of the object starting at @from.
 */
static unsigned int sm_next_other(const struct smalloc_page *sp,
				  unsigned int from, unsigned int code)
{
	unsigned int wi = from / SM_UNITS_PER_WORD;
	u64 pattern = sm_pattern(code), units;

	if (from >= SM_UNITS)
		return SM_UNITS;
	units = sm_nonzero_units(sp->status[wi] ^ pattern);
	units &= ~0ULL << (2 * (from % SM_UNITS_PER_WORD));
	while (!units) {
		if (++wi == SM_WORDS)
			return SM_UNITS;
		units = sm_nonzero_units(sp->status[wi] ^ pattern);
	}
	return sm_first_unit(wi, units);
}

static unsigned int sm_next_used(const struct smalloc_page *sp, unsigned int from)
{
	return sm_next_other(sp, from, SM_FREE);
}

/* First free unit at or after @from, or SM_UNITS. */
static unsigned int sm_next_free(const struct smalloc_page *sp, unsigned int from)
{
	unsigned int wi = from / SM_UNITS_PER_WORD;
	u64 units;

	if (from >= SM_UNITS)
		return SM_UNITS;
	units = ~sm_used_units(sp, wi) & SM_LOW_BITS;
	units &= ~0ULL << (2 * (from % SM_UNITS_PER_WORD));
	while (!units) {
		if (++wi == SM_WORDS)
			return SM_UNITS;
		units = ~sm_used_units(sp, wi) & SM_LOW_BITS;
	}
	return sm_first_unit(wi, units);
}

/* One past the last used unit below @unit, or 0 if all of them are free. */
static unsigned int sm_prev_used_end(const struct smalloc_page *sp,
				     unsigned int unit)
{
	int wi = unit / SM_UNITS_PER_WORD;
	unsigned int lo = unit % SM_UNITS_PER_WORD;
	u64 units = lo ? sm_nonzero_units(sp->status[wi]) & sm_span(0, lo) : 0;

	while (!units) {
		if (--wi < 0)
			return 0;
		units = sm_nonzero_units(sp->status[wi]);
	}
	return wi * SM_UNITS_PER_WORD + (fls64(units) - 1) / 2 + 1;
}

/* Write @code into units [start, start + n), a word at a time. */
static void sm_set_run(struct smalloc_page *sp, unsigned int start,
		       unsigned int n, unsigned int code)
{
	u64 pattern = sm_pattern(code);
	unsigned int end = start + n;

	while (start < end) {
		unsigned int wi = start / SM_UNITS_PER_WORD;
		unsigned int lo = start % SM_UNITS_PER_WORD;
		unsigned int hi = min_t(unsigned int, end - wi * SM_UNITS_PER_WORD,
					SM_UNITS_PER_WORD);
		u64 mask = sm_span(lo, hi);

		sp->status[wi] = (sp->status[wi] & ~mask) | (pattern & mask);
		start = wi * SM_UNITS_PER_WORD + hi;
	}
}

/*
 * A code for units [start, start + n) that differs from both neighbours.
 * Two neighbours rule out at most two of the three USED codes.
 */
static unsigned int sm_pick_code(const struct smalloc_page *sp,
				 unsigned int start, unsigned int n)
{
	unsigned int before = start ? smalloc_unit_code(sp, start - 1) : SM_FREE;
	unsigned int after = start + n < SM_UNITS ?
			     smalloc_unit_code(sp, start + n) : SM_FREE;
	unsigned int code = SM_USED1;

	while (code == before || code == after)
		code++;
	return code;
}

/* First free run of at least @n units, in address order; -1 if none. */
static int sm_find_run(const struct smalloc_page *sp, unsigned int n,
		       unsigned int *run_len)
{
	unsigned int start = sp->hdr.first_free, end;

	while ((start = sm_next_free(sp, start)) < SM_UNITS) {
		end = sm_next_used(sp, start);
		if (end - start >= n) {
			*run_len = end - start;
			return start;
		}
		start = end;
	}
	return -1;
}

static unsigned int sm_longest_run(const struct smalloc_page *sp)
{
	unsigned int start = sp->hdr.first_free, end, longest = 0;

	while ((start = sm_next_free(sp, start)) < SM_UNITS) {
		end = sm_next_used(sp, start);
		longest = max(longest, end - start);
		start = end;
	}
	return longest;
}

static inline void *sm_data(struct smalloc_page *sp)
{
	return (void *)sp + SM_DATA_OFFSET;
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
			    gfp_t flags)
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
	return page_address(page);

fail:
	sm_account_failure(pool);
	return NULL;
}

/**
 * smalloc_pool_alloc - allocate an object from a pool
 * @pool: the pool
 * @size: bytes wanted
 * @flags: GFP flags; as for kmalloc(), they decide whether this may sleep
 *
 * Return: an object of at least @size bytes aligned to SMALLOC_ALIGN,
 * ZERO_SIZE_PTR for a zero @size, or NULL on failure.
 */
void *smalloc_pool_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags)
{
	struct smalloc_page *sp;
	unsigned long irqflags;
	unsigned int n;
	void *obj;

	might_alloc(flags);
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > SM_MAX_SMALL)
		return sm_alloc_large(pool, size, flags);
	n = DIV_ROUND_UP(size, SM_UNIT_SIZE);

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

	if (obj && (flags & __GFP_ZERO))
		memset(obj, 0, n * SM_UNIT_SIZE);
	return obj;
}

/* ---- finding an object from a pointer ----------------------------------- */

struct sm_object {
	struct smalloc_pool *pool;	/* owner, or the default pool to blame */
	struct page *page;
	bool large;
	unsigned int start, end;	/* units, for objects in shared pages */
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

static void sm_free_large(struct sm_object *obj, const void *ptr)
{
	struct smalloc_pool *pool = obj->pool;
	unsigned int order = compound_order(obj->page);
	unsigned long irqflags;

	/* Two racing frees of one object: only one clears the owner. */
	if (!sm_owner_clear(obj->page, xa_tag_pointer(pool, SM_OWNER_LARGE))) {
		sm_refuse_free(ptr, obj, SM_MISUSE_FOREIGN);
		return;
	}
	spin_lock_irqsave(&pool->lock, irqflags);
	pool->stats.large_allocs--;
	pool->stats.large_pages -= 1UL << order;
	pool->stats.live_objects--;
	pool->stats.live_bytes -= PAGE_SIZE << order;
	pool->stats.frees++;
	spin_unlock_irqrestore(&pool->lock, irqflags);
	__free_pages(obj->page, order);
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
		sm_free_large(&obj, ptr);
		return;
	}
	if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.pool->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		if (kind == SM_MISUSE_NONE)
			sm_free_small(&obj);
		spin_unlock_irqrestore(&obj.pool->lock, irqflags);
	}
	if (kind != SM_MISUSE_NONE)
		sm_refuse_free(ptr, &obj, kind);
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
	size_t size = 0;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	kind = sm_lookup_owner(ptr, &obj);
	if (kind == SM_MISUSE_NONE && obj.large)
		return page_size(obj.page);
	if (kind == SM_MISUSE_NONE) {
		spin_lock_irqsave(&obj.pool->lock, irqflags);
		kind = sm_locate_small(ptr, &obj);
		spin_unlock_irqrestore(&obj.pool->lock, irqflags);
		size = (obj.end - obj.start) * SM_UNIT_SIZE;	/* 0 if refused */
	}
	if (kind != SM_MISUSE_NONE) {
		sm_report("smalloc_size", ptr, &obj, kind);
		return 0;
	}
	return size;
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
	return smalloc_pool_alloc(smalloc_default_pool, size, flags);
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

void smalloc_stats_snapshot(struct smalloc_pool *pool, struct smalloc_stats *stats)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pool->lock, irqflags);
	*stats = pool->stats;
	spin_unlock_irqrestore(&pool->lock, irqflags);
}

/* ---- pools -------------------------------------------------------------- */

/**
 * smalloc_pool_create - create an empty pool
 * @name: a name for reports; must outlive the pool
 *
 * Return: the pool, or NULL if memory ran out.
 */
struct smalloc_pool *smalloc_pool_create(const char *name)
{
	struct smalloc_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	unsigned int run;

	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	pool->name = name;
	for (run = 0; run <= SM_UNITS; run++)
		INIT_LIST_HEAD(&pool->by_run[run]);
	return pool;
}

/**
 * smalloc_pool_destroy - free a pool and every page it holds
 * @pool: the pool; NULL is ignored
 *
 * Objects still live are reported as leaked and their memory is returned to
 * the page allocator: nobody may use them after this.
 */
void smalloc_pool_destroy(struct smalloc_pool *pool)
{
	unsigned long pfn;
	void *owner;

	if (!pool)
		return;
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
	kfree(pool);
}

static int __init smalloc_init(void)
{
	BUILD_BUG_ON(sizeof(struct smalloc_page) > SM_DATA_OFFSET);
	BUILD_BUG_ON(SM_UNITS > U16_MAX);

	smalloc_default_pool = smalloc_pool_create("default");
	if (!smalloc_default_pool)
		return -ENOMEM;
	smalloc_debugfs_init(smalloc_default_pool);
	return 0;
}

static void __exit smalloc_exit(void)
{
	smalloc_debugfs_exit();
	smalloc_pool_destroy(smalloc_default_pool);
}

module_init(smalloc_init);
module_exit(smalloc_exit);

MODULE_DESCRIPTION("smalloc: small objects in pages that start with a 2-bit status array");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
