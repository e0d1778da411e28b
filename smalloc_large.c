// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc's cache of large-object pages.
 *
 * An object larger than a shared page's data area gets pages of its own
 * (sm_alloc_large() in smalloc_core.c). Real kernels ask for such objects
 * often, most of them exactly 4096 bytes (seq_file buffers, paths), and
 * free them soon: asking the page allocator and listing the page in
 * smalloc_owners each time cost more than kmalloc's slab. So each arena
 * keeps up to SM_LARGE_CACHE_BYTES of pages it freed, on one list per
 * order up to 32 KiB, and hands them out again first.
 *
 * A cached page stays listed in smalloc_owners under its arena, tagged
 * large, but its page->private word is clear, as it is for a page the page
 * allocator owns: a second free of the object is refused as foreign. It is
 * in the state the page allocator would leave it in: poisoned for KASAN,
 * zeroed on the way in under init_on_free and on the way out under
 * init_on_alloc (not both, as the page allocator), unknown to kmemleak.
 *
 * Pages charged to a memory cgroup are never cached (the charge belongs to
 * the cgroup of the free object's owner, and would move with the page), nor
 * are pages of ZONE_DMA (scarce, and asked for by __GFP_DMA only), nor are
 * requests with __GFP_ACCOUNT or a zone modifier served from the cache:
 * those go to the page allocator as before. The cache is emptied by a
 * shrinker under memory pressure and when its pool is destroyed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/shrinker.h>
#include <linux/version.h>
#include "smalloc_hooks.h"
#include "smalloc_internal.h"

void smalloc_large_cache_init(struct smalloc_large_cache *cache)
{
	unsigned int order;

	for (order = 0; order < SM_LARGE_ORDERS; order++)
		INIT_LIST_HEAD(&cache->free[order]);
	cache->pages = 0;
}

/**
 * smalloc_large_take - take a cached page for a large object
 * @arena: the arena allocating, its lock held
 * @order: the object's order; smalloc_large_cacheable() said yes
 *
 * The page's smalloc_owners entry is still set; its page->private word is
 * the caller's to set, and smalloc_large_prepare() to call after unlocking.
 *
 * Return: a compound page of @order, or NULL if none is cached.
 */
struct page *smalloc_large_take(struct smalloc_arena *arena, unsigned int order)
{
	struct smalloc_large_cache *cache = &arena->large;
	struct page *page;

	lockdep_assert_held(&arena->lock);
	page = list_first_entry_or_null(&cache->free[order], struct page, lru);
	if (page) {
		list_del(&page->lru);
		cache->pages -= 1U << order;
		sm_stat(arena->stats, LARGE_CACHED_PAGES) -= 1U << order;
	}
	return page;
}

/**
 * smalloc_large_prepare - make a page from smalloc_large_take() new
 * @page: the page
 * @order: its order
 * @flags: the request's GFP flags
 *
 * As alloc_pages() would hand it out: zeroed if the init policy or
 * __GFP_ZERO ask, unless init_on_free zeroed it already, as the page
 * allocator does. Still poisoned for KASAN past what it zeroed: the
 * caller's sm_hook_alloc_large() marks the object.
 */
void smalloc_large_prepare(struct page *page, unsigned int order, gfp_t flags)
{
	size_t bytes = PAGE_SIZE << order;

	if (want_init_on_alloc(flags) && !want_init_on_free()) {
		sm_kasan_mark(page_address(page), bytes, bytes, 0);
		memset(page_address(page), 0, bytes);
	}
}

/**
 * smalloc_large_scarce_zone - is @page of a DMA zone too small to hoard?
 * @page: a freed large object's head page
 *
 * Pages of a small DMA zone go back to it, not to any request: small where
 * a higher zone of the node serves the other requests (x86's 16 MiB). On
 * arm64 ZONE_DMA may be all of a machine's memory, and caching nothing
 * there would make the cache useless.
 *
 * Return: true if @page must not be cached.
 */
bool smalloc_large_scarce_zone(struct page *page)
{
#ifdef CONFIG_ZONE_DMA
	struct pglist_data *pgdat = page_pgdat(page);
	enum zone_type z;

	if (page_zonenum(page) != ZONE_DMA)
		return false;
	for (z = ZONE_DMA + 1; z <= ZONE_NORMAL; z++)
		if (managed_zone(&pgdat->node_zones[z]))
			return true;
#endif
	return false;
}

/**
 * smalloc_large_may_keep - get a freed large object's page ready for the cache
 * @arena: the arena that owned it
 * @page: its head page; its page->private word is already clear
 * @order: its order
 *
 * Called without the arena lock, after the object's kmemleak entry is gone:
 * if the page may be cached, it is zeroed under init_on_free and poisoned
 * for KASAN, as the page allocator would on free.
 *
 * Return: false if it must go back to the page allocator.
 */
bool smalloc_large_may_keep(struct smalloc_arena *arena, struct page *page,
			    unsigned int order)
{
	size_t bytes = PAGE_SIZE << order;
	void *addr = page_address(page);

	/* Charged to a cgroup: the page allocator uncharges it. */
	if (order >= SM_LARGE_ORDERS || PageMemcgKmem(page) ||
	    smalloc_large_scarce_zone(page))
		return false;
	/* Unlocked, to spare the zeroing of a page that won't be kept. */
	if (data_race(arena->large.pages) + (1U << order) > SM_LARGE_CACHE_PAGES)
		return false;
	if (want_init_on_free()) {
		sm_kasan_mark(addr, bytes, bytes, 0);
		memset(addr, 0, bytes);
	}
	sm_kasan_poison_free(addr, bytes);
	return true;
}

/**
 * smalloc_large_keep - cache a page smalloc_large_may_keep() got ready
 * @arena: the arena that owned it, its lock held
 * @page: the page
 * @order: its order
 *
 * Return: false if the cache filled up meanwhile: the caller releases the
 * page (it is still listed in smalloc_owners).
 */
bool smalloc_large_keep(struct smalloc_arena *arena, struct page *page,
			unsigned int order)
{
	struct smalloc_large_cache *cache = &arena->large;

	lockdep_assert_held(&arena->lock);
	if (cache->pages + (1U << order) > SM_LARGE_CACHE_PAGES)
		return false;
	list_add(&page->lru, &cache->free[order]);
	cache->pages += 1U << order;
	sm_stat(arena->stats, LARGE_CACHED_PAGES) += 1U << order;
	return true;
}

/**
 * smalloc_large_drain - give an arena's cached pages back to the page allocator
 * @arena: the arena
 *
 * Context: any context that may take the arena lock; does not sleep.
 * Return: the number of base pages released.
 */
unsigned long smalloc_large_drain(struct smalloc_arena *arena)
{
	struct smalloc_large_cache *cache = &arena->large;
	unsigned long irqflags, released;
	struct page *page, *next;
	unsigned int order;
	LIST_HEAD(pages);

	spin_lock_irqsave(&arena->lock, irqflags);
	for (order = 0; order < SM_LARGE_ORDERS; order++)
		list_splice_init(&cache->free[order], &pages);
	released = cache->pages;
	sm_stat(arena->stats, LARGE_CACHED_PAGES) -= released;
	cache->pages = 0;
	spin_unlock_irqrestore(&arena->lock, irqflags);

	list_for_each_entry_safe(page, next, &pages, lru) {
		list_del(&page->lru);
		smalloc_owner_erase(page);
		__free_pages(page, compound_order(page));
	}
	return released;
}

/* ---- the shrinker ------------------------------------------------------- */

static unsigned long sm_large_cached(struct smalloc_arena *arena)
{
	/* A count for the shrinker: a stale one costs nothing. */
	return data_race(arena->large.pages);
}

static unsigned long sm_large_count(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	return smalloc_sum_arenas(sm_large_cached) ?: SHRINK_EMPTY;
}

/* Small and quick to refill: all of it goes at once. */
static unsigned long sm_large_scan(struct shrinker *shrinker,
				   struct shrink_control *sc)
{
	return smalloc_sum_arenas(smalloc_large_drain) ?: SHRINK_STOP;
}

/* shrinker_alloc() replaced register_shrinker() in 6.7. */
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
static struct shrinker *sm_large_shrinker;

int smalloc_large_init(void)
{
	sm_large_shrinker = shrinker_alloc(0, "smalloc-large");
	if (!sm_large_shrinker)
		return -ENOMEM;
	sm_large_shrinker->count_objects = sm_large_count;
	sm_large_shrinker->scan_objects = sm_large_scan;
	shrinker_register(sm_large_shrinker);
	return 0;
}

void smalloc_large_exit(void)
{
	shrinker_free(sm_large_shrinker);
}
#else
static struct shrinker sm_large_shrinker = {
	.count_objects	= sm_large_count,
	.scan_objects	= sm_large_scan,
	.seeks		= DEFAULT_SEEKS,
};

int smalloc_large_init(void)
{
	return register_shrinker(&sm_large_shrinker, "smalloc-large");
}

void smalloc_large_exit(void)
{
	unregister_shrinker(&sm_large_shrinker);
}
#endif
