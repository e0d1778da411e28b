/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The large-object page cache: each arena keeps a few pages it freed, by
 * order, and hands them out again before it asks the page allocator. See
 * smalloc_large.c.
 */
#ifndef _SMALLOC_LARGE_H
#define _SMALLOC_LARGE_H

#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>

struct smalloc_arena;

/* Orders cached: every large object up to 32 KiB, or one page if larger. */
#define SM_LARGE_ORDERS		(ilog2((SZ_32K >> PAGE_SHIFT) | 1) + 1)
#define SM_LARGE_MAX_BYTES	(PAGE_SIZE << (SM_LARGE_ORDERS - 1))
/* Most bytes of pages one arena keeps cached. */
#define SM_LARGE_CACHE_BYTES	SZ_256K
#define SM_LARGE_CACHE_PAGES	(SM_LARGE_CACHE_BYTES / PAGE_SIZE)

/*
 * Guarded by the arena's lock. A cached page keeps its smalloc_owners entry
 * (the arena, tagged large) but not its page->private word, so a free of it
 * is refused as it would be once the page allocator had it back.
 */
struct smalloc_large_cache {
	struct list_head free[SM_LARGE_ORDERS];	/* head pages, by ->lru */
	unsigned int pages;			/* base pages on them */
};

/* Requests the cache does not serve: charged, or from a particular zone. */
#define SM_LARGE_UNCACHED_GFP	(__GFP_ACCOUNT | GFP_ZONEMASK)

/* Whether a request of @order with @flags may take a cached page. */
static inline bool smalloc_large_cacheable(unsigned int order, gfp_t flags)
{
	return order < SM_LARGE_ORDERS && !(flags & SM_LARGE_UNCACHED_GFP);
}

void smalloc_large_cache_init(struct smalloc_large_cache *cache);
bool smalloc_large_scarce_zone(struct page *page);
struct page *smalloc_large_take(struct smalloc_arena *arena, unsigned int order);
void smalloc_large_prepare(struct page *page, unsigned int order, gfp_t flags);
bool smalloc_large_may_keep(struct smalloc_arena *arena, struct page *page,
			    unsigned int order);
bool smalloc_large_keep(struct smalloc_arena *arena, struct page *page,
			unsigned int order);
unsigned long smalloc_large_drain(struct smalloc_arena *arena);
int smalloc_large_init(void);
void smalloc_large_exit(void);

#endif /* _SMALLOC_LARGE_H */
