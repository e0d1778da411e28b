// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit cases of the per-CPU stock (smalloc_stock.c): a freed small object
 * stays USED in the status array, comes back for the next allocation of as
 * many units on this CPU, and is still refused when freed, sized or
 * resized again; the stock is bounded, and a drain gives its units back.
 *
 * Each case has a pool of one arena with its stock on, and runs pinned to
 * one CPU, so that its frees and allocations meet in the same stock.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include "smalloc_internal.h"
#include "smalloc_status.h"

struct stock_ctx {
	struct smalloc_pool *pool;
};

static struct smalloc_pool *pool_of(struct kunit *test)
{
	return ((struct stock_ctx *)test->priv)->pool;
}

static void *alloc(struct kunit *test, size_t size)
{
	void *p = smalloc_pool_alloc(pool_of(test), size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static u64 stat_of(struct kunit *test, enum smalloc_stat id)
{
	struct smalloc_stats st;

	memset(&st, 0, sizeof(st));
	smalloc_stats_snapshot(pool_of(test), &st);
	return st.v[id];
}

static unsigned int code_of(const void *p)
{
	return smalloc_unit_code(page_address(virt_to_page(p)), sm_unit_of(p));
}

static long refused(struct kunit *test)
{
	return atomic_long_read(&pool_of(test)->refused_frees);
}

static int stock_init(struct kunit *test)
{
	struct stock_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->pool = smalloc_pool_create_arenas("kunit-stock", 1);
	if (!ctx->pool)
		return -ENOMEM;
	test->priv = ctx;
	/* Each case has a thread of its own: pin it where it runs. */
	set_cpus_allowed_ptr(current, cpumask_of(raw_smp_processor_id()));
	return 0;
}

static void stock_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 0);
	smalloc_pool_destroy(pool_of(test));
}

/* A freed object keeps its code, counts as stocked, and comes back. */
static void stock_keeps_and_reuses(struct kunit *test)
{
	u8 *p = alloc(test, 40), *q;
	unsigned int code = code_of(p);

	smalloc_free(p);
	KUNIT_EXPECT_EQ(test, code_of(p), code);	/* USED in the array */
	KUNIT_EXPECT_TRUE(test, smalloc_claimed(p));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_FREES), 1);

	q = alloc(test, 33);				/* five units too */
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(q));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 1);
	KUNIT_EXPECT_EQ(test, smalloc_size(q), 40);
	smalloc_free(q);
}

/* Only as many units, on the boundary asked for, come from the stock. */
static void stock_matches_units_and_alignment(struct kunit *test)
{
	u8 *pad = alloc(test, 8), *p = alloc(test, 12), *q, *r;

	/* Two units, 8 bytes past a 128-byte boundary: not 16-aligned. */
	KUNIT_ASSERT_PTR_EQ(test, p, pad + 8);
	smalloc_free(p);
	q = alloc(test, 24);			/* three units: not p */
	KUNIT_EXPECT_PTR_NE(test, q, p);
	r = alloc(test, 16);			/* two, but 16-aligned: not p */
	KUNIT_EXPECT_PTR_NE(test, r, p);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)r, 16));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 1);
	KUNIT_EXPECT_PTR_EQ(test, alloc(test, 9), p);	/* two units: p */
	smalloc_free(p);
	smalloc_free(r);
	smalloc_free(q);
	smalloc_free(pad);
}

/* A little more than asked for will do, as a slab's size class would. */
static void stock_slack_of_an_eighth(struct kunit *test)
{
	u8 *p = alloc(test, 144), *q, *r;		/* 18 units */

	smalloc_free(p);
	q = alloc(test, 120);		/* 15 units: 18 is more than 15 + 1 */
	KUNIT_EXPECT_PTR_NE(test, q, p);
	r = alloc(test, 136);		/* 17 units: up to 17 + 2 will do */
	KUNIT_EXPECT_PTR_EQ(test, r, p);
	KUNIT_EXPECT_EQ(test, smalloc_size(r), 144);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_BYTES_HANDED_OUT),
			144 + 120 + 144);
	smalloc_free(q);
	smalloc_free(r);
}

/*
 * Two misses in a row for one size: the second, on the locked path, carves
 * SM_STOCK_REFILL more objects of that size into the stock, claimed (never
 * handed out), so the next allocations take no lock.
 */
