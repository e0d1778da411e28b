/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * smalloc internals shared by the allocator, its debugfs files and its KUnit
 * suites. Clients use smalloc_core.h only.
 */
#ifndef _SMALLOC_INTERNAL_H
#define _SMALLOC_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/jump_label.h>
#include <linux/kasan.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include "smalloc_core.h"
#include "smalloc_large.h"

struct seq_file;

/* Units: 8 bytes, two status bits each, 32 to a 64-bit status word. */
#define SM_UNIT_SIZE		SMALLOC_ALIGN
#define SM_UNITS_PER_WORD	32
#define SM_BITS_PER_UNIT	2

enum smalloc_code {
	SM_FREE		= 0,
	SM_USED1	= 1,
	SM_USED2	= 2,
	SM_USED3	= 3,
};

/*
 * Each status word costs 8 bytes and describes 32 units, so it "covers"
 * 8 + 32 * SM_UNIT_SIZE bytes of the page: that bounds how many words the
 * page needs (SM_WORDS_MAX). The data area starts 128-byte aligned after
 * them, so that unit 0 suits power-of-two sizes up to 128 bytes whatever
 * the page size, and takes the rest. 4K pages: 16 words (128 B) and 496
 * units (3968 B) of data, nothing left over; 64K pages: 248 words, 64
 * bytes unused, 7936 units from byte 2048.
 */
#define SM_WORDS_MAX	DIV_ROUND_UP(PAGE_SIZE, 8 + SM_UNITS_PER_WORD * SM_UNIT_SIZE)
#define SM_DATA_ALIGN	128
#define SM_DATA_OFFSET	ALIGN(8 * SM_WORDS_MAX, SM_DATA_ALIGN)
#define SM_UNITS	((PAGE_SIZE - SM_DATA_OFFSET) / SM_UNIT_SIZE)
#define SM_WORDS	DIV_ROUND_UP(SM_UNITS, SM_UNITS_PER_WORD)
/* The largest request served from a shared page. */
#define SM_MAX_SMALL	(SM_UNITS * SM_UNIT_SIZE)
/*
 * Empty pages an arena keeps instead of returning them at once: 8 KiB of
 * them, so two on 4K pages and none on 16K or 64K pages, where a page is
 * big enough to empty seldom.
 */
#define SM_RESERVE_PAGES	(SZ_8K / PAGE_SIZE)
/* Most arenas (per-CPU page sets) a pool has. */
#define SM_MAX_ARENAS		8

/* The start of every shared page: the status array, and nothing else. */
struct smalloc_page {
	u64 status[SM_WORDS];
};

/*
 * What smalloc knows of a shared page besides its status array. It lives
 * outside the page (page->index points to it), where an overflow of an
 * object cannot reach it, and it holds a check of every status word, so an
 * overflow into the status array is found before the array is trusted.
 */
struct smalloc_page_info {
	union {
		struct list_head list;	/* on by_class[], or the quarantine */
		struct rcu_head rcu;	/* released: see sm_page_release() */
	};
	struct smalloc_page *sp;
	u32 id;			/* stable name of the page in debugfs */
	u16 nr_free;		/* free units in the page */
	u16 run_hint;		/* upper bound of the longest free run */
	u16 first_free;		/* no unit below this one is free */
	bool quarantined;	/* status array found corrupt: hands off */
	struct smalloc_arena *arena;	/* the owner, for reports */
	u32 *tracks;		/* debug mode: alloc and free stack of each unit */
	u16 check[SM_WORDS];	/* sm_word_check() of each status word */
};

/* A page as debugfs and the tests see it: both halves, copied together. */
struct smalloc_page_copy {
	struct smalloc_page sp;
	struct smalloc_page_info info;
};

/*
 * The per-CPU stock of a pool (smalloc_stock.c): up to SM_STOCK_SLOTS
 * freed objects of up to SM_STOCK_MAX_UNITS units, SM_STOCK_UNITS units
 * in all (4 KiB), kept for this CPU's next allocations of about the same
 * size: up to an eighth more units than asked for (SM_STOCK_SLACK()).
 */
#define SM_STOCK_SLOTS		16
#define SM_STOCK_MAX_UNITS	128	/* objects up to 1 KiB */
#define SM_STOCK_UNITS		512
#define SM_STOCK_SLACK(n)	((n) / 8)
/* Objects carved for a stock that missed twice in a row for one size. */
#define SM_STOCK_REFILL		7

