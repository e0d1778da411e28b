// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suites for smalloc. Each case gets a private pool (test->priv), so
 * the cases are independent of each other and of the default pool; only the
 * exported-API and foreign-pointer cases touch the default pool, and they
 * compare its counters before and after.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/kasan.h>
#include <linux/kmemleak.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/vmalloc.h>
#include "smalloc_compat.h"
#include "smalloc_hooks.h"
#include "smalloc_internal.h"
#include "smalloc_status.h"
#include "smalloc_trace.h"
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#include <trace/events/printk.h>	/* KASAN's reports, see the KASAN suite */
#endif

static struct smalloc_pool *pool_of(struct kunit *test)
{
	return test->priv;
}

static void *alloc(struct kunit *test, size_t size)
{
	void *p = smalloc_pool_alloc(pool_of(test), size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

static unsigned int unit_of(const void *ptr)
{
	return (offset_in_page(ptr) - SM_DATA_OFFSET) / SM_UNIT_SIZE;
}

/* Room for one page's copy: off the stack, which 64 KiB pages outgrow. */
static struct smalloc_page_copy *new_copy(struct kunit *test)
{
	struct smalloc_page_copy *copy = kunit_kzalloc(test, sizeof(*copy),
						       GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, copy);
	return copy;
}

/* The status array and hints of the page holding @ptr. */
static void snapshot(struct kunit *test, const void *ptr,
		     struct smalloc_page_copy *copy)
{
	unsigned long pfn = page_to_pfn(virt_to_page(ptr));

	KUNIT_ASSERT_TRUE(test, smalloc_page_snapshot(pool_of(test), pfn, copy));
}

static struct smalloc_stats stats(struct kunit *test)
{
	struct smalloc_stats st;

	smalloc_stats_snapshot(pool_of(test), &st);
	return st;
}

/*
 * The object of @size bytes at @ptr carries one code over exactly the units
 * that size needs, and that code differs from both neighbours'.
 */
static void expect_code_rule(struct kunit *test, const void *ptr, size_t size)
{
	unsigned int start = unit_of(ptr), n = DIV_ROUND_UP(size, SM_UNIT_SIZE);
	struct smalloc_page_copy *c = new_copy(test);
	unsigned int u, code;

	snapshot(test, ptr, c);
	code = smalloc_unit_code(&c->sp, start);
	KUNIT_EXPECT_NE(test, code, SM_FREE);
	for (u = start; u < start + n; u++)
		KUNIT_EXPECT_EQ(test, smalloc_unit_code(&c->sp, u), code);
	if (start > 0)
		KUNIT_EXPECT_NE(test, smalloc_unit_code(&c->sp, start - 1), code);
	if (start + n < SM_UNITS)
		KUNIT_EXPECT_NE(test, smalloc_unit_code(&c->sp, start + n), code);
}

/*
 * scripts/kunit.sh fails a run on any WARN or KASAN report in the kernel
 * log except those between these two lines, which a case expects.
 */
static void expect_reports_begin(struct kunit *test)
{
	kunit_info(test, "smalloc: expected reports begin\n");
}

static void expect_reports_end(struct kunit *test)
{
	kunit_info(test, "smalloc: expected reports end\n");
}

/*
 * One arena: placement must not depend on the CPU a case runs on. No
 * stock: these cases look at what a free does to the status array (the
 * stock keeps an object's units as they are; smalloc_stock has its cases).
 */
static int pool_init(struct kunit *test)
{
	struct smalloc_pool *pool = smalloc_pool_create_arenas("kunit", 1);

	if (!pool)
		return -ENOMEM;
	pool->unstocked = true;
	test->priv = pool;
	return 0;
}

static void pool_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 0);
	smalloc_pool_destroy(test->priv);
}

/* ---- layout ------------------------------------------------------------- */

static void layout_status_array_at_page_start(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 20), *c;
	u64 *status = page_address(virt_to_page(a));

	KUNIT_EXPECT_EQ(test, offset_in_page(a), SM_DATA_OFFSET);
	KUNIT_EXPECT_PTR_EQ(test, b, a + SM_UNIT_SIZE);
	KUNIT_EXPECT_EQ(test, (unsigned long)b % SMALLOC_ALIGN, 0);
	/* Unit 0 is USED1; units 1..3 are USED2; the rest is free. */
	KUNIT_EXPECT_EQ(test, status[0], 0x01ULL | 0x2aULL << 2);
	KUNIT_EXPECT_EQ(test, status[1], 0);
	c = alloc(test, 8);	/* at unit 4: the page stays even without a reserve */
	smalloc_free(a);
	smalloc_free(b);
	KUNIT_EXPECT_EQ(test, status[0] & 0xff, 0);	/* units 0 to 3 */
	smalloc_free(c);
}

/* ---- the code rule ------------------------------------------------------ */

/*
 * Random allocations and frees until every (code before, code after) pair
 * has been seen around a new object, checking the rule each time.
 */
static void codes_every_neighbour_pattern(struct kunit *test)
{
	void *live[64] = {};
	bool seen[4][4] = {};
	unsigned int step, nr_seen = 0, i;

	struct smalloc_page_copy *c = new_copy(test);

	for (step = 0; step < 20000 && nr_seen < 16; step++) {
		unsigned int slot = get_random_u32() % ARRAY_SIZE(live);
		unsigned int start, end, before, after, size;

		if (live[slot]) {
			smalloc_free(live[slot]);
			live[slot] = NULL;
			continue;
		}
		size = 1 + get_random_u32() % 32;
		live[slot] = alloc(test, size);
		expect_code_rule(test, live[slot], size);
		snapshot(test, live[slot], c);
		start = unit_of(live[slot]);
		end = start + DIV_ROUND_UP(size, SM_UNIT_SIZE);
		before = start ? smalloc_unit_code(&c->sp, start - 1) : SM_FREE;
		after = end < SM_UNITS ? smalloc_unit_code(&c->sp, end) : SM_FREE;
		if (!seen[before][after]) {
			seen[before][after] = true;
			nr_seen++;
		}
	}
	KUNIT_EXPECT_EQ(test, nr_seen, 16);
	for (i = 0; i < ARRAY_SIZE(live); i++)
		smalloc_free(live[i]);
}

/* A hole between a USED1 and a USED2 object can only take USED3. */
static void codes_third_code_when_both_taken(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 8), *c = alloc(test, 8);
	u8 *d = alloc(test, 8), *e;
	struct smalloc_page_copy *cp = new_copy(test);

	smalloc_free(b);
	smalloc_free(c);
	e = alloc(test, 12);	/* not 16: that would be aligned past b */
	KUNIT_EXPECT_PTR_EQ(test, e, b);
	snapshot(test, e, cp);
	KUNIT_EXPECT_EQ(test, smalloc_unit_code(&cp->sp, unit_of(a)), SM_USED1);
	KUNIT_EXPECT_EQ(test, smalloc_unit_code(&cp->sp, unit_of(e)), SM_USED3);
	KUNIT_EXPECT_EQ(test, smalloc_unit_code(&cp->sp, unit_of(d)), SM_USED2);
	KUNIT_EXPECT_EQ(test, smalloc_size(e), 16);
	smalloc_free(a);
	smalloc_free(d);
	smalloc_free(e);
}

/* ---- placement ---------------------------------------------------------- */

static void placement_first_fit_in_order(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 24), *c = alloc(test, 16);

	KUNIT_EXPECT_EQ(test, offset_in_page(a), SM_DATA_OFFSET);
	KUNIT_EXPECT_PTR_EQ(test, b, a + 8);
	KUNIT_EXPECT_PTR_EQ(test, c, b + 24);
	smalloc_free(a);
	smalloc_free(b);
	smalloc_free(c);
}

static void placement_reuses_holes(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 8), *c = alloc(test, 8);
	u8 *d = alloc(test, 60), *e = alloc(test, 8), *f, *g, *h;

	/* No power-of-two sizes but 8: those would be aligned. */
	smalloc_free(b);		/* a 1-unit hole */
	smalloc_free(d);		/* an 8-unit hole */
	f = alloc(test, 12);		/* too big for the first hole */
	KUNIT_EXPECT_PTR_EQ(test, f, d);
	g = alloc(test, 8);		/* the first hole fits now */
	KUNIT_EXPECT_PTR_EQ(test, g, b);
	h = alloc(test, 48);		/* the rest of the second hole */
	KUNIT_EXPECT_PTR_EQ(test, h, d + 16);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, 8), e + 8);
	smalloc_free(e + 8);
	smalloc_free(a);
	smalloc_free(c);
	smalloc_free(e);
	smalloc_free(f);
	smalloc_free(g);
	smalloc_free(h);
}

static void placement_exact_fill_then_one_unit_more(struct kunit *test)
{
	u8 *first = alloc(test, 40), *rest, *extra;
	struct smalloc_page_copy *c = new_copy(test);

	rest = alloc(test, SM_MAX_SMALL - 40);
	KUNIT_EXPECT_PTR_EQ(test, rest, first + 40);
	snapshot(test, first, c);
	KUNIT_EXPECT_EQ(test, c->info.nr_free, 0);
	KUNIT_EXPECT_EQ(test, c->info.run_hint, 0);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES), 1);

	extra = alloc(test, 1);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(extra), virt_to_page(first));
	KUNIT_EXPECT_EQ(test, offset_in_page(extra), SM_DATA_OFFSET);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES), 2);
	smalloc_free(first);
	smalloc_free(rest);
	smalloc_free(extra);
}

/*
 * The only free units are in the last status word, and first_free is looked
 * for from unit 1: the search reaches the last word and finds them.
 */
static void placement_last_word_found_from_first(struct kunit *test)
{
	unsigned int last = (SM_WORDS - 1) * SM_UNITS_PER_WORD;	/* its unit 0 */
	u8 *a = alloc(test, SM_UNIT_SIZE);
	u8 *b = alloc(test, (last - 1) * SM_UNIT_SIZE);	/* to the last word */
	u8 *c;

	smalloc_free(a);
	a = alloc(test, SM_UNIT_SIZE);		/* unit 0 again */
	c = alloc(test, SM_UNIT_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, c, a + last * SM_UNIT_SIZE);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES), 1);
	smalloc_free(a);
	smalloc_free(b);
	smalloc_free(c);
}

static void placement_largest_small_object(struct kunit *test)
{
	u8 *max = alloc(test, SM_MAX_SMALL), *over = alloc(test, SM_MAX_SMALL + 1);

	KUNIT_EXPECT_EQ(test, offset_in_page(max), SM_DATA_OFFSET);
	KUNIT_EXPECT_EQ(test, smalloc_size(max), SM_MAX_SMALL);
	KUNIT_EXPECT_EQ(test, offset_in_page(over), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_ALLOCS), 1);
	smalloc_free(max);
	smalloc_free(over);
}

/* ---- many pages --------------------------------------------------------- */

#define GROW_OBJECTS	200