static void stock_refills_after_two_misses(struct kunit *test)
{
	u8 *a = alloc(test, 24), *b, *c;

	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	b = alloc(test, 24);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS),
			SM_STOCK_REFILL);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 2);
	c = alloc(test, 24);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS),
			SM_STOCK_REFILL - 1);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(c));
	KUNIT_EXPECT_EQ(test, smalloc_size(c), 24);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_ALLOCS), 3);
	smalloc_free(a);
	smalloc_free(b);
	smalloc_free(c);
	smalloc_pool_drain(pool_of(test));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_RESERVE_PAGES),
			stat_of(test, SM_STAT_PAGES));
}

/* Freed again, sized or resized while stocked: refused, nothing changes. */
static void stock_refuses_double_free(struct kunit *test)
{
	u8 *p = alloc(test, 64), *q, *r;

	smalloc_free(p);
	kunit_info(test, "smalloc: expected reports begin\n");
	smalloc_free(p);
	KUNIT_EXPECT_EQ(test, refused(test), 1);
	smalloc_free_sensitive(p);
	KUNIT_EXPECT_EQ(test, refused(test), 2);
	KUNIT_EXPECT_EQ(test, smalloc_size(p), 0);
	KUNIT_EXPECT_NULL(test, smalloc_realloc(p, 128, GFP_KERNEL));
	kunit_info(test, "smalloc: expected reports end\n");
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_FREES), 1);

	/* Handed out once only. */
	q = alloc(test, 64);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	r = alloc(test, 64);
	KUNIT_EXPECT_PTR_NE(test, r, p);
	smalloc_free(q);
	smalloc_free(r);
}

/* No object's start, no stock: refused, as the locked path refuses it. */
static void stock_refuses_interior_pointers(struct kunit *test)
{
	u8 *p = alloc(test, 64);

	kunit_info(test, "smalloc: expected reports begin\n");
	smalloc_free(p + 8);				/* inside it */
	smalloc_free(p + 4);				/* not on a unit */
	smalloc_free(page_address(virt_to_page(p)));	/* its status array */
	kunit_info(test, "smalloc: expected reports end\n");
	KUNIT_EXPECT_EQ(test, refused(test), 3);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(p));
	smalloc_free(p);
}

/* Objects past SM_STOCK_MAX_UNITS units are freed into their page. */
static void stock_skips_big_objects(struct kunit *test)
{
	size_t big = (SM_STOCK_MAX_UNITS + 1) * SM_UNIT_SIZE;
	u8 *keep = alloc(test, 8), *p = alloc(test, big);

	smalloc_free(p);
	KUNIT_EXPECT_EQ(test, code_of(p), SM_FREE);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	smalloc_free(keep);
}

/* A full stock gives its older half back to the pages. */
static void stock_is_bounded(struct kunit *test)
{
	u8 *objs[SM_STOCK_SLOTS + 1];
	unsigned int i;

	for (i = 0; i <= SM_STOCK_SLOTS; i++)
		objs[i] = alloc(test, 8);
	smalloc_pool_drain(pool_of(test));	/* what refills carved ahead */
	for (i = 0; i <= SM_STOCK_SLOTS; i++)
		smalloc_free(objs[i]);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS),
			SM_STOCK_SLOTS / 2 + 1);
	for (i = 0; i < SM_STOCK_SLOTS / 2; i++)
		KUNIT_EXPECT_EQ(test, code_of(objs[i]), SM_FREE);
	for (; i <= SM_STOCK_SLOTS; i++)
		KUNIT_EXPECT_NE(test, code_of(objs[i]), SM_FREE);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 0);

	/* And in units: a fifth object of a quarter less one passes them. */
	for (i = 0; i < 5; i++)
		objs[i] = alloc(test, (SM_STOCK_UNITS / 4 - 1) * SM_UNIT_SIZE);
	smalloc_pool_drain(pool_of(test));
	for (i = 0; i < 4; i++)
		smalloc_free(objs[i]);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 4);
	smalloc_free(objs[4]);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 3);
	KUNIT_EXPECT_EQ(test, code_of(objs[0]), SM_FREE);
	KUNIT_EXPECT_EQ(test, code_of(objs[1]), SM_FREE);
	KUNIT_EXPECT_NE(test, code_of(objs[2]), SM_FREE);
}