/* Objects taken out of a stock, to free into their pages. */
struct smalloc_batch {
	unsigned int nr;
	u8 n[SM_STOCK_SLOTS];		/* units of each */
	void *obj[SM_STOCK_SLOTS];
};

/* A pool's counters; smalloc_stat_names[] (smalloc_core.c) names them. */
enum smalloc_stat {
	SM_STAT_PAGES,			/* shared pages held, reserve included */
	SM_STAT_RESERVE_PAGES,		/* empty shared pages kept */
	SM_STAT_QUARANTINED_PAGES,	/* found corrupt; never used again */
	SM_STAT_LARGE_ALLOCS,		/* live objects from the page allocator */
	SM_STAT_LARGE_PAGES,		/* pages those hold */
	SM_STAT_LIVE_OBJECTS,
	SM_STAT_LIVE_BYTES,		/* handed out and not yet freed */
	SM_STAT_BYTES_REQUESTED,	/* sum of all sizes asked for */
	SM_STAT_BYTES_HANDED_OUT,	/* sum of all usable sizes returned */
	SM_STAT_ALLOCS,
	SM_STAT_FREES,
	SM_STAT_FAILURES,
	SM_STAT_LARGE_CACHED_PAGES,	/* freed large pages kept for reuse */
	SM_STAT_STOCKED_OBJECTS,	/* freed small objects kept per CPU */
	SM_STAT_NR,
};

/* Each arena keeps its own; smalloc_stats_snapshot() adds them up. */
struct smalloc_stats {
	u64 v[SM_STAT_NR];
};

/* sm_stat(st, PAGES): one counter of a struct smalloc_stats. */
#define sm_stat(stats, id)	((stats).v[SM_STAT_##id])

struct smalloc_stock {
	unsigned int busy;		/* this CPU is in a stock operation */
	unsigned int nr;		/* slots in use: obj[0..nr), oldest first */
	unsigned int units;		/* units they hold */
	u8 missed;			/* units of the last request it missed */
	u8 refill;			/* missed twice in a row: carve these */
	u8 n[SM_STOCK_SLOTS];		/* units of each object */
	void *obj[SM_STOCK_SLOTS];
	struct smalloc_stats stats;	/* what the fast path counted */
};

extern const char * const smalloc_stat_names[SM_STAT_NR];

/* What a refused smalloc_free() or smalloc_size() was given. */
enum smalloc_misuse {
	SM_MISUSE_NONE,
	SM_MISUSE_NOT_LINEAR,	/* not in the linear map: stack, vmalloc, ... */
	SM_MISUSE_FOREIGN,	/* a page smalloc does not own: kmalloc, ... */
	SM_MISUSE_INTERIOR,	/* inside an object or the page's metadata */
	SM_MISUSE_NOT_ALLOCATED, /* free units: a double free, or never ours */
	SM_MISUSE_QUARANTINED,	/* in a page whose status array is corrupt */
	SM_MISUSE_NR,
};

/*
 * The run index: pages are listed by a class of their run hint, as TLSF
 * buckets free blocks: one class per run below SM_EXACT_RUNS (512 bytes,
 * where most requests are), then four per power of two. 76 classes on 4K
 * pages and 92 on 64K pages, instead of a list per possible run, so an
 * arena's lists cost about 1.5 KiB whatever PAGE_SIZE is.
 */
#define SM_EXACT_RUNS		64
#define SM_RUN_CLASSES		(SM_EXACT_RUNS + 1 +				\
				 ((ilog2(SM_UNITS) - ilog2(SM_EXACT_RUNS)) << 2) + \
				 ((SM_UNITS >> (ilog2(SM_UNITS) - 2)) & 3))

static inline unsigned int sm_run_class(unsigned int run)
{
	unsigned int order;

	if (run < SM_EXACT_RUNS)
		return run;
	order = ilog2(run);
	return SM_EXACT_RUNS + ((order - ilog2(SM_EXACT_RUNS)) << 2) +
	       ((run >> (order - 2)) & 3);
}

/* The smallest run of class @c: every page listed there has one as long. */
static inline unsigned int sm_class_min_run(unsigned int c)
{
	unsigned int k = c - SM_EXACT_RUNS;

	if (c < SM_EXACT_RUNS)
		return c;
	return (4 + k % 4) << (ilog2(SM_EXACT_RUNS) + k / 4 - 2);
}

/*
 * One CPU's share of a pool: pages, lists and counters under a lock of its
 * own. An object is freed into the arena its page belongs to.
 */