static void pages_grow_and_are_released(struct kunit *test)
{
	void **objs = kunit_kcalloc(test, GROW_OBJECTS, sizeof(void *), GFP_KERNEL);
	unsigned int i, per_page = SM_MAX_SMALL / 400;
	struct smalloc_stats st;

	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < GROW_OBJECTS; i++)
		objs[i] = alloc(test, 400);
	st = stats(test);
	KUNIT_EXPECT_EQ(test, sm_stat(st, PAGES), DIV_ROUND_UP(GROW_OBJECTS, per_page));
	KUNIT_EXPECT_EQ(test, sm_stat(st, RESERVE_PAGES), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LIVE_BYTES), GROW_OBJECTS * 400);

	for (i = 0; i < GROW_OBJECTS; i++)
		smalloc_free(objs[i]);
	st = stats(test);
	KUNIT_EXPECT_EQ(test, sm_stat(st, PAGES), SM_RESERVE_PAGES);
	KUNIT_EXPECT_EQ(test, sm_stat(st, RESERVE_PAGES), SM_RESERVE_PAGES);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LIVE_BYTES), 0);

	/* The reserve, if the page size leaves one, serves the next one. */
	objs[0] = alloc(test, 400);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES),
			max_t(unsigned long, SM_RESERVE_PAGES, 1));
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), RESERVE_PAGES),
			SM_RESERVE_PAGES ? SM_RESERVE_PAGES - 1 : 0);
	smalloc_free(objs[0]);
}

/*
 * A page's longest-run hint may overstate; the request that finds it out
 * corrects it, and later requests go to the page with the smallest hint
 * that fits them.
 */
static void pages_hints_corrected_then_smallest_fit(struct kunit *test)
{
	u8 *big = alloc(test, SM_MAX_SMALL - 64);	/* page A: 8 units left */
	u8 *other = alloc(test, SM_MAX_SMALL - 8);	/* not in A: page B */
	struct smalloc_page_copy *c = new_copy(test);
	u8 *mid, *small;

	KUNIT_EXPECT_PTR_NE(test, virt_to_page(other), virt_to_page(big));
	snapshot(test, big, c);
	KUNIT_EXPECT_EQ(test, c->info.run_hint, 8);	/* corrected */
	mid = alloc(test, 64);				/* fits A exactly */
	KUNIT_EXPECT_PTR_EQ(test, mid, big + SM_MAX_SMALL - 64);
	snapshot(test, big, c);
	KUNIT_EXPECT_EQ(test, c->info.run_hint, 0);	/* full */
	small = alloc(test, 8);				/* B's last unit */
	KUNIT_EXPECT_PTR_EQ(test, small, other + SM_MAX_SMALL - 8);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES), 2);
	smalloc_free(big);
	smalloc_free(other);
	smalloc_free(small);
	smalloc_free(mid);
}

/*
 * A free raises the hint of a full page to exactly the free run it makes:
 * then a request of that length finds the page, even one of 100 units,
 * whose class also holds runs of 96 to 99.
 */
static void pages_hint_raised_to_merged_run(struct kunit *test)
{
	u8 *a = alloc(test, SM_UNIT_SIZE);			/* unit 0 */
	u8 *b = alloc(test, 31 * SM_UNIT_SIZE);			/* to unit 31 */
	u8 *c = alloc(test, 100 * SM_UNIT_SIZE);		/* units 32..131 */
	u8 *d = alloc(test, SM_MAX_SMALL - 132 * SM_UNIT_SIZE);	/* the rest */
	struct smalloc_page_copy *cp = new_copy(test);

	snapshot(test, a, cp);
	KUNIT_EXPECT_EQ(test, cp->info.run_hint, 0);		/* full */
	smalloc_free(a);
	snapshot(test, b, cp);
	KUNIT_EXPECT_EQ(test, cp->info.run_hint, 1);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, SM_UNIT_SIZE), a);
	smalloc_free(c);		/* after a used unit of the word before */
	snapshot(test, b, cp);
	KUNIT_EXPECT_EQ(test, cp->info.run_hint, 100);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, 100 * SM_UNIT_SIZE), c);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES), 1);
	smalloc_free(a);
	smalloc_free(b);
	smalloc_free(c);
	smalloc_free(d);
}

/* A hint corrected is the longest free run, not the last one. */
static void pages_hint_corrected_to_longest_run(struct kunit *test)
{
	u8 *a = alloc(test, SM_UNIT_SIZE);			/* unit 0 */
	u8 *b = alloc(test, 100 * SM_UNIT_SIZE);		/* units 1..100 */
	u8 *c = alloc(test, SM_UNIT_SIZE);			/* unit 101 */
	u8 *d = alloc(test, 10 * SM_UNIT_SIZE);			/* units 102..111 */
	u8 *e = alloc(test, SM_MAX_SMALL - 112 * SM_UNIT_SIZE);	/* the rest */
	struct smalloc_page_copy *cp = new_copy(test);
	u8 *x, *y;

	smalloc_free(b);
	smalloc_free(d);
	x = alloc(test, SM_UNIT_SIZE);		/* free runs of 99 and 10 left */
	KUNIT_EXPECT_PTR_EQ(test, x, b);
	y = alloc(test, 100 * SM_UNIT_SIZE);	/* disappointed: another page */
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(y), virt_to_page(a));
	snapshot(test, a, cp);
	KUNIT_EXPECT_EQ(test, cp->info.run_hint, 99);
	smalloc_free(a);
	smalloc_free(c);
	smalloc_free(e);
	smalloc_free(x);
	smalloc_free(y);
}

/* ---- large objects, sizes, flags ---------------------------------------- */

static void large_objects_come_from_page_allocator(struct kunit *test)
{
	size_t size = 3 * PAGE_SIZE + 1;
	u8 *p = alloc(test, size);
	struct smalloc_stats st = stats(test);

	KUNIT_EXPECT_EQ(test, offset_in_page(p), 0);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LARGE_ALLOCS), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LARGE_PAGES), 4);
	KUNIT_EXPECT_EQ(test, sm_stat(st, BYTES_REQUESTED), size);
	memset(p, 0x5a, smalloc_size(p));	/* KASAN: all of it is ours */
	smalloc_free(p);
	st = stats(test);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LARGE_ALLOCS), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LARGE_PAGES), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LIVE_BYTES), 0);
}

/* ---- the large-page cache (smalloc_large.c) ---------------------------- */

static u64 large_cached(struct kunit *test)
{
	return sm_stat(stats(test), LARGE_CACHED_PAGES);
}

static void large_freed_page_is_reused(struct kunit *test)
{
	size_t sizes[] = { PAGE_SIZE, SM_MAX_SMALL + 1, SM_LARGE_MAX_BYTES };
	unsigned int i;
	void *p, *q;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = alloc(test, sizes[i]);
		smalloc_free(p);
		KUNIT_EXPECT_EQ(test, large_cached(test),
				PAGE_ALIGN(sizes[i]) / PAGE_SIZE);
		q = alloc(test, sizes[i]);
		KUNIT_EXPECT_PTR_EQ(test, q, p);
		KUNIT_EXPECT_EQ(test, large_cached(test), 0);
		KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_PAGES),
				PAGE_ALIGN(sizes[i]) / PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, smalloc_size(q), PAGE_ALIGN(sizes[i]));
		smalloc_free(q);
		KUNIT_EXPECT_EQ(test, smalloc_large_drain(&pool_of(test)->arenas[0]),
				PAGE_ALIGN(sizes[i]) / PAGE_SIZE);
	}
	/* Past the largest cached order: straight back to the page allocator. */
	p = alloc(test, 2 * SM_LARGE_MAX_BYTES);
	smalloc_free(p);
	KUNIT_EXPECT_EQ(test, large_cached(test), 0);
}

/* A cached page of one order is not handed out for another. */
static void large_cache_kept_by_order(struct kunit *test)
{
	void *p, *q;

	if (SM_LARGE_ORDERS < 2)
		kunit_skip(test, "one order cached with %lu-byte pages", PAGE_SIZE);
	p = alloc(test, 2 * PAGE_SIZE);

	smalloc_free(p);
	q = alloc(test, PAGE_SIZE);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_EQ(test, large_cached(test), 2);
	smalloc_free(q);
	KUNIT_EXPECT_EQ(test, large_cached(test), 3);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, 2 * PAGE_SIZE), p);
	smalloc_free(p);
}

static void large_cache_is_bounded(struct kunit *test)
{
	unsigned int n = SM_LARGE_CACHE_PAGES + 4, i;
	void **p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++)
		p[i] = alloc(test, PAGE_SIZE);
	for (i = 0; i < n; i++)
		smalloc_free(p[i]);
	KUNIT_EXPECT_EQ(test, large_cached(test), SM_LARGE_CACHE_PAGES);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_PAGES), 0);
	KUNIT_EXPECT_EQ(test, smalloc_large_drain(&pool_of(test)->arenas[0]),
			SM_LARGE_CACHE_PAGES);
	KUNIT_EXPECT_EQ(test, large_cached(test), 0);
}

/* __GFP_ACCOUNT pages are charged by the page allocator, never recycled. */
static void large_cache_skips_accounted_requests(struct kunit *test)
{
	void *p = alloc(test, PAGE_SIZE), *q;

	smalloc_free(p);
	q = smalloc_pool_alloc(pool_of(test), PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_EQ(test, large_cached(test), 1);
	smalloc_free(q);
}

static bool in_dma_zone(const void *p)
{
#ifdef CONFIG_ZONE_DMA
	return page_zonenum(virt_to_page(p)) == ZONE_DMA;
#else
	return false;
#endif
}

/* A page of the small DMA zone goes back to it, not into the cache. */
static void large_cache_skips_dma_zone(struct kunit *test)
{
	void *p = smalloc_pool_alloc(pool_of(test), PAGE_SIZE, GFP_KERNEL | GFP_DMA);
	bool dma;

	KUNIT_ASSERT_NOT_NULL(test, p);
	dma = in_dma_zone(p) && smalloc_large_scarce_zone(virt_to_page(p));
	smalloc_free(p);
	if (!dma)
		kunit_skip(test, "no DMA zone here, or it is all of memory");
	KUNIT_EXPECT_EQ(test, large_cached(test), 0);
}

static void sizes_zero_and_impossible(struct kunit *test)
{
	struct smalloc_pool *pool = pool_of(test);

	KUNIT_EXPECT_PTR_EQ(test, smalloc_pool_alloc(pool, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_NULL(test, smalloc_pool_alloc(pool, KMALLOC_MAX_SIZE + 1,
						   GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, smalloc_pool_alloc(pool, SIZE_MAX,
						   GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), FAILURES), 2);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), ALLOCS), 0);
	smalloc_free(NULL);
	smalloc_free(ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, smalloc_size(NULL), 0);
	KUNIT_EXPECT_EQ(test, smalloc_size(ZERO_SIZE_PTR), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), FREES), 0);
}