/*
 * A drain frees every stocked object's units, marks cleared; with the last
 * live object gone, the page empties.
 */
static void stock_drain_frees_units(struct kunit *test)
{
	u8 *p = alloc(test, 8), *q = alloc(test, 100), *keep = alloc(test, 8);

	smalloc_free(p);
	smalloc_free(q);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 2);
	smalloc_pool_drain(pool_of(test));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	/* keep holds the page: it cannot be given back under us */
	KUNIT_EXPECT_EQ(test, code_of(p), SM_FREE);
	KUNIT_EXPECT_EQ(test, code_of(q), SM_FREE);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(p));
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(q));
	smalloc_free(keep);
	smalloc_pool_drain(pool_of(test));
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_RESERVE_PAGES),
			stat_of(test, SM_STAT_PAGES));
}

/*
 * Units given back keep no free mark: an object later laid over them, at
 * another start, finds no mark of an old one inside it.
 */
static void stock_marks_gone_from_free_units(struct kunit *test)
{
	u8 *p = alloc(test, 16), *q = alloc(test, 16), *keep = alloc(test, 8);
	u8 *r;

	KUNIT_ASSERT_PTR_EQ(test, q, p + 16);
	smalloc_free(p);
	smalloc_free(q);
	smalloc_pool_drain(pool_of(test));
	r = alloc(test, 32);
	KUNIT_ASSERT_PTR_EQ(test, r, p);
	KUNIT_EXPECT_FALSE(test, smalloc_claimed(r + 16));
	smalloc_free(r);
	smalloc_free(keep);
}

/*
 * The stock's clearing: smalloc_free_sensitive() clears all but the first
 * word, where the mark is; the init policy holds for an object from the
 * stock as for a fresh one (scripts/kunit.sh boots with each policy).
 */
static void stock_clears_as_the_policy_says(struct kunit *test)
{
	bool zeroed = want_init_on_alloc(GFP_KERNEL) || want_init_on_free();
	u8 *p = alloc(test, 64), *q;
	void *dirty;

	memset(p, 0xaa, 64);
	smalloc_free_sensitive(p);
	KUNIT_EXPECT_TRUE(test, smalloc_claimed(p));
	kasan_disable_current();	/* stocked units are poisoned */
	dirty = memchr_inv(p + sizeof(long), 0, 64 - sizeof(long));
	kasan_enable_current();
	KUNIT_EXPECT_NULL(test, dirty);

	q = alloc(test, 64);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	memset(q, 0xa5, 64);
	smalloc_free(q);
	q = alloc(test, 64);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, *(unsigned long *)q, 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(q + sizeof(long), zeroed ? 0 : 0xa5,
					   64 - sizeof(long)));
	smalloc_free(q);
}

/*
 * An interrupt that finds this CPU inside its stock (the busy count up)
 * takes the locked path, both ways: here the count is raised by hand.
 */
static void stock_busy_takes_locked_path(struct kunit *test)
{
	struct smalloc_pool *pool = pool_of(test);
	u8 *keep = alloc(test, 8), *p = alloc(test, 40), *q;

	preempt_disable();
	this_cpu_inc(pool->stock->busy);
	smalloc_free(p);
	this_cpu_dec(pool->stock->busy);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, code_of(p), SM_FREE);	/* freed into the page */
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_LIVE_OBJECTS), 1);

	p = alloc(test, 40);
	smalloc_pool_drain(pool_of(test));	/* a refill's objects */
	smalloc_free(p);				/* stocked */
	preempt_disable();
	this_cpu_inc(pool->stock->busy);
	q = smalloc_pool_alloc(pool, 40, GFP_ATOMIC);
	this_cpu_dec(pool->stock->busy);
	preempt_enable();
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);		/* from the lists */
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_STOCKED_OBJECTS), 1);
	smalloc_free(q);
	smalloc_free(keep);
}

/*
 * A stocked object in a page found corrupt later is never handed out: the
 * quarantine keeps it, as it keeps the page's live objects.
 */