struct smalloc_arena {
	spinlock_t lock;		/* guards pages, lists and stats */
	struct smalloc_pool *pool;
	struct smalloc_stats stats;
	/*
	 * Pages listed by the class of their run hint, an upper bound of
	 * their longest free run (see sm_alloc_in_page()); a bit is set when
	 * its list is non-empty.
	 */
	DECLARE_BITMAP(class_nonempty, SM_RUN_CLASSES);
	struct list_head by_class[SM_RUN_CLASSES];
	struct list_head quarantine;	/* pages never to be used again */
	struct smalloc_large_cache large; /* freed large pages (smalloc_large.c) */
} ____cacheline_aligned_in_smp;

struct smalloc_pool {
	const char *name;
	struct list_head node;		/* on the list of all pools */
	struct dentry *debugfs;		/* the pool's directory, if any */
	atomic_t next_page_id;
	atomic_long_t refused_frees;
	unsigned int nr_arenas;
	struct smalloc_arena *arenas;
	/* __GFP_ACCOUNT: a child pool per memory cgroup (smalloc_memcg.c). */
	struct xarray memcg_pools;	/* children by mem_cgroup_id() */
	struct list_head memcg_children; /* all of them, RCU, for stats */
	spinlock_t memcg_lock;		/* guards adding to memcg_children */
	struct list_head memcg_node;	/* a child's link in that list */
	struct smalloc_pool *parent;	/* a child's pool */
	struct mem_cgroup *memcg;	/* a child's cgroup, referenced */
	bool debug;			/* redzones, poison, tracks */
	struct smalloc_stock __percpu *stock; /* smalloc_stock.c */
	bool unstocked;			/* no stock: tests of the locked path */
	atomic_long_t debug_reports;	/* problems the debug mode found */
	struct rcu_head rcu;		/* for smalloc_pool_discard() */
};

extern struct smalloc_pool *smalloc_default_pool;

struct smalloc_pool *smalloc_pool_new(const char *name, unsigned int nr_arenas,
				      gfp_t gfp);
struct smalloc_pool *smalloc_pool_create_arenas(const char *name,
						unsigned int nr_arenas);
void smalloc_pool_discard(struct smalloc_pool *pool);
struct smalloc_pool *smalloc_memcg_child(struct smalloc_pool *pool, gfp_t flags);
void smalloc_memcg_destroy(struct smalloc_pool *pool);
void smalloc_owner_erase(struct page *page);
unsigned long smalloc_sum_arenas(unsigned long (*fn)(struct smalloc_arena *arena));

static inline struct smalloc_page_info *sm_info_of(struct page *page)
{
	return (struct smalloc_page_info *)page->index;
}

/* The first unit of a small object at @obj. */
static inline unsigned int sm_unit_of(const void *obj)
{
	return (offset_in_page(obj) - SM_DATA_OFFSET) / SM_UNIT_SIZE;
}

/* smalloc_stock.c: the per-CPU stocks and the free mark. */
extern unsigned long smalloc_mark_secret;
/* Set once a page was quarantined: only then must a stock look. */
extern bool smalloc_quarantined_any;

static inline unsigned long sm_free_mark(const void *obj)
{
	return (unsigned long)obj ^ smalloc_mark_secret;
}

/* Was the small object at @obj freed? Its first word may be poisoned. */
static inline bool smalloc_claimed(const void *obj)
{
	return READ_ONCE_NOCHECK(*(const unsigned long *)obj) == sm_free_mark(obj);
}

/*
 * Claim the live small object at @obj for its free (or, for a moment, its
 * resize): false if another free has. @old gets what the first word held.
 * The word may lie past a tiny object's size, where KASAN objects.
 */
static inline bool smalloc_claim(void *obj, unsigned long *old)
{
	unsigned long *word = obj;
	bool won = true;

	kasan_disable_current();
	do {
		*old = READ_ONCE_NOCHECK(*word);
		if (*old == sm_free_mark(obj)) {
			won = false;
			break;
		}
	} while (cmpxchg(word, *old, sm_free_mark(obj)) != *old);
	kasan_enable_current();
	return won;
}

/* Give a claim up: the first word holds @old again, unless it changed. */
static inline void smalloc_unclaim(void *obj, unsigned long old)
{
	kasan_disable_current();
	cmpxchg((unsigned long *)obj, sm_free_mark(obj), old);
	kasan_enable_current();
}