static void sizes_round_up_to_units(struct kunit *test)
{
	size_t size;

	for (size = 1; size <= SM_MAX_SMALL; size += 37) {
		u8 *p = alloc(test, size);

		KUNIT_EXPECT_EQ(test, smalloc_size(p), round_up(size, SM_UNIT_SIZE));
		memset(p, 0xa5, smalloc_size(p));
		smalloc_free(p);
	}
	/* The one page, in the reserve if the page size leaves one. */
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), PAGES),
			min_t(unsigned long, SM_RESERVE_PAGES, 1));
}

static void flags_gfp_zero(struct kunit *test)
{
	struct smalloc_pool *pool = pool_of(test);
	u8 *p = alloc(test, 100), *keep = alloc(test, 8), *q;
	size_t i, usable = smalloc_size(p);

	/* keep holds the page: with no reserve it would go back (64K pages). */
	memset(p, 0xff, usable);
	smalloc_free(p);
	q = smalloc_pool_alloc(pool, 100, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, q, p);	/* same units, dirty before */
	KUNIT_ASSERT_EQ(test, smalloc_size(q), usable);	/* all of it ours */
	for (i = 0; i < usable; i++)
		KUNIT_EXPECT_EQ(test, q[i], 0);
	smalloc_free(q);
	smalloc_free(keep);

	q = smalloc_pool_alloc(pool, 2 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0, 2 * PAGE_SIZE));
	smalloc_free(q);
}

struct atomic_ctx {
	struct timer_list timer;
	struct smalloc_pool *pool;
	struct completion done;
	bool ok;
};

static void atomic_ctx_fn(struct timer_list *t)
{
	struct atomic_ctx *ctx = sm_from_timer(ctx, t, timer);
	void *small = smalloc_pool_alloc(ctx->pool, 24, GFP_ATOMIC);
	void *large = smalloc_pool_alloc(ctx->pool, 2 * PAGE_SIZE, GFP_ATOMIC);

	ctx->ok = small && large && smalloc_size(small) == 24;
	smalloc_free(small);
	smalloc_free(large);
	complete(&ctx->done);
}

/* Timer (softirq) context with GFP_ATOMIC: lockdep checks the lock use. */
static void flags_atomic_from_softirq(struct kunit *test)
{
	struct atomic_ctx ctx = { .pool = pool_of(test) };
	void *held = alloc(test, 8);	/* process context on the same lock */

	init_completion(&ctx.done);
	timer_setup_on_stack(&ctx.timer, atomic_ctx_fn, 0);
	mod_timer(&ctx.timer, jiffies + 1);
	wait_for_completion(&ctx.done);
	sm_timer_delete_sync(&ctx.timer);
	destroy_timer_on_stack(&ctx.timer);
	KUNIT_EXPECT_TRUE(test, ctx.ok);
	smalloc_free(held);
}

static void api_uses_default_pool(struct kunit *test)
{
	struct smalloc_stats before, after;
	void *p;

	smalloc_stats_snapshot(smalloc_default_pool, &before);
	p = smalloc_alloc(50, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 56);
	smalloc_stats_snapshot(smalloc_default_pool, &after);
	KUNIT_EXPECT_EQ(test, sm_stat(after, ALLOCS), sm_stat(before, ALLOCS) + 1);
	KUNIT_EXPECT_EQ(test, sm_stat(after, LIVE_BYTES), sm_stat(before, LIVE_BYTES) + 56);
	smalloc_free(p);
	smalloc_stats_snapshot(smalloc_default_pool, &after);
	KUNIT_EXPECT_EQ(test, sm_stat(after, LIVE_BYTES), sm_stat(before, LIVE_BYTES));
	KUNIT_EXPECT_EQ(test, sm_stat(after, FREES), sm_stat(before, FREES) + 1);
}

/* ---- bad input ---------------------------------------------------------- */

/* What smalloc:smalloc_refuse reported while a case watched it. */
struct refusals {
	unsigned int count;
	int kind;		/* of the last one */
	char pool[32];		/* blamed by the last one */
};

static void refuse_probe(void *data, unsigned long call_site, const void *ptr,
			 const char *fn, int kind, const char *why,
			 const char *pool)
{
	struct refusals *r = data;

	r->count++;
	r->kind = kind;
	strscpy(r->pool, pool, sizeof(r->pool));
}

static void watch_refusals(struct kunit *test, struct refusals *r)
{
	memset(r, 0, sizeof(*r));
	KUNIT_ASSERT_EQ(test, register_trace_smalloc_refuse(refuse_probe, r), 0);
}

static void unwatch_refusals(struct refusals *r)
{
	unregister_trace_smalloc_refuse(refuse_probe, r);
	tracepoint_synchronize_unregister();
}

/*
 * Free @bad, expect it refused as @kind by @blamed, and the page of @witness
 * and @test's pool counters untouched.
 */
static void expect_refused(struct kunit *test, const void *bad,
			   struct smalloc_pool *blamed, enum smalloc_misuse kind,
			   const void *witness)
{
	long refused = atomic_long_read(&blamed->refused_frees);
	struct smalloc_stats st_before = stats(test), st_after;
	struct smalloc_page_copy *before = new_copy(test), *after = new_copy(test);
	struct refusals r;

	snapshot(test, witness, before);
	watch_refusals(test, &r);
	smalloc_free(bad);
	unwatch_refusals(&r);
	snapshot(test, witness, after);
	st_after = stats(test);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&blamed->refused_frees), refused + 1);
	KUNIT_EXPECT_EQ(test, r.count, 1);
	KUNIT_EXPECT_EQ(test, r.kind, kind);
	KUNIT_EXPECT_STREQ(test, r.pool, blamed->name);
	KUNIT_EXPECT_EQ(test, memcmp(before, after, sizeof(*before)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&st_before, &st_after, sizeof(st_before)), 0);
}

static void misuse_double_free(struct kunit *test)
{
	u8 *a = alloc(test, 16), *b = alloc(test, 16);

	smalloc_free(a);
	expect_refused(test, a, pool_of(test), SM_MISUSE_NOT_ALLOCATED, b);
	smalloc_free(b);
}

static void misuse_interior_pointers(struct kunit *test)
{
	u8 *a = alloc(test, 64), *b = alloc(test, 8);
	struct smalloc_pool *pool = pool_of(test);

	expect_refused(test, a + 8, pool, SM_MISUSE_INTERIOR, a);
	expect_refused(test, a + 1, pool, SM_MISUSE_INTERIOR, a);
	expect_refused(test, b + 7, pool, SM_MISUSE_INTERIOR, a);
	/* The page's own status array is never an object. */
	expect_refused(test, page_address(virt_to_page(a)), pool,
		       SM_MISUSE_INTERIOR, a);
	expect_refused(test, (u8 *)page_address(virt_to_page(a)) +
		       SM_DATA_OFFSET - SM_UNIT_SIZE, pool, SM_MISUSE_INTERIOR, a);
	KUNIT_EXPECT_EQ(test, smalloc_size(a + 8), 0);
	KUNIT_EXPECT_EQ(test, smalloc_size(a), 64);
	smalloc_free(a);
	smalloc_free(b);
}

static void misuse_large_pointers(struct kunit *test)
{
	u8 *witness = alloc(test, 8), *big = alloc(test, 2 * PAGE_SIZE);
	struct smalloc_pool *pool = pool_of(test);

	expect_refused(test, big + 64, pool, SM_MISUSE_INTERIOR, witness);
	/* A tail page is not one smalloc handed out. */
	expect_refused(test, big + PAGE_SIZE, smalloc_default_pool,
		       SM_MISUSE_FOREIGN, witness);
	smalloc_free(big);
	expect_refused(test, big, smalloc_default_pool, SM_MISUSE_FOREIGN,
		       witness);
	smalloc_free(witness);
}

/* A cached page is refused as a page the page allocator has back would be. */
static void misuse_double_free_of_cached_large(struct kunit *test)
{
	u8 *witness = alloc(test, 8), *big = alloc(test, PAGE_SIZE), *other;

	smalloc_free(big);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_CACHED_PAGES), 1);
	expect_refused(test, big, smalloc_default_pool, SM_MISUSE_FOREIGN,
		       witness);
	KUNIT_EXPECT_EQ(test, smalloc_size(big), 0);
	/* Still cached once, not twice. */
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_CACHED_PAGES), 1);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, PAGE_SIZE), big);
	other = alloc(test, PAGE_SIZE);
	KUNIT_EXPECT_PTR_NE(test, other, big);
	smalloc_free(other);
	smalloc_free(big);
	smalloc_free(witness);
}

static void misuse_foreign_pointers(struct kunit *test)
{
	u8 *witness = alloc(test, 8);
	void *k = kmalloc(64, GFP_KERNEL);
	unsigned long on_stack = 0;
	struct refusals r;
	long refused;

	KUNIT_ASSERT_NOT_NULL(test, k);
	expect_refused(test, k, smalloc_default_pool, SM_MISUSE_FOREIGN, witness);
	KUNIT_EXPECT_EQ(test, smalloc_size(k), 0);
	kfree(k);

	/* Stacks are vmalloc'd on some configurations, linear on others. */
	refused = atomic_long_read(&smalloc_default_pool->refused_frees);
	watch_refusals(test, &r);
	smalloc_free(&on_stack);
	unwatch_refusals(&r);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&smalloc_default_pool->refused_frees),
			refused + 1);
	KUNIT_EXPECT_EQ(test, r.count, 1);
	KUNIT_EXPECT_TRUE(test, r.kind == SM_MISUSE_NOT_LINEAR ||
			  r.kind == SM_MISUSE_FOREIGN);
	smalloc_free(witness);
}

/* ---- pools of one's own ------------------------------------------------ */

static struct dentry *lookup_pool_dir(const char *name)
{
	struct dentry *top = debugfs_lookup("smalloc", NULL), *dir;

	if (!top)
		return NULL;
	dir = debugfs_lookup(name, top);
	dput(top);
	return dir;
}

static void pools_keep_objects_apart(struct kunit *test)
{
	struct smalloc_pool *own = smalloc_pool_create("kunit-own");
	struct smalloc_stats st;
	struct dentry *dir;
	void *mine, *theirs;

	KUNIT_ASSERT_NOT_NULL(test, own);
	dir = lookup_pool_dir("kunit-own");
	KUNIT_EXPECT_NOT_NULL(test, dir);
	dput(dir);

	mine = smalloc_pool_alloc(own, 100, GFP_KERNEL);
	theirs = alloc(test, 100);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(mine), virt_to_page(theirs));
	smalloc_stats_snapshot(own, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LIVE_OBJECTS), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 1);

	/* smalloc_free() finds the owning pool by itself. */
	smalloc_free(mine);
	smalloc_stats_snapshot(own, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, FREES), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), FREES), 0);
	smalloc_free(theirs);

	smalloc_pool_destroy(own);
	KUNIT_EXPECT_NULL(test, lookup_pool_dir("kunit-own"));
}

