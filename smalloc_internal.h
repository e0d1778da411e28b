/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * smalloc internals shared by the allocator, its debugfs files and its KUnit
 * suites. Clients use smalloc_core.h only.
 */
#ifndef _SMALLOC_INTERNAL_H
#define _SMALLOC_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include "smalloc_core.h"

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

/* Per-page hints; they follow the status array in the page itself. */
struct smalloc_page_hdr {
	struct list_head list;	/* on its arena's by_run[max_run] */
	u32 id;			/* stable name of the page in debugfs */
	u16 nr_free;		/* free units in the page */
	u16 max_run;		/* longest run of free units */
	u16 first_free;		/* no unit below this one is free */
};

/*
 * Each status word costs 8 bytes and describes 32 units, so it "covers"
 * 8 + 32 * SM_UNIT_SIZE bytes of the page: that fixes how many words the
 * page needs, and the data area takes the rest. 4K pages: 16 words (128 B),
 * a 32 B header, 492 units (3936 B) of data, nothing left over.
 */
#define SM_WORDS	DIV_ROUND_UP(PAGE_SIZE - sizeof(struct smalloc_page_hdr), \
				     8 + SM_UNITS_PER_WORD * SM_UNIT_SIZE)
#define SM_UNITS	((PAGE_SIZE - sizeof(struct smalloc_page_hdr) - 8 * SM_WORDS) / \
			 SM_UNIT_SIZE)
#define SM_DATA_OFFSET	(PAGE_SIZE - SM_UNITS * SM_UNIT_SIZE)
/* The largest request served from a shared page. */
#define SM_MAX_SMALL	(SM_UNITS * SM_UNIT_SIZE)
/* Empty pages an arena keeps instead of returning them at once. */
#define SM_RESERVE_PAGES	2
/* Most arenas (per-CPU page sets) a pool has. */
#define SM_MAX_ARENAS		8

/* The start of every smalloc page: status array at offset 0, then hints. */
struct smalloc_page {
	u64 status[SM_WORDS];
	struct smalloc_page_hdr hdr;
};

struct smalloc_stats {
	unsigned long pages;		/* shared pages held, reserve included */
	unsigned long reserve_pages;	/* empty shared pages kept */
	unsigned long large_allocs;	/* live objects from the page allocator */
	unsigned long large_pages;	/* pages those hold */
	unsigned long live_objects;
	unsigned long live_bytes;	/* handed out and not yet freed */
	u64 bytes_requested;		/* sum of all sizes asked for */
	u64 bytes_handed_out;		/* sum of all usable sizes returned */
	u64 allocs;
	u64 frees;
	u64 failures;
};

/* What a refused smalloc_free() or smalloc_size() was given. */
enum smalloc_misuse {
	SM_MISUSE_NONE,
	SM_MISUSE_NOT_LINEAR,	/* not in the linear map: stack, vmalloc, ... */
	SM_MISUSE_FOREIGN,	/* a page smalloc does not own: kmalloc, ... */
	SM_MISUSE_INTERIOR,	/* inside an object or the page's metadata */
	SM_MISUSE_NOT_ALLOCATED, /* free units: a double free, or never ours */
	SM_MISUSE_NR,
};

/*
 * One CPU's share of a pool: pages, lists and counters under a lock of its
 * own. An object is freed into the arena its page belongs to.
 */
struct smalloc_arena {
	spinlock_t lock;		/* guards pages, lists and stats */
	struct smalloc_pool *pool;
	struct smalloc_stats stats;
	/*
	 * Pages listed by an upper bound of their longest free run (see
	 * sm_alloc_in_page()); a bit is set when its list is non-empty.
	 */
	DECLARE_BITMAP(run_nonempty, SM_UNITS + 1);
	struct list_head by_run[SM_UNITS + 1];
} ____cacheline_aligned_in_smp;

struct smalloc_pool {
	const char *name;
	struct list_head node;		/* on the list of all pools */
	struct dentry *debugfs;		/* the pool's directory, if any */
	atomic_t next_page_id;
	atomic_long_t refused_frees;
	enum smalloc_misuse last_misuse;	/* for tests and bug reports */
	unsigned int nr_arenas;
	struct smalloc_arena *arenas;
};

extern struct smalloc_pool *smalloc_default_pool;

struct smalloc_pool *smalloc_pool_create_arenas(const char *name,
						unsigned int nr_arenas);

/* Iteration and snapshots for debugfs and tests; see smalloc_core.c. */
bool smalloc_next_page(struct smalloc_pool *pool, unsigned long *pfn);
bool smalloc_page_snapshot(struct smalloc_pool *pool, unsigned long pfn,
			   struct smalloc_page *copy);
void smalloc_stats_snapshot(struct smalloc_pool *pool,
			    struct smalloc_stats *stats);
const char *smalloc_misuse_name(enum smalloc_misuse kind);

void smalloc_debugfs_init(void);
void smalloc_debugfs_exit(void);
struct dentry *smalloc_debugfs_add(struct smalloc_pool *pool, const char *dir);
void smalloc_status_seq_show_page(struct seq_file *m,
				  const struct smalloc_page *sp);
void smalloc_stats_seq_show(struct seq_file *m, struct smalloc_pool *pool);

/* seq_file private data of "status"; m->private must point to one. */
struct smalloc_status_iter {
	struct smalloc_pool *pool;
	unsigned long pfn;		/* of the page being shown */
	struct smalloc_page copy;	/* its status array and hints */
};

extern const struct seq_operations smalloc_status_seq_ops;

#endif /* _SMALLOC_INTERNAL_H */