static void stock_quarantined_page_keeps_stocked(struct kunit *test)
{
	u8 *p = alloc(test, 16), *witness = alloc(test, 8), *q;
	u64 *status = page_address(virt_to_page(p));

	smalloc_free(p);
	kunit_info(test, "smalloc: expected reports begin\n");
	WRITE_ONCE(status[0], status[0] ^ BIT_ULL(62));
	smalloc_free(witness);		/* the locked path finds it */
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_QUARANTINED_PAGES), 1);
	q = alloc(test, 16);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_PTR_NE(test, virt_to_page(q), virt_to_page(p));
	smalloc_free(q);
	smalloc_pool_destroy(pool_of(test));	/* warns: a quarantined page */
	kunit_info(test, "smalloc: expected reports end\n");
	((struct stock_ctx *)test->priv)->pool =
		smalloc_pool_create_arenas("kunit-stock", 1);
	KUNIT_ASSERT_NOT_NULL(test, pool_of(test));
}

/*
 * The same object freed by two CPUs at once, or nearly (the race is not
 * forced): one free wins, the other is refused, and the object is freed
 * once. With the claim broken both would stock it.
 */
struct race_ctx {
	struct smalloc_pool *pool;
	void *obj;
	atomic_t go;
	atomic_t done;
};

static int race_free(void *data)
{
	struct race_ctx *ctx = data;

	/* Yield: the case's own thread may share this CPU. */
	while (!atomic_read(&ctx->go))
		cond_resched();
	smalloc_free(ctx->obj);
	atomic_inc(&ctx->done);
	return 0;
}

static void stock_racing_double_free(struct kunit *test)
{
	struct race_ctx ctx = { .pool = pool_of(test) };
	unsigned int round, cpu, frees, stocked, first = cpumask_first(cpu_online_mask);
	struct task_struct *t[2];

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	kunit_info(test, "smalloc: expected reports begin\n");
	for (round = 0; round < 50; round++) {
		ctx.obj = alloc(test, 24);
		atomic_set(&ctx.go, 0);
		atomic_set(&ctx.done, 0);
		for (cpu = 0; cpu < 2; cpu++)
			t[cpu] = kthread_create(race_free, &ctx, "smalloc-race/%u",
						cpu);
		if (IS_ERR(t[0]) || IS_ERR(t[1])) {
			/* Never woken, a thread stops before it runs. */
			for (cpu = 0; cpu < 2; cpu++)
				if (!IS_ERR(t[cpu]))
					kthread_stop(t[cpu]);
			smalloc_free(ctx.obj);
			KUNIT_FAIL(test, "cannot start the threads");
			break;
		}
		for (cpu = 0; cpu < 2; cpu++) {
			kthread_bind(t[cpu], cpu ? cpumask_next(first, cpu_online_mask) :
						 first);
			wake_up_process(t[cpu]);
		}
		atomic_set(&ctx.go, 1);
		while (atomic_read(&ctx.done) < 2)
			usleep_range(100, 200);
	}
	kunit_info(test, "smalloc: expected reports end\n");
	frees = stat_of(test, SM_STAT_FREES);
	KUNIT_EXPECT_EQ(test, frees, 50);
	KUNIT_EXPECT_EQ(test, refused(test), 50);
	smalloc_pool_drain(pool_of(test));
	stocked = stat_of(test, SM_STAT_STOCKED_OBJECTS);
	KUNIT_EXPECT_EQ(test, stocked, 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, SM_STAT_RESERVE_PAGES),
			stat_of(test, SM_STAT_PAGES));
}

static struct kunit_case smalloc_stock_cases[] = {
	KUNIT_CASE(stock_keeps_and_reuses),
	KUNIT_CASE(stock_matches_units_and_alignment),
	KUNIT_CASE(stock_slack_of_an_eighth),
	KUNIT_CASE(stock_refills_after_two_misses),
	KUNIT_CASE(stock_refuses_double_free),
	KUNIT_CASE(stock_refuses_interior_pointers),
	KUNIT_CASE(stock_skips_big_objects),
	KUNIT_CASE(stock_is_bounded),
	KUNIT_CASE(stock_drain_frees_units),
	KUNIT_CASE(stock_marks_gone_from_free_units),
	KUNIT_CASE(stock_clears_as_the_policy_says),
	KUNIT_CASE(stock_busy_takes_locked_path),
	KUNIT_CASE(stock_quarantined_page_keeps_stocked),
	KUNIT_CASE(stock_racing_double_free),
	{}
};

static struct kunit_suite smalloc_stock = {
	.name = "smalloc_stock",
	.init = stock_init,
	.exit = stock_exit,
	.test_cases = smalloc_stock_cases,
};

kunit_test_suites(&smalloc_stock);