static void pools_destroy_with_live_objects(struct kunit *test)
{
	struct smalloc_pool *own = smalloc_pool_create("kunit-leaky");
	u8 *witness = alloc(test, 8), *small, *large;

	KUNIT_ASSERT_NOT_NULL(test, own);
	small = smalloc_pool_alloc(own, 40, GFP_KERNEL);
	large = smalloc_pool_alloc(own, 2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, large);
	expect_reports_begin(test);
	smalloc_pool_destroy(own);	/* warns of 2 live objects */

	/* Their pages are kept, not reused; late frees are refused. */
	KUNIT_EXPECT_GT(test, page_ref_count(virt_to_page(small)), 0);
	KUNIT_EXPECT_GT(test, page_ref_count(virt_to_page(large)), 0);
	expect_refused(test, small, smalloc_default_pool, SM_MISUSE_FOREIGN,
		       witness);
	expect_refused(test, large, smalloc_default_pool, SM_MISUSE_FOREIGN,
		       witness);
	expect_reports_end(test);
	/* Leaked on purpose: kmemleak need not say so. */
	kmemleak_not_leak(small);
	kmemleak_not_leak(large);
	smalloc_free(witness);
}

/* ---- debugfs ------------------------------------------------------------ */

/* Room for 32 status lines, whatever the page size. */
#define SEQ_BUF_SIZE	(32 * (SM_UNITS + 32))

/* Run the "status" seq_file ops one record per start/stop, as the worst case
 * of seq_read() with a tiny buffer does, and return the whole text.
 */
static char *read_status(struct kunit *test)
{
	struct smalloc_status_iter *iter = kunit_kzalloc(test, sizeof(*iter), GFP_KERNEL);
	struct seq_file m = { .size = SEQ_BUF_SIZE };
	loff_t pos = 0;
	void *v;

	KUNIT_ASSERT_NOT_NULL(test, iter);
	m.buf = kunit_kzalloc(test, SEQ_BUF_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	iter->pool = pool_of(test);
	m.private = iter;
	while ((v = smalloc_status_seq_ops.start(&m, &pos))) {
		smalloc_status_seq_ops.show(&m, v);
		v = smalloc_status_seq_ops.next(&m, v, &pos);
		smalloc_status_seq_ops.stop(&m, v);
	}
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	return m.buf;
}

static void debugfs_status_shows_units(struct kunit *test)
{
	u8 *a = alloc(test, 16), *b = alloc(test, 20), *c = alloc(test, 8);
	char *text, *line, want[40];

	smalloc_free(a);
	text = read_status(test);
	KUNIT_EXPECT_EQ(test, text[0], '#');
	line = strchr(text, '\n');
	KUNIT_ASSERT_NOT_NULL(test, line);
	line++;
	/* page 0, free units, longest free run, then ..222 1 and free units */
	snprintf(want, sizeof(want), "0 %lu %lu ..2221..",
		 (unsigned long)SM_UNITS - 4, (unsigned long)SM_UNITS - 6);
	KUNIT_EXPECT_EQ(test, strncmp(line, want, strlen(want)), 0);
	KUNIT_EXPECT_EQ(test, strlen(line), strlen(want) - 8 + SM_UNITS + 1);
	smalloc_free(b);
	smalloc_free(c);
}

static void debugfs_status_lists_every_page(struct kunit *test)
{
	void *objs[20];
	unsigned int i, lines = 0;
	char *text;

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = alloc(test, SM_MAX_SMALL - 8 * i);
	for (text = read_status(test); (text = strchr(text, '\n')); text++)
		lines++;
	KUNIT_EXPECT_EQ(test, lines, 1 + ARRAY_SIZE(objs));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		smalloc_free(objs[i]);
}

static void debugfs_stats_counts(struct kunit *test)
{
	struct seq_file m = { .size = SEQ_BUF_SIZE };
	void *a = alloc(test, 10), *b = alloc(test, 3 * PAGE_SIZE);
	unsigned long kept = min_t(unsigned long, SM_RESERVE_PAGES, 1);	/* a's page */
	char want[64];

	m.buf = kunit_kzalloc(test, SEQ_BUF_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	smalloc_free(a);
	smalloc_stats_seq_show(&m, pool_of(test));
	snprintf(want, sizeof(want), "pages: %lu\n", kept);
	KUNIT_EXPECT_EQ(test, strncmp(m.buf, want, strlen(want)), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\nlarge_allocs: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\nlarge_pages: 4\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\nlive_objects: 1\n"));
	snprintf(want, sizeof(want), "\nlive_bytes: %lu\n", 4 * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, want));
	snprintf(want, sizeof(want), "\nbytes_requested: %lu\n", 3 * PAGE_SIZE + 10);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, want));
	snprintf(want, sizeof(want), "\nmetadata_bytes: %lu\n",
		 kept * (SM_DATA_OFFSET + sizeof(struct smalloc_page_info)) +
		 sizeof(struct smalloc_pool) + sizeof(struct smalloc_arena) +
		 num_possible_cpus() * sizeof(struct smalloc_stock));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\nallocs: 2\nfrees: 1\nfailures: 0\n"));
	smalloc_free(b);
}

/* ---- randomized, against a shadow model --------------------------------- */

#define SHADOW_SLOTS	256
#define SHADOW_STEPS	6000

struct shadow {
	u8 *ptr;
	size_t size;
	u32 seed;
};

static u8 shadow_byte(const struct shadow *s, size_t i)
{
	return (s->seed * 2654435761u + i * 40503u) >> 13;
}

static void shadow_fill(struct shadow *s)
{
	size_t i;

	for (i = 0; i < s->size; i++)
		s->ptr[i] = shadow_byte(s, i);
}

static bool shadow_intact(const struct shadow *s)
{
	size_t i;

	for (i = 0; i < s->size; i++)
		if (s->ptr[i] != shadow_byte(s, i))
			return false;
	return true;
}

static size_t random_size(void)
{
	u32 r = get_random_u32();

	if (r % 50 == 0)		/* some large objects */
		return SM_MAX_SMALL + 1 + r % (3 * PAGE_SIZE);
	if (r % 10 == 0)
		return 1 + r % SM_MAX_SMALL;
	return 1 + r % 512;
}

static void random_against_shadow(struct kunit *test)
{
	struct shadow *slots = kunit_kcalloc(test, SHADOW_SLOTS, sizeof(*slots),
					     GFP_KERNEL);
	unsigned int step, i, live = 0, broken = 0;

	KUNIT_ASSERT_NOT_NULL(test, slots);
	for (step = 1; step <= SHADOW_STEPS; step++) {
		struct shadow *s = &slots[get_random_u32() % SHADOW_SLOTS];

		if (s->ptr) {
			broken += !shadow_intact(s);
			smalloc_free(s->ptr);
			s->ptr = NULL;
			live--;
		} else {
			gfp_t gfp = GFP_KERNEL | (step % 7 ? 0 : __GFP_ZERO);

			s->size = random_size();
			s->seed = step;
			s->ptr = smalloc_pool_alloc(pool_of(test), s->size, gfp);
			KUNIT_ASSERT_NOT_NULL(test, s->ptr);
			KUNIT_EXPECT_GE(test, smalloc_size(s->ptr), s->size);
			if (gfp & __GFP_ZERO)
				KUNIT_EXPECT_NULL(test, memchr_inv(s->ptr, 0, s->size));
			if (s->size <= SM_MAX_SMALL)
				expect_code_rule(test, s->ptr, s->size);
			shadow_fill(s);
			live++;
		}
		KUNIT_ASSERT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), live);
		/* Now and then, no byte of any live object may have changed. */
		if (step % 256 == 0)
			for (i = 0; i < SHADOW_SLOTS; i++)
				broken += slots[i].ptr && !shadow_intact(&slots[i]);
		KUNIT_ASSERT_EQ(test, broken, 0);
	}
	for (i = 0; i < SHADOW_SLOTS; i++)
		smalloc_free(slots[i].ptr);
	KUNIT_EXPECT_LE(test, sm_stat(stats(test), PAGES), SM_RESERVE_PAGES);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_BYTES), 0);
}

/* ---- concurrency -------------------------------------------------------- */

#define SMP_STEPS	4000
#define SMP_RING	64

/*
 * Threads allocate, fill, check and free objects in a pool of several
 * arenas; half of the objects pass through a shared ring so that another
 * thread, on another CPU where there is one, frees them into the owner's
 * arena. Lockdep and KASAN watch.
 */
struct smp_ctx {
	struct smalloc_pool *pool;
	spinlock_t ring_lock;		/* guards ring[] */
	struct shadow ring[SMP_RING];
	atomic_t broken, failed, running;
	struct completion done;
};

static int smp_thread(void *data)
{
	struct smp_ctx *ctx = data;
	struct shadow mine[16] = {}, passed;
	unsigned int step, i;

	for (step = 1; step <= SMP_STEPS; step++) {
		struct shadow *s = &mine[get_random_u32() % ARRAY_SIZE(mine)];
		unsigned int slot = get_random_u32() % SMP_RING;

		if (s->ptr) {
			/* Swap with the ring: someone else may free ours. */
			spin_lock(&ctx->ring_lock);
			passed = ctx->ring[slot];
			ctx->ring[slot] = *s;
			spin_unlock(&ctx->ring_lock);
			s->ptr = NULL;
			if (passed.ptr) {
				if (!shadow_intact(&passed))
					atomic_inc(&ctx->broken);
				smalloc_free(passed.ptr);
			}
			continue;
		}
		s->size = random_size();
		s->seed = get_random_u32();
		s->ptr = smalloc_pool_alloc(ctx->pool, s->size, GFP_KERNEL);
		if (!s->ptr) {
			atomic_inc(&ctx->failed);
			continue;
		}
		shadow_fill(s);
		if (step % 16 == 0)
			cond_resched();
	}
	for (i = 0; i < ARRAY_SIZE(mine); i++) {
		if (mine[i].ptr && !shadow_intact(&mine[i]))
			atomic_inc(&ctx->broken);
		smalloc_free(mine[i].ptr);
	}
	if (atomic_dec_and_test(&ctx->running))
		complete(&ctx->done);
	return 0;
}

static void concurrent_cross_arena_frees(struct kunit *test)
{
	unsigned int i, threads = max(2U, num_online_cpus());
	struct smp_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct smalloc_stats st;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->pool = smalloc_pool_create_arenas("kunit-smp", 4);
	KUNIT_ASSERT_NOT_NULL(test, ctx->pool);
	spin_lock_init(&ctx->ring_lock);
	init_completion(&ctx->done);
	/* One count for us, so that "done" waits for every started thread. */
	atomic_set(&ctx->running, 1);
	for (i = 0; i < threads; i++) {
		atomic_inc(&ctx->running);
		if (IS_ERR(kthread_run(smp_thread, ctx, "smalloc-kunit/%u", i)))
			atomic_dec(&ctx->running);
	}
	if (atomic_dec_and_test(&ctx->running))
		complete(&ctx->done);
	wait_for_completion(&ctx->done);
	for (i = 0; i < SMP_RING; i++) {
		if (ctx->ring[i].ptr && !shadow_intact(&ctx->ring[i]))
			atomic_inc(&ctx->broken);
		smalloc_free(ctx->ring[i].ptr);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->broken), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->failed), 0);
	smalloc_stats_snapshot(ctx->pool, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, LIVE_OBJECTS), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(st, ALLOCS), sm_stat(st, FREES));
	KUNIT_EXPECT_GT(test, sm_stat(st, ALLOCS), SMP_STEPS / 4);
	smalloc_pool_destroy(ctx->pool);
}