#ifdef CONFIG_KASAN
void smalloc_write_first(void *obj, unsigned long val);
#else
/* Set the first word of the small object at @obj, poisoned or not. */
static inline void smalloc_write_first(void *obj, unsigned long val)
{
	WRITE_ONCE(*(unsigned long *)obj, val);
}
#endif

/*
 * The first word of the object at @obj is no free mark: the object is
 * handed out, or its units are free again.
 */
static inline void smalloc_unmark(void *obj)
{
	smalloc_write_first(obj, 0);
}

void smalloc_stock_init(void);
int smalloc_stock_pool_init(struct smalloc_pool *pool, gfp_t gfp);
void smalloc_stock_pool_exit(struct smalloc_pool *pool);
void smalloc_stock_pool_free(struct smalloc_pool *pool);
void smalloc_stock_stats_add(struct smalloc_pool *pool,
			     struct smalloc_stats *stats);
void smalloc_release_claimed(void *const *objs, const u8 *units,
			     unsigned int nr);

/* The pool a small allocation is served from: see smalloc_memcg.c. */
static inline struct smalloc_pool *smalloc_memcg_pool(struct smalloc_pool *pool,
						      gfp_t flags)
{
	if (likely(!(flags & __GFP_ACCOUNT)))
		return pool;
	return smalloc_memcg_child(pool, flags);
}

/* smalloc_debug.c: slub_debug's redzones, poison and tracks for smalloc. */
DECLARE_STATIC_KEY_FALSE(smalloc_debug_key);

static inline bool sm_debug(const struct smalloc_pool *pool)
{
	return static_branch_unlikely(&smalloc_debug_key) && pool->debug;
}

/* The redzone unit after each object of a pool in debug mode. */
static inline unsigned int sm_extra_units(const struct smalloc_pool *pool)
{
	return sm_debug(pool) ? 1 : 0;
}

int smalloc_debug_pool_init(struct smalloc_pool *pool, bool on);
void smalloc_debug_pool_exit(struct smalloc_pool *pool);
bool smalloc_debug_page_init(struct smalloc_page_info *info, gfp_t flags);
void smalloc_debug_alloc(struct smalloc_page_info *info, unsigned int start,
			 unsigned int units);
void smalloc_debug_free(struct smalloc_page_info *info, unsigned int start,
			unsigned int units);
void smalloc_verify_seq_show(struct seq_file *m, struct smalloc_pool *pool);
int smalloc_page_visit(struct smalloc_pool *pool, unsigned long pfn,
		       unsigned int (*fn)(struct seq_file *m,
					  struct smalloc_page_info *info),
		       struct seq_file *m);

/* Zone modifiers cannot be honoured in pages shared by many callers. */
static inline gfp_t smalloc_page_gfp(gfp_t flags)
{
	return flags & ~(__GFP_ZERO | __GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32 |
			 __GFP_MOVABLE | __GFP_ACCOUNT | __GFP_COMP);
}

/* Iteration and snapshots for debugfs and tests; see smalloc_core.c. */
bool smalloc_next_page(struct smalloc_pool *pool, unsigned long *pfn);
bool smalloc_page_snapshot(struct smalloc_pool *pool, unsigned long pfn,
			   struct smalloc_page_copy *copy);
void smalloc_stats_snapshot(struct smalloc_pool *pool,
			    struct smalloc_stats *stats);
void smalloc_pool_drain(struct smalloc_pool *pool);
size_t smalloc_pool_bytes(struct smalloc_pool *pool);
bool smalloc_owns(const void *ptr);
bool smalloc_free_owned(const void *ptr, bool sensitive);
const char *smalloc_misuse_name(enum smalloc_misuse kind);
void smalloc_refuse(const char *fn, bool is_free, const void *ptr,
		    struct smalloc_pool *pool, enum smalloc_misuse kind,
		    unsigned long caller);

void smalloc_debugfs_init(void);
void smalloc_debugfs_exit(void);
struct dentry *smalloc_debugfs_add(struct smalloc_pool *pool, const char *dir);
void smalloc_status_seq_show_page(struct seq_file *m,
				  const struct smalloc_page_copy *copy);
void smalloc_stats_seq_show(struct seq_file *m, struct smalloc_pool *pool);

/* seq_file private data of "status"; m->private must point to one. */
struct smalloc_status_iter {
	struct smalloc_pool *pool;
	unsigned long pfn;		/* of the page being shown */
	struct smalloc_page_copy copy;	/* its status array and hints */
};

extern const struct seq_operations smalloc_status_seq_ops;

#endif /* _SMALLOC_INTERNAL_H */