/* ---- hardening: metadata integrity -------------------------------------- */

#define CORRUPT_OBJECTS	SM_UNITS_PER_WORD	/* one status word's worth */

/*
 * A pool of its own, its first status word full of 8-byte objects; no
 * stock, which would carve objects ahead (smalloc_kunit_stock.c has the
 * stock's own case of a page found corrupt).
 */
static struct smalloc_pool *corruptible_pool(struct kunit *test, u8 **objs)
{
	struct smalloc_pool *pool = smalloc_pool_create_arenas("kunit-corrupt", 1);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->unstocked = true;
	for (i = 0; i < CORRUPT_OBJECTS; i++) {
		objs[i] = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], i, 8);
	}
	return pool;
}

/*
 * After a corruption of @objs' page was found: the page is quarantined, a
 * new allocation goes elsewhere, every free of @objs is refused, their
 * bytes stay as they were, and destroying the pool keeps the page.
 */
static void expect_quarantined(struct kunit *test, struct smalloc_pool *pool,
			       u8 **objs)
{
	long refused = atomic_long_read(&pool->refused_frees);
	struct smalloc_stats st;
	struct refusals r;
	unsigned int i;
	u8 *fresh;

	smalloc_stats_snapshot(pool, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, QUARANTINED_PAGES), 1);
	fresh = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fresh);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(fresh), virt_to_page(objs[0]));
	watch_refusals(test, &r);
	for (i = 0; i < CORRUPT_OBJECTS; i++) {
		KUNIT_EXPECT_NULL(test, memchr_inv(objs[i], i, 8));
		smalloc_free(objs[i]);
	}
	unwatch_refusals(&r);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->refused_frees),
			refused + CORRUPT_OBJECTS);
	KUNIT_EXPECT_EQ(test, r.count, CORRUPT_OBJECTS);
	KUNIT_EXPECT_EQ(test, r.kind, SM_MISUSE_QUARANTINED);
	KUNIT_EXPECT_EQ(test, smalloc_size(objs[1]), 0);
	smalloc_free(fresh);		/* other pages work as before */
	smalloc_pool_destroy(pool);	/* warns, keeps the page */
	KUNIT_EXPECT_GT(test, page_ref_count(virt_to_page(objs[0])), 0);
	for (i = 0; i < CORRUPT_OBJECTS; i++)
		kmemleak_not_leak(objs[i]);
}

static u64 *status_of(const void *obj)
{
	return page_address(virt_to_page(obj));
}

/*
 * An overflow from the page before rewrites the first status word: the
 * next free of an object it holds finds out and is refused.
 */
static void integrity_status_word_overwritten(struct kunit *test)
{
	u8 *objs[CORRUPT_OBJECTS];
	struct smalloc_pool *pool = corruptible_pool(test, objs);

	expect_reports_begin(test);
	WRITE_ONCE(status_of(objs[0])[0], 0x4141414141414141ULL);
	smalloc_free(objs[5]);
	expect_quarantined(test, pool, objs);
	expect_reports_end(test);
}

/*
 * Zeroes make 32 live objects look free: the next allocation, which reads
 * their word for its neighbour's code, finds out and goes to another page.
 */
static void integrity_status_word_zeroed(struct kunit *test)
{
	u8 *objs[CORRUPT_OBJECTS], *next;
	struct smalloc_pool *pool = corruptible_pool(test, objs);
	unsigned int i;

	expect_reports_begin(test);
	WRITE_ONCE(status_of(objs[0])[0], 0);
	next = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, next);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(next), virt_to_page(objs[0]));
	for (i = 0; i < CORRUPT_OBJECTS; i++)
		KUNIT_EXPECT_PTR_NE(test, next, objs[i]);
	smalloc_free(next);
	expect_quarantined(test, pool, objs);
	expect_reports_end(test);
}

/*
 * An underflow of the first object hits the page's last status word: the
 * free of the object it describes finds out and is refused.
 */
static void integrity_write_before_first_object(struct kunit *test)
{
	u8 *objs[CORRUPT_OBJECTS];
	struct smalloc_pool *pool = corruptible_pool(test, objs);
	size_t rest = (SM_UNITS - CORRUPT_OBJECTS) * SM_UNIT_SIZE;
	u8 *tail = smalloc_pool_alloc(pool, rest, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tail);
	KUNIT_ASSERT_PTR_EQ(test, tail, objs[0] + CORRUPT_OBJECTS * SM_UNIT_SIZE);
	memset(tail, 0x7e, rest);
	KUNIT_ASSERT_EQ(test, offset_in_page(objs[0]), SM_DATA_OFFSET);
	expect_reports_begin(test);
	/*
	 * An underflow of the first object: its last word is the last status
	 * word (right before the data on 4K pages; on 16K and 64K pages the
	 * aligned data area leaves unused bytes between them).
	 */
	WRITE_ONCE(*(u64 *)(objs[0] - SM_DATA_OFFSET + 8 * (SM_WORDS - 1)),
		   0x4242424242424242ULL);
	smalloc_free(tail);
	KUNIT_EXPECT_NULL(test, memchr_inv(tail, 0x7e, rest));
	expect_quarantined(test, pool, objs);
	expect_reports_end(test);
	kmemleak_not_leak(tail);
}

/*
 * Set the u16 hint at @offset of a corruptible page's info to @value: the
 * next allocation must catch it before it indexes anything.
 */
static void expect_bad_hint_caught(struct kunit *test, size_t offset, u16 value)
{
	u8 *objs[CORRUPT_OBJECTS], *next;
	struct smalloc_pool *pool = corruptible_pool(test, objs);
	void *info = (void *)virt_to_page(objs[0])->index;

	expect_reports_begin(test);
	WRITE_ONCE(*(u16 *)(info + offset), value);
	next = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, next);
	smalloc_free(next);
	expect_quarantined(test, pool, objs);
	expect_reports_end(test);
}

/* A hint out of bounds is caught before it indexes the arena's lists. */
static void integrity_hint_out_of_bounds(struct kunit *test)
{
	expect_bad_hint_caught(test, offsetof(struct smalloc_page_info, run_hint),
			       SM_UNITS + 7);
}

/*
 * A stray write leaves a hint in bounds but wrong, in the class of the
 * page's real longest run while the page is listed higher up: a request
 * the page disappoints must move it out of the classes searched, not spin.
 */
static void integrity_wrong_hint_in_bounds(struct kunit *test)
{
	u8 *big = alloc(test, (SM_UNITS - 70) * SM_UNIT_SIZE), *other;
	struct smalloc_page_info *info;

	info = (struct smalloc_page_info *)virt_to_page(big)->index;
	KUNIT_ASSERT_EQ(test, info->run_hint, SM_UNITS);	/* lazily high */
	WRITE_ONCE(info->run_hint, 71);		/* same class as 70 */
	other = alloc(test, 100 * SM_UNIT_SIZE);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(other), virt_to_page(big));
	KUNIT_EXPECT_EQ(test, info->run_hint, 70);
	smalloc_free(other);
	smalloc_free(big);
}

/*
 * One bit of the last unit of a status word: a live object's unit looks
 * free. The free of that object finds out.
 */
static void integrity_status_word_high_unit_flipped(struct kunit *test)
{
	u8 *objs[CORRUPT_OBJECTS];
	struct smalloc_pool *pool = corruptible_pool(test, objs);
	u64 *status = status_of(objs[0]);

	expect_reports_begin(test);
	WRITE_ONCE(status[0], status[0] ^ BIT_ULL(63));
	smalloc_free(objs[CORRUPT_OBJECTS - 1]);
	expect_quarantined(test, pool, objs);
	expect_reports_end(test);
}

/* A first_free out of bounds is caught as a run hint out of bounds is. */
static void integrity_first_free_out_of_bounds(struct kunit *test)
{
	expect_bad_hint_caught(test, offsetof(struct smalloc_page_info, first_free),
			       SM_UNITS + 1);
}

/* An empty page found corrupt leaves the reserve for the quarantine. */
static void integrity_empty_page_quarantined(struct kunit *test)
{
	struct smalloc_pool *pool;
	struct smalloc_stats st;
	u8 *p, *q;

	if (!SM_RESERVE_PAGES)
		kunit_skip(test, "no reserve with %lu-byte pages", PAGE_SIZE);
	pool = smalloc_pool_create_arenas("kunit-corrupt", 1);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->unstocked = true;			/* p's units must be freed */
	p = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	smalloc_free(p);			/* its page is empty: the reserve */
	smalloc_stats_snapshot(pool, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, RESERVE_PAGES), 1);

	expect_reports_begin(test);
	WRITE_ONCE(status_of(p)[0], 0x4141414141414141ULL);
	q = smalloc_pool_alloc(pool, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(q), virt_to_page(p));
	smalloc_stats_snapshot(pool, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, QUARANTINED_PAGES), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(st, RESERVE_PAGES), 0);
	smalloc_free(q);
	smalloc_stats_snapshot(pool, &st);
	KUNIT_EXPECT_EQ(test, sm_stat(st, RESERVE_PAGES), 1);	/* q's page */
	smalloc_pool_destroy(pool);	/* warns, keeps the quarantined page */
	expect_reports_end(test);
}

/* ---- hardening: the kernel's init policy -------------------------------- */

/*
 * Dirty a slot, free it and get it back: zeroed exactly when init_on_alloc
 * or init_on_free is on, as kmalloc does. scripts/kunit.sh boots with each.
 * But for the first word: a free puts the free mark there (smalloc_stock.c),
 * and units given back, or handed out, lose it, policy or not.
 */
static void init_policy_as_booted(struct kunit *test)
{
	bool on_alloc = want_init_on_alloc(GFP_KERNEL), on_free = want_init_on_free();
	u8 *p = alloc(test, 100), *keep = alloc(test, 8), *q;
	size_t usable = smalloc_size(p);
	void *dirty;

	/* keep holds the page: with no reserve it would go back (64K pages). */
	kunit_info(test, "init_on_alloc=%d init_on_free=%d\n", on_alloc, on_free);
	memset(p, 0xa5, usable);
	smalloc_free(p);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(p));
	if (on_free) {
		/* Free units are poisoned: look at them behind KASAN's back. */
		kasan_disable_current();
		dirty = memchr_inv(p, 0, usable);
		kasan_enable_current();
		KUNIT_EXPECT_NULL(test, dirty);
	}
	q = alloc(test, 100);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_ASSERT_EQ(test, smalloc_size(q), usable);
	KUNIT_EXPECT_EQ(test, *(unsigned long *)q, 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(q + sizeof(long),
					   on_alloc || on_free ? 0 : 0xa5,
					   usable - sizeof(long)));
	smalloc_free(q);
	smalloc_free(keep);

	q = alloc(test, 2 * PAGE_SIZE);
	if (on_alloc)
		KUNIT_EXPECT_NULL(test, memchr_inv(q, 0, 2 * PAGE_SIZE));
	smalloc_free(q);
}

/* The same for a large object's page that comes back from the cache. */
static void init_policy_recycled_large_page(struct kunit *test)
{
	bool on_alloc = want_init_on_alloc(GFP_KERNEL), on_free = want_init_on_free();
	u8 *p = alloc(test, PAGE_SIZE), *q;
	void *dirty;

	memset(p, 0xa5, PAGE_SIZE);
	smalloc_free(p);
	KUNIT_ASSERT_EQ(test, sm_stat(stats(test), LARGE_CACHED_PAGES), 1);
	if (on_free) {
		kasan_disable_current();
		dirty = memchr_inv(p, 0, PAGE_SIZE);
		kasan_enable_current();
		KUNIT_EXPECT_NULL(test, dirty);
	}
	q = alloc(test, PAGE_SIZE);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, on_alloc || on_free ? 0 : 0xa5,
					   PAGE_SIZE));
	/* __GFP_ZERO whatever the policy. */
	memset(q, 0x5a, PAGE_SIZE);
	smalloc_free(q);
	q = smalloc_pool_alloc(pool_of(test), PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0, PAGE_SIZE));
	smalloc_free(q);
}

/* ---- hardening: KASAN --------------------------------------------------- */

#if IS_ENABLED(CONFIG_KASAN_GENERIC) && IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
/*
 * As mm/kasan/kasan_test.c: up to 6.1, a KASAN report marks the
 * "kasan_status" resource of the running case. The layout is
 * mm/kasan/kasan.h's, which declares the compiler's own __asan_* built-ins
 * and cannot be included here cleanly. From 6.2, a report fails any case
 * unless KASAN is told its tests run, and the test watches the console.
 */
struct kunit_kasan_status {
	bool report_found;
	bool sync_fault;
};

static struct kunit_kasan_status kasan_status;
static bool kasan_multishot;

#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
static void kasan_probe_console(void *ignore, const char *buf, size_t len)
{
	if (strnstr(buf, "BUG: KASAN: ", len))
		WRITE_ONCE(kasan_status.report_found, true);
}

static void kasan_watch_reports(struct kunit *test)
{
	kasan_kunit_test_suite_start();
	register_trace_console(kasan_probe_console, NULL);
}

static void kasan_unwatch_reports(void)
{
	unregister_trace_console(kasan_probe_console, NULL);
	tracepoint_synchronize_unregister();
	kasan_kunit_test_suite_end();
}
#else
static struct kunit_resource kasan_resource;

static void kasan_watch_reports(struct kunit *test)
{
	kunit_add_named_resource(test, NULL, NULL, &kasan_resource,
				 "kasan_status", &kasan_status);
}

static void kasan_unwatch_reports(void)
{
}
#endif

static int kasan_case_init(struct kunit *test)
{
	kasan_multishot = kasan_save_enable_multi_shot();
	kasan_status.report_found = false;
	kasan_watch_reports(test);
	expect_reports_begin(test);
	return pool_init(test);
}

static void kasan_case_exit(struct kunit *test)
{
	expect_reports_end(test);
	kasan_unwatch_reports();
	kasan_restore_multi_shot(kasan_multishot);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(kasan_status.report_found));
	pool_exit(test);
}

/* Run @expr and expect a KASAN report from it, or none. */
#define EXPECT_KASAN_REPORT(t, expr, want) do {				\
	WRITE_ONCE(kasan_status.report_found, false);			\
	barrier();							\
	expr;								\
	barrier();							\
	KUNIT_EXPECT_EQ_MSG(t, READ_ONCE(kasan_status.report_found),	\
			    want, "KASAN report for \"" #expr "\"");	\
	WRITE_ONCE(kasan_status.report_found, false);			\
} while (0)

static void kasan_one_byte_past_requested(struct kunit *test)
{
	u8 *p = alloc(test, 13);

	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(p[12], 1), false);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(p[13], 1), true);	/* same unit */
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[15]), true);
	smalloc_free(p);
}

static void kasan_read_after_free(struct kunit *test)
{
	u8 *p = alloc(test, 16);

	OPTIMIZER_HIDE_VAR(p);
	smalloc_free(p);
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[0]), true);
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[15]), true);
}

/* The same for an object the stock keeps: its free poisoned it too. */
static void kasan_read_after_free_stocked(struct kunit *test)
{
	u8 *p;

	pool_of(test)->unstocked = false;	/* before its first object */
	p = alloc(test, 16);
	OPTIMIZER_HIDE_VAR(p);
	smalloc_free(p);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), STOCKED_OBJECTS), 1);
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[0]), true);	/* the mark */
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[15]), true);
	smalloc_pool_drain(pool_of(test));
}

static void kasan_write_into_free_hole(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 8), *c = alloc(test, 8);

	OPTIMIZER_HIDE_VAR(a);
	OPTIMIZER_HIDE_VAR(c);
	smalloc_free(b);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(a[8], 1), true);	/* b's, freed */
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(c[64], 1), true);	/* never used */
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(c[8], 1), true);	/* right after c */
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(c[7], 1), false);
	smalloc_free(a);
	smalloc_free(c);
}

static void kasan_large_object_tail(struct kunit *test)
{
	size_t size = 2 * PAGE_SIZE + 3;
	u8 *p = alloc(test, size);

	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(p[size - 1], 1), false);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(p[size], 1), true);
	smalloc_free(p);
}

/* smalloc_size() hands the whole usable size over, as ksize() does. */
static void kasan_size_grants_usable(struct kunit *test)
{
	u8 *p = alloc(test, 13);

	OPTIMIZER_HIDE_VAR(p);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 16);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(p[15], 1), false);
	smalloc_free(p);
}

/* A large object's page in the cache is poisoned as a freed page is. */
static void kasan_cached_large_page(struct kunit *test)
{
	u8 *p = alloc(test, PAGE_SIZE + 1), *q;

	OPTIMIZER_HIDE_VAR(p);
	smalloc_free(p);
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[0]), true);
	EXPECT_KASAN_REPORT(test, READ_ONCE(p[2 * PAGE_SIZE - 1]), true);
	q = alloc(test, PAGE_SIZE + 8);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(q[PAGE_SIZE + 7], 1), false);
	EXPECT_KASAN_REPORT(test, WRITE_ONCE(q[PAGE_SIZE + 8], 1), true);
	smalloc_free(q);
}

static struct kunit_case smalloc_kasan_cases[] = {
	KUNIT_CASE(kasan_one_byte_past_requested),
	KUNIT_CASE(kasan_read_after_free),
	KUNIT_CASE(kasan_read_after_free_stocked),
	KUNIT_CASE(kasan_write_into_free_hole),
	KUNIT_CASE(kasan_large_object_tail),
	KUNIT_CASE(kasan_size_grants_usable),
	KUNIT_CASE(kasan_cached_large_page),
	{}
};

#else
static void kasan_unavailable(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_KASAN_GENERIC and CONFIG_KASAN_KUNIT_TEST");
}

static struct kunit_case smalloc_kasan_cases[] = {
	KUNIT_CASE(kasan_unavailable),
	{}
};

#define kasan_case_init	pool_init
#define kasan_case_exit	pool_exit
#endif

/* ---- hardening: the debug mode ----------------------------------------- */

/* A one-arena pool in debug mode, whatever smalloc.debug says. */
static int debug_pool_init(struct kunit *test)
{
	int err = pool_init(test);

	return err ?: smalloc_debug_pool_init(pool_of(test), true);
}

static long debug_reports(struct kunit *test)
{
	return atomic_long_read(&pool_of(test)->debug_reports);
}

/* A write KASAN would catch too; here it is the debug mode's to find. */
static void write_behind_kasan(u8 *p, u8 value)
{
	kasan_disable_current();
	WRITE_ONCE(*p, value);
	kasan_enable_current();
}

static char *read_verify(struct kunit *test)
{
	struct seq_file m = { .size = SEQ_BUF_SIZE };

	m.buf = kunit_kzalloc(test, SEQ_BUF_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	smalloc_verify_seq_show(&m, pool_of(test));
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	return m.buf;
}

/* Each object is followed by a redzone unit; its size says nothing of it. */
static void debug_redzone_unit_after_each_object(struct kunit *test)
{
	u8 *a = alloc(test, 16), *b = alloc(test, 13);

	KUNIT_EXPECT_PTR_EQ(test, b, a + 16 + SM_UNIT_SIZE);
	KUNIT_EXPECT_EQ(test, smalloc_size(a), 16);
	KUNIT_EXPECT_EQ(test, smalloc_size(b), 16);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_BYTES), 32);
	smalloc_free(a);
	smalloc_free(b);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 0);
}

static void debug_redzone_overwrite_reported_on_free(struct kunit *test)
{
	u8 *a = alloc(test, 16), *b = alloc(test, 8);

	write_behind_kasan(a + 16, 0);		/* one byte past its units */
	KUNIT_EXPECT_EQ(test, debug_reports(test), 0);
	smalloc_free(a);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 1);	/* freed still */
	smalloc_free(b);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 1);
}

static void debug_write_after_free_reported_on_reuse(struct kunit *test)
{
	u8 *a = alloc(test, 24), *keep = alloc(test, 8), *b;

	smalloc_free(a);	/* keep holds the page even without a reserve */
	write_behind_kasan(a + 5, 0x11);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 0);
	b = alloc(test, 24);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 1);
	smalloc_free(b);
	smalloc_free(keep);
}

static void debug_verify_names_each_problem(struct kunit *test)
{
	u8 *a = alloc(test, 16), *b = alloc(test, 40), *free_hole;
	struct smalloc_page_info *info;
	char *text;

	text = read_verify(test);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "1 pages checked, 0 problems\n"));

	smalloc_free(a);
	free_hole = a + 3;
	write_behind_kasan(free_hole, 0);		/* a free unit */
	write_behind_kasan(b + 40, 0);			/* b's redzone */
	info = (struct smalloc_page_info *)virt_to_page(b)->index;
	WRITE_ONCE(info->nr_free, info->nr_free - 1);
	text = read_verify(test);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "unit 0: free unit written at offset 3\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "(40 bytes): redzone overwritten\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "nr_free says"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "1 pages checked, 3 problems\n"));

	/* Mend what the test broke, so that the page can go. */
	WRITE_ONCE(info->nr_free, info->nr_free + 1);
	write_behind_kasan(free_hole, 0x6b);
	write_behind_kasan(b + 40, 0xbb);
	smalloc_free(b);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 0);
}

/* verify checks every status word against its check, the last one too. */
static void debug_verify_checks_every_status_word(struct kunit *test)
{
	u8 *a = alloc(test, 16);
	u64 *status = page_address(virt_to_page(a));
	u64 saved = status[SM_WORDS - 1];

	WRITE_ONCE(status[SM_WORDS - 1], saved | 1);	/* a free unit looks used */
	KUNIT_EXPECT_NOT_NULL(test,
			      strstr(read_verify(test),
				     "status array does not match its checks\n"));
	WRITE_ONCE(status[SM_WORDS - 1], saved);
	KUNIT_EXPECT_NOT_NULL(test,
			      strstr(read_verify(test),
				     "1 pages checked, 0 problems\n"));
	smalloc_free(a);
	KUNIT_EXPECT_EQ(test, debug_reports(test), 0);
}

/* ---- the kmalloc family ------------------------------------------------- */

/* Power-of-two sizes start on their own boundary, as kmalloc()'s do. */
static void family_power_of_two_sizes_aligned(struct kunit *test)
{
	u8 *odd = alloc(test, 8), *after, *p;
	size_t size;

	for (size = 16; size <= PAGE_SIZE / 2; size *= 2) {
		p = alloc(test, size);
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)p % size, 0,
				    "size %zu", size);
		if (size <= SM_MAX_SMALL)
			expect_code_rule(test, p, size);
		smalloc_free(p);
	}
	p = alloc(test, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % (2 * PAGE_SIZE), 0);
	smalloc_free(p);
	/* Any other size is packed right after the last object. */
	after = alloc(test, 24);
	KUNIT_EXPECT_PTR_EQ(test, after, odd + SM_UNIT_SIZE);
	smalloc_free(after);
	smalloc_free(odd);
}

static void family_aligned_alloc(struct kunit *test)
{
	u8 *p = smalloc_alloc_aligned(40, 256, GFP_KERNEL), *big;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % 256, 0);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 40);
	big = smalloc_alloc_aligned(100, 4 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, (unsigned long)big % (4 * PAGE_SIZE), 0);
	smalloc_free(big);
	smalloc_free(p);
	expect_reports_begin(test);
	KUNIT_EXPECT_NULL(test, smalloc_alloc_aligned(40, 48, GFP_KERNEL));
	expect_reports_end(test);
}

/* The tail units go back; the contents and the code rule stay. */
static void family_realloc_shrinks_in_place(struct kunit *test)
{
	u8 *p = alloc(test, 100), *q, *tail;
	u64 live = sm_stat(stats(test), LIVE_BYTES);

	memset(p, 0x5a, 100);
	q = smalloc_realloc(p, 40, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0x5a, 40));
	KUNIT_EXPECT_EQ(test, smalloc_size(q), 40);
	expect_code_rule(test, q, 40);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_BYTES), live - 64);
	tail = alloc(test, 24);
	KUNIT_EXPECT_PTR_EQ(test, tail, p + 40);
	smalloc_free(tail);
	smalloc_free(q);
}

/*
 * Growing into the free units after an object, whose next neighbour has
 * the object's own code: the grown object takes another one.
 */
static void family_realloc_grows_in_place(struct kunit *test)
{
	u8 *a = alloc(test, 8), *b = alloc(test, 8), *c = alloc(test, 8), *q;

	KUNIT_ASSERT_PTR_EQ(test, c, a + 2 * SM_UNIT_SIZE);
	smalloc_free(b);
	memset(a, 0x77, 8);
	q = smalloc_realloc(a, 16, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, q, a);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0x77, 8));
	KUNIT_EXPECT_EQ(test, smalloc_size(q), 16);
	expect_code_rule(test, q, 16);
	expect_code_rule(test, c, 8);
	smalloc_free(q);
	KUNIT_EXPECT_EQ(test, smalloc_size(c), 8);
	smalloc_free(c);
}

static void family_realloc_moves_when_blocked(struct kunit *test)
{
	u8 *a = alloc(test, 24), *b = alloc(test, 8), *q;
	size_t i;

	for (i = 0; i < 24; i++)
		a[i] = i;
	q = smalloc_realloc(a, 200, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, a);
	for (i = 0; i < 24; i++)
		KUNIT_EXPECT_EQ(test, q[i], i);
	KUNIT_EXPECT_NULL(test, memchr_inv(q + 24, 0, 200 - 24));
	expect_code_rule(test, b, 8);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 2);
	/* a's units are free again: the next 24 bytes go there. */
	a = alloc(test, 24);
	KUNIT_EXPECT_PTR_EQ(test, a, b - 24);
	smalloc_free(a);
	smalloc_free(b);
	smalloc_free(q);
}

/* Growth in place is zeroed under __GFP_ZERO; a large object stays put. */
static void family_realloc_zeroes_and_keeps_large(struct kunit *test)
{
	u8 *p = alloc(test, 8), *q, *big, *odd;

	memset(p, 0xff, 8);
	q = smalloc_realloc(p, 64, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0xff, 8));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + 8, 0, 56));
	smalloc_free(q);

	/* A shrink stays, even to a power of two it is not aligned to. */
	p = alloc(test, 8);
	odd = alloc(test, 100);
	KUNIT_ASSERT_NE(test, (unsigned long)odd % 64, 0);
	KUNIT_EXPECT_PTR_EQ(test, smalloc_realloc(odd, 64, GFP_KERNEL), odd);
	KUNIT_EXPECT_EQ(test, smalloc_size(odd), 64);
	smalloc_free(odd);
	smalloc_free(p);

	big = alloc(test, PAGE_SIZE + 100);
	KUNIT_EXPECT_PTR_EQ(test, smalloc_realloc(big, 2 * PAGE_SIZE, GFP_KERNEL), big);
	KUNIT_EXPECT_PTR_EQ(test, smalloc_realloc(big, 64, GFP_KERNEL), big);
	smalloc_free(big);
}

static void family_realloc_null_zero_and_bad(struct kunit *test)
{
	struct smalloc_stats before, after;
	u8 *p, *a = alloc(test, 16);
	struct refusals r;

	smalloc_stats_snapshot(smalloc_default_pool, &before);
	p = smalloc_realloc(NULL, 32, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 32);
	KUNIT_EXPECT_PTR_EQ(test, smalloc_realloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	smalloc_stats_snapshot(smalloc_default_pool, &after);
	KUNIT_EXPECT_EQ(test, sm_stat(after, LIVE_OBJECTS),
			sm_stat(before, LIVE_OBJECTS));

	expect_reports_begin(test);
	watch_refusals(test, &r);
	KUNIT_EXPECT_NULL(test, smalloc_realloc(a + 8, 64, GFP_KERNEL));
	unwatch_refusals(&r);
	expect_reports_end(test);
	KUNIT_EXPECT_EQ(test, r.count, 1);
	KUNIT_EXPECT_EQ(test, r.kind, SM_MISUSE_INTERIOR);
	expect_code_rule(test, a, 16);
	smalloc_free(a);
}

static void family_arrays_and_copies(struct kunit *test)
{
	static const char text[] = "status arrays";
	u64 *z = smalloc_calloc(10, sizeof(u64), GFP_KERNEL);
	char *s = smalloc_strdup(text, GFP_KERNEL);
	char *n = smalloc_strndup(text, 6, GFP_KERNEL);
	char *f = smalloc_asprintf(GFP_KERNEL, "%s %d", "unit", 42);
	u8 *m = smalloc_memdup(text, 4, GFP_KERNEL);

	KUNIT_EXPECT_NULL(test, smalloc_alloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, smalloc_calloc(4, SIZE_MAX / 2, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, smalloc_strdup(NULL, GFP_KERNEL));
	KUNIT_ASSERT_TRUE(test, z && s && n && f && m);
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, 10 * sizeof(u64)));
	KUNIT_EXPECT_STREQ(test, s, text);
	KUNIT_EXPECT_STREQ(test, n, "status");
	KUNIT_EXPECT_STREQ(test, f, "unit 42");
	KUNIT_EXPECT_EQ(test, memcmp(m, text, 4), 0);
	KUNIT_EXPECT_EQ(test, smalloc_size(s), round_up(sizeof(text), SM_UNIT_SIZE));
	smalloc_free(z);
	smalloc_free(s);
	smalloc_free(n);
	smalloc_free(f);
	smalloc_free(m);
}

/* Read freed memory without KASAN's leave: a test of what free left. */
static bool freed_bytes_are_zero(const void *p, size_t size)
{
	const unsigned long *w = p;
	size_t i;

	for (i = 0; i < size / sizeof(*w); i++)
		if (READ_ONCE_NOCHECK(w[i]))
			return false;
	return true;
}

static void family_free_sensitive_clears(struct kunit *test)
{
	u8 *p = alloc(test, 64), *witness = alloc(test, 8);

	memset(p, 0xaa, 64);
	smalloc_free_sensitive(p);
	/* The free mark took the first word, and left with the units. */
	KUNIT_EXPECT_TRUE(test, freed_bytes_are_zero(p, 64));
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 1);
	expect_reports_begin(test);
	smalloc_free_sensitive(p);	/* refused as a double free */
	expect_reports_end(test);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool_of(test)->refused_frees), 1);
	expect_code_rule(test, witness, 8);
	smalloc_free(witness);
}

struct rcu_obj {
	u8 before[40];
	struct rcu_head rcu;
	u8 after[24];
};

struct rcu_big {
	u8 before[PAGE_SIZE + 200];
	struct rcu_head rcu;
};

/* The member's address leads back to the object's start. */
static void family_free_rcu_finds_start(struct kunit *test)
{
	struct smalloc_pool *pool = pool_of(test);
	struct rcu_obj *o = smalloc_pool_alloc(pool, sizeof(*o), GFP_KERNEL);
	struct rcu_big *b = smalloc_pool_alloc(pool, sizeof(*b), GFP_KERNEL);
	u8 *witness = alloc(test, 8);
	struct refusals r;
	struct smalloc_page_copy *c = new_copy(test);
	unsigned int u;

	KUNIT_ASSERT_TRUE(test, o && b);
	smalloc_free_rcu(o, rcu);
	smalloc_free_rcu(b, rcu);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LIVE_OBJECTS), 1);
	KUNIT_EXPECT_EQ(test, sm_stat(stats(test), LARGE_ALLOCS), 0);
	snapshot(test, witness, c);
	for (u = unit_of(o); u < unit_of(o) + sizeof(*o) / SM_UNIT_SIZE; u++)
		KUNIT_EXPECT_EQ(test, smalloc_unit_code(&c->sp, u), SM_FREE);

	/* A head in free units is refused at once, not in the callback. */
	expect_reports_begin(test);
	watch_refusals(test, &r);
	smalloc_call_rcu((struct rcu_head *)(witness + 3 * SM_UNIT_SIZE));
	unwatch_refusals(&r);
	expect_reports_end(test);
	KUNIT_EXPECT_EQ(test, r.count, 1);
	KUNIT_EXPECT_EQ(test, r.kind, SM_MISUSE_NOT_ALLOCATED);
	smalloc_free(witness);
}

/* What smalloc_kmalloc.h maps kfree() and friends to takes either's objects. */
static void family_kmalloc_compat_takes_either(struct kunit *test)
{
	struct rcu_obj *ko = kmalloc(sizeof(*ko), GFP_KERNEL);
	u8 *k = kmalloc(40, GFP_KERNEL), *s = smalloc_alloc(40, GFP_KERNEL);
	void *v = smalloc_kvmalloc_node(8 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	/* Beyond what smalloc serves: vmalloc() then. */
	void *huge = smalloc_kvmalloc_node(KMALLOC_MAX_SIZE + PAGE_SIZE,
					   GFP_KERNEL, NUMA_NO_NODE);
	void *vm = vmalloc(PAGE_SIZE);
	struct refusals r;

	KUNIT_ASSERT_TRUE(test, ko && k && s && v && huge && vm);
	KUNIT_EXPECT_TRUE(test, smalloc_owns(v));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(huge));
	smalloc_kvfree(huge);
	watch_refusals(test, &r);
	KUNIT_EXPECT_TRUE(test, smalloc_owns(s));
	KUNIT_EXPECT_FALSE(test, smalloc_owns(k));
	KUNIT_EXPECT_EQ(test, smalloc_ksize(k), ksize(k));
	KUNIT_EXPECT_EQ(test, smalloc_ksize(s), 40);
	memset(k, 0x3c, 40);
	k = smalloc_krealloc(k, 4000, GFP_KERNEL);	/* moves to smalloc */
	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_EXPECT_TRUE(test, smalloc_owns(k));
	KUNIT_EXPECT_NULL(test, memchr_inv(k, 0x3c, 40));
	smalloc_kfree(k);
	smalloc_kfree(s);
	smalloc_kfree_rcu(&ko->rcu, offsetof(struct rcu_obj, rcu));
	smalloc_kvfree(v);
	smalloc_kvfree(vm);
	smalloc_free_rcu((struct rcu_obj *)NULL, rcu);	/* nothing, as kfree_rcu() */
	rcu_barrier();
	unwatch_refusals(&r);
	KUNIT_EXPECT_EQ(test, r.count, 0);
}

/*
 * A page that is neither smalloc's nor a slab's, as one smalloc gave back
 * is after a double free: refused, where kfree() would free the page.
 */
static void family_kmalloc_compat_refuses_other_pages(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u8 *big = smalloc_alloc(2 * PAGE_SIZE, GFP_KERNEL);
	struct refusals r;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, big);
	expect_reports_begin(test);
	watch_refusals(test, &r);
	smalloc_kfree(page_address(page));
	KUNIT_EXPECT_EQ(test, smalloc_ksize(page_address(page) + 64), 0);
	/* A large object's tail page is smalloc's: refused, not kfree()d. */
	smalloc_kfree(big + PAGE_SIZE);
	unwatch_refusals(&r);
	expect_reports_end(test);
	KUNIT_EXPECT_EQ(test, r.count, 3);
	KUNIT_EXPECT_EQ(test, r.kind, SM_MISUSE_FOREIGN);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	KUNIT_EXPECT_EQ(test, smalloc_size(big), 2 * PAGE_SIZE);
	__free_page(page);
	smalloc_free(big);
}

/* Zone modifiers get pages of that zone, to the object alone. */
/*
 * ZONE_DMA, the lowest 16 MiB, which no other request gets pages from
 * while higher zones have some (ZONE_DMA32 would be all of a small guest).
 */
static void family_zone_modifiers_honoured(struct kunit *test)
{
#ifdef CONFIG_ZONE_DMA
	u8 *p = smalloc_alloc(64, GFP_KERNEL | GFP_DMA);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, page_zonenum(virt_to_page(p)), ZONE_DMA);
	KUNIT_EXPECT_EQ(test, offset_in_page(p), 0);
	smalloc_free(p);
#else
	kunit_skip(test, "no ZONE_DMA in this kernel");
#endif
}

/* Large objects come from the node asked for; small ones from the CPU's. */
static void family_node_for_large_objects(struct kunit *test)
{
	int node = numa_node_id();
	u8 *big = smalloc_alloc_node(2 * PAGE_SIZE, GFP_KERNEL, node);
	u8 *small = smalloc_alloc_node(64, GFP_KERNEL, node);

	KUNIT_ASSERT_TRUE(test, big && small);
	KUNIT_EXPECT_EQ(test, page_to_nid(virt_to_page(big)), node);
	KUNIT_EXPECT_EQ(test, smalloc_size(small), 64);
	smalloc_free(big);
	smalloc_free(small);
}

/* The misuse cases' WARNs are expected. */
static int misuse_init(struct kunit *test)
{
	expect_reports_begin(test);
	return pool_init(test);
}

static void misuse_exit(struct kunit *test)
{
	pool_exit(test);
	expect_reports_end(test);
}

static struct kunit_case smalloc_layout_cases[] = {
	KUNIT_CASE(layout_status_array_at_page_start),
	KUNIT_CASE(codes_every_neighbour_pattern),
	KUNIT_CASE(codes_third_code_when_both_taken),
	{}
};

static struct kunit_case smalloc_placement_cases[] = {
	KUNIT_CASE(placement_first_fit_in_order),
	KUNIT_CASE(placement_reuses_holes),
	KUNIT_CASE(placement_exact_fill_then_one_unit_more),
	KUNIT_CASE(placement_last_word_found_from_first),
	KUNIT_CASE(placement_largest_small_object),
	KUNIT_CASE(pages_grow_and_are_released),
	KUNIT_CASE(pages_hints_corrected_then_smallest_fit),
	KUNIT_CASE(pages_hint_raised_to_merged_run),
	KUNIT_CASE(pages_hint_corrected_to_longest_run),
	{}
};

static struct kunit_case smalloc_api_cases[] = {
	KUNIT_CASE(large_objects_come_from_page_allocator),
	KUNIT_CASE(sizes_zero_and_impossible),
	KUNIT_CASE(sizes_round_up_to_units),
	KUNIT_CASE(flags_gfp_zero),
	KUNIT_CASE(flags_atomic_from_softirq),
	KUNIT_CASE(api_uses_default_pool),
	{}
};

static struct kunit_case smalloc_large_cases[] = {
	KUNIT_CASE(large_freed_page_is_reused),
	KUNIT_CASE(large_cache_kept_by_order),
	KUNIT_CASE(large_cache_is_bounded),
	KUNIT_CASE(large_cache_skips_accounted_requests),
	KUNIT_CASE(large_cache_skips_dma_zone),
	{}
};

static struct kunit_case smalloc_misuse_cases[] = {
	KUNIT_CASE(misuse_double_free),
	KUNIT_CASE(misuse_interior_pointers),
	KUNIT_CASE(misuse_large_pointers),
	KUNIT_CASE(misuse_foreign_pointers),
	KUNIT_CASE(misuse_double_free_of_cached_large),
	{}
};

static struct kunit_case smalloc_pool_cases[] = {
	KUNIT_CASE(pools_keep_objects_apart),
	KUNIT_CASE(pools_destroy_with_live_objects),
	{}
};

static struct kunit_case smalloc_debugfs_cases[] = {
	KUNIT_CASE(debugfs_status_shows_units),
	KUNIT_CASE(debugfs_status_lists_every_page),
	KUNIT_CASE(debugfs_stats_counts),
	{}
};

static struct kunit_case smalloc_hardening_cases[] = {
	KUNIT_CASE(integrity_status_word_overwritten),
	KUNIT_CASE(integrity_status_word_zeroed),
	KUNIT_CASE(integrity_write_before_first_object),
	KUNIT_CASE(integrity_hint_out_of_bounds),
	KUNIT_CASE(integrity_wrong_hint_in_bounds),
	KUNIT_CASE(integrity_status_word_high_unit_flipped),
	KUNIT_CASE(integrity_first_free_out_of_bounds),
	KUNIT_CASE(integrity_empty_page_quarantined),
	KUNIT_CASE(init_policy_as_booted),
	KUNIT_CASE(init_policy_recycled_large_page),
	{}
};

static struct kunit_case smalloc_debug_cases[] = {
	KUNIT_CASE(debug_redzone_unit_after_each_object),
	KUNIT_CASE(debug_redzone_overwrite_reported_on_free),
	KUNIT_CASE(debug_write_after_free_reported_on_reuse),
	KUNIT_CASE(debug_verify_names_each_problem),
	KUNIT_CASE(debug_verify_checks_every_status_word),
	{}
};

static struct kunit_case smalloc_family_cases[] = {
	KUNIT_CASE(family_power_of_two_sizes_aligned),
	KUNIT_CASE(family_aligned_alloc),
	KUNIT_CASE(family_realloc_shrinks_in_place),
	KUNIT_CASE(family_realloc_grows_in_place),
	KUNIT_CASE(family_realloc_moves_when_blocked),
	KUNIT_CASE(family_realloc_zeroes_and_keeps_large),
	KUNIT_CASE(family_realloc_null_zero_and_bad),
	KUNIT_CASE(family_arrays_and_copies),
	KUNIT_CASE(family_free_sensitive_clears),
	KUNIT_CASE(family_free_rcu_finds_start),
	KUNIT_CASE(family_kmalloc_compat_takes_either),
	KUNIT_CASE(family_kmalloc_compat_refuses_other_pages),
	KUNIT_CASE(family_zone_modifiers_honoured),
	KUNIT_CASE(family_node_for_large_objects),
	{}
};

static struct kunit_case smalloc_random_cases[] = {
	KUNIT_CASE(random_against_shadow),
	KUNIT_CASE(concurrent_cross_arena_frees),
	{}
};

#define SMALLOC_SUITE_WITH(_name, _cases, _init, _exit)	\
	static struct kunit_suite _name = {		\
		.name = #_name,				\
		.init = _init,				\
		.exit = _exit,				\
		.test_cases = _cases,			\
	}
#define SMALLOC_SUITE(_name, _cases)			\
	SMALLOC_SUITE_WITH(_name, _cases, pool_init, pool_exit)

SMALLOC_SUITE(smalloc_layout, smalloc_layout_cases);
SMALLOC_SUITE(smalloc_placement, smalloc_placement_cases);
SMALLOC_SUITE(smalloc_api, smalloc_api_cases);
SMALLOC_SUITE(smalloc_large, smalloc_large_cases);
SMALLOC_SUITE_WITH(smalloc_misuse, smalloc_misuse_cases, misuse_init,
		   misuse_exit);
SMALLOC_SUITE(smalloc_pools, smalloc_pool_cases);
SMALLOC_SUITE(smalloc_debugfs, smalloc_debugfs_cases);
SMALLOC_SUITE(smalloc_hardening, smalloc_hardening_cases);
SMALLOC_SUITE_WITH(smalloc_kasan, smalloc_kasan_cases, kasan_case_init,
		   kasan_case_exit);
SMALLOC_SUITE_WITH(smalloc_debug, smalloc_debug_cases, debug_pool_init,
		   pool_exit);
SMALLOC_SUITE(smalloc_family, smalloc_family_cases);
SMALLOC_SUITE(smalloc_random, smalloc_random_cases);

kunit_test_suites(&smalloc_layout, &smalloc_placement, &smalloc_api,
		  &smalloc_large, &smalloc_misuse, &smalloc_pools, &smalloc_debugfs,
		  &smalloc_hardening, &smalloc_kasan, &smalloc_debug,
		  &smalloc_family, &smalloc_random);

MODULE_DESCRIPTION("KUnit tests for smalloc");
MODULE_LICENSE("Dual MIT/GPL");
