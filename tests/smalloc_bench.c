// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_bench - smalloc against kmalloc and genalloc, on a real kernel.
 *
 * Loading the module runs the benchmark; insmod returns when it is over
 * (minutes at scale=1 under QEMU TCG). Four groups of rows:
 *
 *  speed    ns per alloc+free pair: fixed sizes and uniform 1..512, either
 *           freed at once or as a live set of 10k objects freed in a
 *           shuffled order;
 *  density  bytes held / bytes requested for 100k live objects, after the
 *           fill and after 1M replace-one-object steps;
 *  scale    ns per pair with 1, 1k and 100k smalloc pages held by
 *           long-lived objects that leave only holes too small to use;
 *  smp      pairs per second with one and with two CPUs at once.
 *
 * genalloc is a gen_pool with min_alloc_order 3 over one vmalloc area sized
 * for the row's working set, using its default first fit.
 *
 * Timed rows run every allocator once per round, in an order that rotates
 * each round, and report median and min..max over the rounds; timings under
 * emulation are noisy. Sizes and free orders come from a fixed seed, so all
 * three allocators see the same requests.
 *
 * Results go to the kernel log as a table ("smalloc_bench: ") and as JSON,
 * one object per line ("smalloc_bench_json: "): a meta line, one per row and
 * an end line. printk cuts records at about 1 KB, too short for all rows in
 * one line; scripts/bench.sh joins them into one document.
 *
 * Parameters: rounds (1..31), scale (divides every count, for smoke runs),
 * which (comma-separated groups to run; all if unset). The init function
 * returns 0 when the benchmark ran, even if some rows could not (they are
 * marked in the output), so the module stays loaded until rmmod; it fails
 * only on bad parameters or when its own buffers cannot be allocated.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/genalloc.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "smalloc_internal.h"

#define bench_out(fmt, ...)	pr_info("smalloc_bench: " fmt "\n", ##__VA_ARGS__)
#define bench_json(fmt, ...)	pr_info("smalloc_bench_json: " fmt "\n", ##__VA_ARGS__)

#define BENCH_MAX_ROUNDS	31
/* A failed allocation is a result, not something to splat about. */
#define BENCH_GFP		(GFP_KERNEL | __GFP_NOWARN)
#define BENCH_SEED		0x5a110cULL
#define BENCH_INVALID		U64_MAX
/* Sizes cycled by the immediate-free loops; a power of two for masking. */
#define BENCH_IMM_SIZES		4096
#define BENCH_GENALLOC_ORDER	3

/* Full-run counts; each is divided by @scale. */
#define SPEED_PAIRS		100000
#define SPEED_LIVE		10000
#define DENSITY_OBJECTS		100000
#define DENSITY_STEPS		1000000
/*
 * First fit makes each genalloc step cost O(live objects): 1M steps over
 * 100k objects would take a quarter of an hour under TCG. Every allocator
 * gets the same step sequence but stops after this long; rows say how far
 * each got.
 */
#define DENSITY_BUDGET_NS	(45ULL * NSEC_PER_SEC)
#define SMP_OPS			100000
#define SMP_SLOTS		256	/* live objects per thread */
/* Scale rows: long-lived 256 B objects, 72 B holes, timed 128 B pairs. */
#define SCALE_KEEP		256
#define SCALE_HOLE		72
#define SCALE_SIZE		128
#define SCALE_BUDGET_NS		(200 * NSEC_PER_MSEC)

static unsigned int rounds = 7;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Repetitions of every timed row, 1..31 (default 7)");
static unsigned int scale = 1;
module_param(scale, uint, 0444);
MODULE_PARM_DESC(scale, "Divide every object and operation count by this (default 1)");
static char *which;
module_param(which, charp, 0444);
MODULE_PARM_DESC(which, "Comma-separated groups: speed,density,scale,smp (default all)");

enum bench_alloc { BA_SMALLOC, BA_KMALLOC, BA_GENALLOC, BA_NR };

static const char * const ba_names[BA_NR] = { "smalloc", "kmalloc", "genalloc" };

struct bench_ctx {
	enum bench_alloc a;
	struct gen_pool *gp;
};

/* A switch, not function pointers: no retpoline in the timed loops. */
static __always_inline void *ba_alloc(const struct bench_ctx *c, size_t size)
{
	switch (c->a) {
	case BA_SMALLOC:
		return smalloc_alloc(size, BENCH_GFP);
	case BA_KMALLOC:
		return kmalloc(size, BENCH_GFP);
	default:
		return (void *)gen_pool_alloc(c->gp, size);
	}
}

static __always_inline void ba_free(const struct bench_ctx *c, void *p,
				    size_t size)
{
	switch (c->a) {
	case BA_SMALLOC:
		smalloc_free(p);
		break;
	case BA_KMALLOC:
		kfree(p);
		break;
	default:
		gen_pool_free(c->gp, (unsigned long)p, size);
	}
}

/* A gen_pool over one vmalloc area; it must be empty when destroyed. */
struct bench_gp {
	struct gen_pool *gp;
	void *mem;
	size_t size;
};

static int bench_gp_create(struct bench_gp *g, size_t size)
{
	g->size = PAGE_ALIGN(size);
	g->mem = __vmalloc(g->size, BENCH_GFP);
	g->gp = gen_pool_create(BENCH_GENALLOC_ORDER, NUMA_NO_NODE);
	if (g->mem && g->gp &&
	    !gen_pool_add(g->gp, (unsigned long)g->mem, g->size, NUMA_NO_NODE))
		return 0;
	if (g->gp)
		gen_pool_destroy(g->gp);
	vfree(g->mem);
	g->gp = NULL;
	g->mem = NULL;
	return -ENOMEM;
}

static void bench_gp_destroy(struct bench_gp *g)
{
	if (g->gp)
		gen_pool_destroy(g->gp);
	vfree(g->mem);
	g->gp = NULL;
	g->mem = NULL;
}

/*
 * Where first fit would put the next object while nothing has been freed
 * yet: filling through gen_pool_fixed_alloc() at that offset gives the same
 * layout without first fit's scan from the start, which is quadratic.
 */
static void *bench_gp_append(struct bench_gp *g, unsigned long *cursor,
			     size_t size)
{
	struct genpool_data_fixed at = { .offset = *cursor };
	unsigned long p;

	p = gen_pool_alloc_algo(g->gp, size, gen_pool_fixed_alloc, &at);
	if (p)
		*cursor += ALIGN(size, 1UL << BENCH_GENALLOC_ORDER);
	return (void *)p;
}

/* ---- results ------------------------------------------------------------ */

/* Values are fixed point: thousandths of the row's unit. */
struct bench_row {
	const char *group;
	char name[48];
	const char *unit;
	bool higher_better;
	unsigned int decimals;		/* shown in the table */
	unsigned int n;			/* rounds recorded */
	u64 v[BA_NR][BENCH_MAX_ROUNDS];
	char extra[400];		/* more JSON members, each with a leading comma */
	char note[160];			/* table lines under the row */
	char note2[160];
	int err;
};

struct bench_stat {
	u64 med, min, max;
};

static struct bench_row row;
static char json_buf[1000];
static unsigned int rows_emitted, rows_failed;

/* Scratch shared by the groups, sized in bench_init(). */
static u32 *imm_sizes;
static u32 *sizes;
static u32 *order;
static void **ptrs;
static unsigned int scratch_n;

static unsigned int scaled(unsigned long full, unsigned long min)
{
	return max(full / scale, min);
}

static bool want(const char *group)
{
	return !which || !*which || strstr(which, group);
}

static __printf(4, 5)
void row_begin(const char *group, const char *unit, unsigned int decimals,
	       const char *fmt, ...)
{
	va_list args;

	memset(&row, 0, sizeof(row));
	row.group = group;
	row.unit = unit;
	row.decimals = decimals;
	/* Throughputs and their ratios; everything else is a cost. */
	row.higher_better = !strcmp(unit, "pairs/s") || !strcmp(unit, "x");
	va_start(args, fmt);
	vsnprintf(row.name, sizeof(row.name), fmt, args);
	va_end(args);
}

static __printf(1, 2) void row_extra(const char *fmt, ...)
{
	size_t len = strlen(row.extra);
	va_list args;

	va_start(args, fmt);
	vsnprintf(row.extra + len, sizeof(row.extra) - len, fmt, args);
	va_end(args);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool row_stat(enum bench_alloc a, struct bench_stat *s)
{
	u64 tmp[BENCH_MAX_ROUNDS];
	unsigned int i, n = row.n;

	if (row.err || !n)
		return false;
	for (i = 0; i < n; i++) {
		if (row.v[a][i] == BENCH_INVALID)
			return false;
		tmp[i] = row.v[a][i];
	}
	sort(tmp, n, sizeof(tmp[0]), cmp_u64, NULL);
	s->min = tmp[0];
	s->max = tmp[n - 1];
	s->med = n & 1 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
	return true;
}

/*
 * What fmt_fixed() writes at most: U64_MAX thousandths rounded to a whole
 * number, or to three decimals, and the NUL.
 */
#define FIXED_LEN	sizeof("18446744073709551.615")

/* @v in thousandths, shown with @decimals (0..3) rounded decimals. */
static const char *fmt_fixed(char *buf, size_t len, u64 v, unsigned int decimals,
			     const char *invalid)
{
	static const u32 pow10[] = { 1, 10, 100, 1000 };
	u64 q;

	if (v == BENCH_INVALID)
		return invalid;
	q = div_u64(v + 500 / pow10[decimals], 1000 / pow10[decimals]);
	if (decimals)
		snprintf(buf, len, "%llu.%0*llu", div_u64(q, pow10[decimals]),
			 (int)decimals, q % pow10[decimals]);
	else
		snprintf(buf, len, "%llu", q);
	return buf;
}

static u64 ratio_milli(u64 num, u64 den)
{
	if (num == BENCH_INVALID || den == BENCH_INVALID || !den)
		return BENCH_INVALID;
	return div64_u64(num * 1000, den);
}

static void row_emit(void)
{
	struct bench_stat st[BA_NR];
	bool ok[BA_NR];
	char col[BA_NR][40], r_k[FIXED_LEN], r_g[FIXED_LEN];
	char b1[FIXED_LEN], b2[FIXED_LEN], b3[FIXED_LEN];
	size_t len;
	u64 med[BA_NR], rk, rg;
	int a;

	for (a = 0; a < BA_NR; a++) {
		ok[a] = row_stat(a, &st[a]);
		med[a] = ok[a] ? st[a].med : BENCH_INVALID;
		if (!ok[a]) {
			strscpy(col[a], row.err ? "error" : "failed", sizeof(col[a]));
			continue;
		}
		snprintf(col[a], sizeof(col[a]), "%s [%s..%s]",
			 fmt_fixed(b1, sizeof(b1), st[a].med, row.decimals, ""),
			 fmt_fixed(b2, sizeof(b2), st[a].min, row.decimals, ""),
			 fmt_fixed(b3, sizeof(b3), st[a].max, row.decimals, ""));
	}
	rk = ratio_milli(med[BA_SMALLOC], med[BA_KMALLOC]);
	rg = ratio_milli(med[BA_SMALLOC], med[BA_GENALLOC]);
	bench_out("%-7s %-22s %-8s %-30s %-30s %-30s %7s %7s", row.group, row.name,
		  row.unit, col[0], col[1], col[2],
		  fmt_fixed(r_k, sizeof(r_k), rk, 3, "-"),
		  fmt_fixed(r_g, sizeof(r_g), rg, 3, "-"));
	if (row.note[0])
		bench_out("%-7s %-22s %s", "", "", row.note);
	if (row.note2[0])
		bench_out("%-7s %-22s %s", "", "", row.note2);

	len = scnprintf(json_buf, sizeof(json_buf),
			"{\"type\":\"row\",\"group\":\"%s\",\"name\":\"%s\",\"unit\":\"%s\",\"better\":\"%s\",\"rounds\":%u",
			row.group, row.name, row.unit,
			row.higher_better ? "higher" : "lower", row.n);
	for (a = 0; a < BA_NR; a++) {
		if (!ok[a]) {
			len += scnprintf(json_buf + len, sizeof(json_buf) - len,
					 ",\"%s\":null", ba_names[a]);
			continue;
		}
		len += scnprintf(json_buf + len, sizeof(json_buf) - len,
				 ",\"%s\":{\"median\":%s,\"min\":%s,\"max\":%s}",
				 ba_names[a],
				 fmt_fixed(b1, sizeof(b1), st[a].med, 3, ""),
				 fmt_fixed(b2, sizeof(b2), st[a].min, 3, ""),
				 fmt_fixed(b3, sizeof(b3), st[a].max, 3, ""));
	}
	len += scnprintf(json_buf + len, sizeof(json_buf) - len,
			 ",\"smalloc_vs_kmalloc\":%s,\"smalloc_vs_genalloc\":%s",
			 fmt_fixed(b1, sizeof(b1), rk, 3, "null"),
			 fmt_fixed(b2, sizeof(b2), rg, 3, "null"));
	if (row.err)
		len += scnprintf(json_buf + len, sizeof(json_buf) - len,
				 ",\"error\":%d", row.err);
	scnprintf(json_buf + len, sizeof(json_buf) - len, "%s}", row.extra);
	bench_json("%s", json_buf);

	rows_emitted++;
	if (!ok[0] || !ok[1] || !ok[2])
		rows_failed++;
}

/* ---- sizes and orders ------------------------------------------------- */

/* @fixed bytes, or uniform 1..@rand_max when @fixed is 0. */
static void gen_sizes(u32 *out, unsigned int n, u32 fixed, u32 rand_max,
		      u64 seed)
{
	struct rnd_state rs;
	unsigned int i;

	prandom_seed_state(&rs, seed);
	for (i = 0; i < n; i++)
		out[i] = fixed ?: 1 + prandom_u32_state(&rs) % rand_max;
}

static void gen_order(u32 *out, unsigned int n, u64 seed)
{
	struct rnd_state rs;
	unsigned int i, j;

	prandom_seed_state(&rs, seed);
	for (i = 0; i < n; i++)
		out[i] = i;
	for (i = n - 1; i > 0; i--) {
		/* Not inside swap(): it evaluates its arguments twice. */
		j = prandom_u32_state(&rs) % (i + 1);
		swap(out[i], out[j]);
	}
}

/* ---- timed loops -------------------------------------------------------- */

/*
 * Thousandths of a ns per pair for @pairs alloc+free pairs, each freed at
 * once; with a @budget_ns, stops early once that much time has passed.
 * One byte of each object is written, as a user would.
 */
static u64 run_immediate(const struct bench_ctx *c, unsigned long pairs,
			 u64 budget_ns)
{
	unsigned long i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < pairs; i++) {
		u32 size = imm_sizes[i & (BENCH_IMM_SIZES - 1)];
		u8 *p = ba_alloc(c, size);

		if (!p)
			return BENCH_INVALID;
		*p = i;
		ba_free(c, p, size);
		if ((i & 7) == 7) {
			cond_resched();
			if (budget_ns && ktime_get_ns() - t0 > budget_ns) {
				i++;
				break;
			}
		}
	}
	return div64_u64((ktime_get_ns() - t0) * 1000, i);
}

/* @n objects of sizes[] allocated, then freed in order[]: per pair. */
static u64 run_live(const struct bench_ctx *c, unsigned int n)
{
	unsigned int i;
	u64 t0 = ktime_get_ns(), t;

	for (i = 0; i < n; i++) {
		u8 *p = ba_alloc(c, sizes[i]);

		if (!p)
			goto fail;
		*p = i;
		ptrs[i] = p;
		if ((i & 1023) == 1023)
			cond_resched();
	}
	for (i = 0; i < n; i++) {
		u32 j = order[i];

		ba_free(c, ptrs[j], sizes[j]);
		if ((i & 1023) == 1023)
			cond_resched();
	}
	t = ktime_get_ns() - t0;
	return div64_u64(t * 1000, n);

fail:
	while (i--)
		ba_free(c, ptrs[i], sizes[i]);
	return BENCH_INVALID;
}

/* ---- speed ------------------------------------------------------------------ */

struct size_spec {
	const char *name;
	u32 fixed;
	u32 rand_max;
};

static const struct size_spec speed_specs[] = {
	{ "fixed-8", 8, 0 },
	{ "fixed-64", 64, 0 },
	{ "fixed-256", 256, 0 },
	{ "fixed-1024", 1024, 0 },
	{ "fixed-3000", 3000, 0 },
	{ "rand-1-512", 0, 512 },
};

static void bench_speed_one(const struct size_spec *ss)
{
	unsigned int live = scaled(SPEED_LIVE, 16), r, k, pattern;
	unsigned long pairs = scaled(SPEED_PAIRS, 64);
	struct bench_ctx ctx[BA_NR] = {
		{ .a = BA_SMALLOC }, { .a = BA_KMALLOC }, { .a = BA_GENALLOC },
	};
	struct bench_gp g;
	u32 max = ss->fixed ?: ss->rand_max;
	int err;

	/* Enough for the live set packed by first fit, plus one page. */
	err = bench_gp_create(&g, (size_t)live * ALIGN(max, 8) + PAGE_SIZE);
	ctx[BA_GENALLOC].gp = g.gp;
	gen_sizes(imm_sizes, BENCH_IMM_SIZES, ss->fixed, ss->rand_max, BENCH_SEED);
	gen_sizes(sizes, live, ss->fixed, ss->rand_max, BENCH_SEED + 1);
	gen_order(order, live, BENCH_SEED + 2);

	for (pattern = 0; pattern < 2; pattern++) {
		row_begin("speed", "ns/pair", 1, "%s-%s", ss->name,
			  pattern ? "live10k" : "immediate");
		row.err = err;
		for (r = 0; r < rounds && !err; r++) {
			for (k = 0; k < BA_NR; k++) {
				const struct bench_ctx *c = &ctx[(r + k) % BA_NR];

				row.v[c->a][r] = pattern ? run_live(c, live) :
						 run_immediate(c, pairs, 0);
				cond_resched();
			}
			row.n = r + 1;
		}
		if (pattern)
			row_extra(",\"objects\":%u", live);
		else
			row_extra(",\"pairs\":%lu", pairs);
		row_emit();
	}
	if (!err)
		bench_gp_destroy(&g);
}

static void bench_speed(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(speed_specs); i++)
		bench_speed_one(&speed_specs[i]);
}

/* ---- density ---------------------------------------------------------------- */

struct density_result {
	u64 fill, churn;		/* held / requested, thousandths */
	u64 extent_fill, extent_churn;	/* genalloc: highest byte used / req */
	unsigned long reserve;		/* smalloc: reserve pages at the end */
	unsigned long fails;
	unsigned int steps;		/* replace steps done in the budget */
	u64 ms;				/* how long the fill and churn took */
};

/*
 * Pages smalloc's default pool holds, with or without its reserve of empty
 * pages. Held memory is measured from the in-use count before a fill to the
 * total after it: a reserve that predates the fill and got used is counted,
 * and so is the reserve the pool keeps afterwards (at most
 * SM_RESERVE_PAGES).
 */
static unsigned long smalloc_pages(bool with_reserve)
{
	struct smalloc_stats st;

	smalloc_stats_snapshot(NULL, &st);
	return sm_stat(st, PAGES) + sm_stat(st, LARGE_PAGES) -
	       (with_reserve ? 0 : sm_stat(st, RESERVE_PAGES));
}

/*
 * One allocator: fill @n objects of 1..@max bytes, then replace a random
 * one @steps times. Held bytes: smalloc's page count (from before the
 * fill), kmalloc's ksize() sum, genalloc's pool size.
 */
static int density_one(enum bench_alloc a, unsigned int n, unsigned int steps,
		       u32 max, struct density_result *res)
{
	struct bench_ctx c = { .a = a };
	unsigned long pages0 = smalloc_pages(false), cursor = 0, extent = 0;
	u64 req = 0, ks = 0, packed = 0, held;
	struct bench_gp g = {};
	struct rnd_state rs;
	unsigned int i;
	int err = 0;
	u64 t0;

	gen_sizes(sizes, n, 0, max, BENCH_SEED + 3);
	for (i = 0; i < n; i++)
		packed += ALIGN(sizes[i], 8);
	/* Twice what the fill needs: first fit fragments as objects churn. */
	if (a == BA_GENALLOC && bench_gp_create(&g, 2 * packed))
		return -ENOMEM;
	c.gp = g.gp;
	memset(ptrs, 0, n * sizeof(*ptrs));
	for (i = 0; i < n; i++) {
		ptrs[i] = a == BA_GENALLOC ? bench_gp_append(&g, &cursor, sizes[i]) :
			  ba_alloc(&c, sizes[i]);
		if (!ptrs[i]) {
			err = -ENOMEM;
			goto out;
		}
		req += sizes[i];
		if (a == BA_KMALLOC)
			ks += ksize(ptrs[i]);
		if ((i & 1023) == 1023)
			cond_resched();
	}
	held = a == BA_SMALLOC ? (smalloc_pages(true) - pages0) * PAGE_SIZE :
	       a == BA_KMALLOC ? ks : g.size;
	res->fill = div64_u64(held * 1000, req);
	extent = cursor;
	res->extent_fill = div64_u64((u64)extent * 1000, req);

	prandom_seed_state(&rs, BENCH_SEED + 4);
	t0 = ktime_get_ns();
	for (i = 0; i < steps; i++) {
		u32 j = prandom_u32_state(&rs) % n;
		u32 size = 1 + prandom_u32_state(&rs) % max;
		void *p;

		if (ptrs[j]) {
			if (a == BA_KMALLOC)
				ks -= ksize(ptrs[j]);
			ba_free(&c, ptrs[j], sizes[j]);
			req -= sizes[j];
		}
		p = ba_alloc(&c, size);
		ptrs[j] = p;
		sizes[j] = size;
		if (!p) {
			/* Keep the slot empty: an object of 0 bytes. */
			res->fails++;
			continue;
		}
		req += size;
		if (a == BA_KMALLOC)
			ks += ksize(p);
		if (a == BA_GENALLOC)
			extent = max(extent, (unsigned long)p - (unsigned long)g.mem +
				     ALIGN(size, 8));
		if ((i & 1023) == 1023) {
			cond_resched();
			if (ktime_get_ns() - t0 > DENSITY_BUDGET_NS) {
				i++;
				break;
			}
		}
	}
	res->steps = i;
	held = a == BA_SMALLOC ? (smalloc_pages(true) - pages0) * PAGE_SIZE :
	       a == BA_KMALLOC ? ks : g.size;
	res->churn = div64_u64(held * 1000, req);
	res->extent_churn = div64_u64((u64)extent * 1000, req);
	if (a == BA_SMALLOC) {
		struct smalloc_stats st;

		smalloc_stats_snapshot(NULL, &st);
		res->reserve = sm_stat(st, RESERVE_PAGES);
	}
	i = n;
out:
	while (i--)
		if (ptrs[i])
			ba_free(&c, ptrs[i], sizes[i]);
	bench_gp_destroy(&g);
	return err;
}

static void bench_density(void)
{
	static const u32 maxes[] = { 64, 512 };
	unsigned int n = scaled(DENSITY_OBJECTS, 64);
	unsigned int steps = scaled(DENSITY_STEPS, 64);
	struct density_result res[BA_NR];
	unsigned int m, churn;
	char ext[FIXED_LEN];
	u64 extent;
	int a, err;

	for (m = 0; m < ARRAY_SIZE(maxes); m++) {
		memset(res, 0, sizeof(res));
		err = 0;
		for (a = 0; a < BA_NR && !err; a++) {
			u64 t0 = ktime_get_ns();

			err = density_one(a, n, steps, maxes[m], &res[a]);
			res[a].ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
		}
		for (churn = 0; churn < 2; churn++) {
			row_begin("density", "held/req", 3, "rand-1-%u-%s", maxes[m],
				  churn ? "churn" : "fill");
			row.err = err;
			row.n = 1;
			for (a = 0; a < BA_NR; a++)
				row.v[a][0] = churn ? res[a].churn : res[a].fill;
			extent = churn ? res[BA_GENALLOC].extent_churn :
				 res[BA_GENALLOC].extent_fill;
			fmt_fixed(ext, sizeof(ext), err ? BENCH_INVALID : extent, 3, "null");
			row_extra(",\"objects\":%u,\"steps\":%u", n, churn ? steps : 0);
			row_extra(",\"steps_done\":[%u,%u,%u]", churn ? res[0].steps : 0,
				  churn ? res[1].steps : 0, churn ? res[2].steps : 0);
			row_extra(",\"smalloc_reserve_pages\":%lu", res[BA_SMALLOC].reserve);
			row_extra(",\"genalloc_extent_vs_req\":%s", ext);
			row_extra(",\"alloc_failures\":[%lu,%lu,%lu]",
				  res[0].fails, res[1].fails, res[2].fails);
			row_extra(",\"ms\":[%llu,%llu,%llu]", res[0].ms, res[1].ms,
				  res[2].ms);
			snprintf(row.note, sizeof(row.note),
				 "kmalloc: ksize() sum, no slab slack/metadata; genalloc: pool size (2x fill), extent used %s",
				 ext);
			if (churn)
				snprintf(row.note2, sizeof(row.note2),
					 "%u objects; replace steps done of %u: %u %u %u",
					 n, steps, res[0].steps, res[1].steps, res[2].steps);
			else
				snprintf(row.note2, sizeof(row.note2), "%u objects", n);
			row_emit();
		}
	}
}

/* ---- scale ------------------------------------------------------------------ */

struct scale_fill {
	void **keep;
	unsigned long n;	/* objects in keep[] */
	struct bench_gp g;
};

/*
 * Long-lived objects with a short-lived one after each, freed when all are
 * in: smalloc pages end up full but for holes too small for the timed
 * requests, so those must go past every such page to find room.
 */
static int scale_fill(enum bench_alloc a, struct scale_fill *f,
		      unsigned long keeps, void **tmp)
{
	struct bench_ctx c = { .a = a };
	unsigned long i, cursor = 0;
	int err = 0;

	if (a == BA_GENALLOC &&
	    bench_gp_create(&f->g, keeps * (SCALE_KEEP + SCALE_HOLE) + (64 << 10)))
		return -ENOMEM;
	c.gp = f->g.gp;
	for (i = 0; i < keeps; i++) {
		if (a == BA_GENALLOC) {
			f->keep[i] = bench_gp_append(&f->g, &cursor, SCALE_KEEP);
			tmp[i] = f->keep[i] ?
				 bench_gp_append(&f->g, &cursor, SCALE_HOLE) : NULL;
		} else {
			f->keep[i] = ba_alloc(&c, SCALE_KEEP);
			tmp[i] = f->keep[i] ? ba_alloc(&c, SCALE_HOLE) : NULL;
		}
		if (!tmp[i]) {
			err = -ENOMEM;
			break;
		}
		if ((i & 1023) == 1023)
			cond_resched();
	}
	f->n = i;
	if (err && f->keep[i])
		ba_free(&c, f->keep[i], SCALE_KEEP);
	for (i = 0; i < f->n; i++)
		ba_free(&c, tmp[i], SCALE_HOLE);
	return err;
}

static void scale_unfill(enum bench_alloc a, struct scale_fill *f)
{
	struct bench_ctx c = { .a = a, .gp = f->g.gp };
	unsigned long i;

	for (i = 0; i < f->n; i++) {
		ba_free(&c, f->keep[i], SCALE_KEEP);
		if ((i & 1023) == 1023)
			cond_resched();
	}
	f->n = 0;
	bench_gp_destroy(&f->g);
}

static void bench_scale_one(const char *name, unsigned long pages)
{
	unsigned long per_page = SM_UNITS / ((SCALE_KEEP + SCALE_HOLE) / SM_UNIT_SIZE);
	unsigned long keeps = pages * per_page, sm_pages = 0;
	unsigned long pairs = scaled(SPEED_PAIRS, 64), pages0;
	struct scale_fill fill[BA_NR] = {};
	struct bench_ctx ctx[BA_NR];
	void **tmp;
	unsigned int r, k;
	int a, err = 0;

	row_begin("scale", "ns/pair", 1, "%s", name);
	tmp = kvmalloc_array(keeps, sizeof(*tmp), BENCH_GFP);
	err = tmp ? 0 : -ENOMEM;
	for (a = 0; a < BA_NR && !err; a++) {
		fill[a].keep = kvmalloc_array(keeps, sizeof(void *), BENCH_GFP);
		if (!fill[a].keep) {
			err = -ENOMEM;
			break;
		}
		pages0 = smalloc_pages(false);
		err = scale_fill(a, &fill[a], keeps, tmp);
		if (a == BA_SMALLOC)
			sm_pages = smalloc_pages(false) - pages0;
	}
	kvfree(tmp);

	gen_sizes(imm_sizes, BENCH_IMM_SIZES, SCALE_SIZE, 0, 0);
	for (a = 0; a < BA_NR; a++) {
		ctx[a].a = a;
		ctx[a].gp = fill[a].g.gp;
	}
	row.err = err;
	for (r = 0; r < rounds && !err; r++) {
		for (k = 0; k < BA_NR; k++) {
			const struct bench_ctx *c = &ctx[(r + k) % BA_NR];

			row.v[c->a][r] = run_immediate(c, pairs, SCALE_BUDGET_NS);
			cond_resched();
		}
		row.n = r + 1;
	}
	for (a = 0; a < BA_NR; a++) {
		if (fill[a].keep)
			scale_unfill(a, &fill[a]);
		kvfree(fill[a].keep);
	}
	row_extra(",\"pages\":%lu,\"smalloc_pages\":%lu", pages, sm_pages);
	row_extra(",\"long_lived\":%lu,\"size\":%u,\"budget_ms\":%llu", keeps,
		  SCALE_SIZE, div_u64(SCALE_BUDGET_NS, NSEC_PER_MSEC));
	snprintf(row.note, sizeof(row.note),
		 "%lu smalloc pages of %u B objects with %u B holes; %u B pairs, %llu ms a round (+8 pairs)",
		 sm_pages, SCALE_KEEP, SCALE_HOLE, SCALE_SIZE,
		 div_u64(SCALE_BUDGET_NS, NSEC_PER_MSEC));
	row_emit();
}

static void bench_scale(void)
{
	bench_scale_one("1-page", 1);
	bench_scale_one("1k-pages", scaled(1000, 1));
	bench_scale_one("100k-pages", scaled(100000, 1));
}

/* ---- smp -------------------------------------------------------------------- */

struct smp_worker {
	struct task_struct *task;
	const struct bench_ctx *c;
	unsigned int id;
	unsigned long ops;
	u64 t0, t1;
	bool failed;
	struct completion done;
	void *slots[SMP_SLOTS];
	u32 slot_size[SMP_SLOTS];
};

static struct smp_worker smp_workers[2];
static atomic_t smp_started;
static unsigned int smp_nthreads;

/* Keep SMP_SLOTS objects live, replace one per step: @ops free+alloc pairs. */
static int smp_fn(void *arg)
{
	struct smp_worker *w = arg;
	const struct bench_ctx *c = w->c;
	unsigned long i;
	unsigned int s;

	for (s = 0; s < SMP_SLOTS; s++) {
		w->slot_size[s] = imm_sizes[(s + w->id * 1024) & (BENCH_IMM_SIZES - 1)];
		w->slots[s] = ba_alloc(c, w->slot_size[s]);
		if (!w->slots[s])
			w->failed = true;
	}
	/* Start together: nobody waits on a sleeping sibling's wakeup. */
	atomic_inc(&smp_started);
	while (atomic_read(&smp_started) < smp_nthreads)
		cond_resched();

	w->t0 = ktime_get_ns();
	for (i = 0; i < w->ops && !w->failed; i++) {
		u32 size = imm_sizes[(i + w->id * 2048) & (BENCH_IMM_SIZES - 1)];
		u8 *p;

		s = i & (SMP_SLOTS - 1);
		ba_free(c, w->slots[s], w->slot_size[s]);
		p = ba_alloc(c, size);
		w->slots[s] = p;
		w->slot_size[s] = size;
		if (!p) {
			w->failed = true;
			break;
		}
		*p = i;
		if ((i & 255) == 255)
			cond_resched();
	}
	w->t1 = ktime_get_ns();

	for (s = 0; s < SMP_SLOTS; s++)
		if (w->slots[s])
			ba_free(c, w->slots[s], w->slot_size[s]);
	complete(&w->done);
	/* kthread_stop() reaps us. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Thousandths of pairs per second over all threads, first start to last end. */
static u64 run_smp(const struct bench_ctx *c, unsigned int nthreads,
		   unsigned long ops)
{
	unsigned int t, cpu = cpumask_first(cpu_online_mask), created = 0;
	u64 t0 = U64_MAX, t1 = 0;
	bool failed = false;

	atomic_set(&smp_started, 0);
	smp_nthreads = nthreads;
	for (t = 0; t < nthreads; t++) {
		struct smp_worker *w = &smp_workers[t];

		memset(w, 0, sizeof(*w));
		w->c = c;
		w->id = t;
		w->ops = ops;
		init_completion(&w->done);
		w->task = kthread_create(smp_fn, w, "smalloc_bench/%u", t);
		if (IS_ERR(w->task))
			break;
		kthread_bind(w->task, cpu);
		cpu = cpumask_next(cpu, cpu_online_mask);
		created++;
	}
	if (created < nthreads) {
		/* Never woken: kthread_stop() makes them exit unrun. */
		for (t = 0; t < created; t++)
			kthread_stop(smp_workers[t].task);
		return BENCH_INVALID;
	}
	for (t = 0; t < nthreads; t++)
		wake_up_process(smp_workers[t].task);
	for (t = 0; t < nthreads; t++) {
		struct smp_worker *w = &smp_workers[t];

		wait_for_completion(&w->done);
		kthread_stop(w->task);
		failed |= w->failed;
		t0 = min(t0, w->t0);
		t1 = max(t1, w->t1);
	}
	if (failed || t1 <= t0)
		return BENCH_INVALID;
	return div64_u64((u64)nthreads * ops * NSEC_PER_SEC * 1000, t1 - t0);
}

static void bench_smp(void)
{
	static u64 v[2][BA_NR][BENCH_MAX_ROUNDS];
	unsigned long ops = scaled(SMP_OPS, 256);
	struct bench_ctx ctx[BA_NR] = {
		{ .a = BA_SMALLOC }, { .a = BA_KMALLOC }, { .a = BA_GENALLOC },
	};
	unsigned int r, k, n = 0, cpus;
	struct bench_gp g;
	int err, a;

	/* Live sets of both threads with room for first fit's fragmentation. */
	err = bench_gp_create(&g, 2 * SMP_SLOTS * 512 * 4);
	ctx[BA_GENALLOC].gp = g.gp;
	if (!err && num_online_cpus() < 2)
		err = -ENODEV;
	gen_sizes(imm_sizes, BENCH_IMM_SIZES, 0, 512, BENCH_SEED + 5);
	for (r = 0; r < rounds && !err; r++) {
		for (k = 0; k < BA_NR; k++) {
			const struct bench_ctx *c = &ctx[(r + k) % BA_NR];

			for (cpus = 1; cpus <= 2; cpus++)
				v[cpus - 1][c->a][r] = run_smp(c, cpus, ops);
			cond_resched();
		}
		n = r + 1;
	}
	if (g.gp)
		bench_gp_destroy(&g);

	for (cpus = 1; cpus <= 3; cpus++) {
		if (cpus < 3)
			row_begin("smp", "pairs/s", 0, "%ucpu", cpus);
		else
			row_begin("smp", "x", 3, "2cpu-vs-1cpu");
		row.err = err;
		row.n = n;
		for (a = 0; a < BA_NR; a++)
			for (r = 0; r < n; r++)
				row.v[a][r] = cpus < 3 ? v[cpus - 1][a][r] :
					      ratio_milli(v[1][a][r], v[0][a][r]);
		row_extra(",\"ops_per_thread\":%lu,\"live_per_thread\":%u", ops,
			  SMP_SLOTS);
		if (cpus == 3)
			strscpy(row.note,
				"throughput with 2 CPUs / with 1, per round; s/k, s/g compare those ratios",
				sizeof(row.note));
		row_emit();
	}
}

/* ---- module ------------------------------------------------------------------ */

static void run_group(const char *group, void (*fn)(void))
{
	u64 t0 = ktime_get_ns();

	if (!want(group))
		return;
	fn();
	bench_out("%-7s took %llu s", group, div_u64(ktime_get_ns() - t0, NSEC_PER_SEC));
}

static int __init bench_init(void)
{
	u64 t0 = ktime_get_ns();
	size_t len;

	if (!rounds || rounds > BENCH_MAX_ROUNDS || !scale) {
		pr_err("smalloc_bench: need 1 <= rounds <= %u and scale >= 1\n",
		       BENCH_MAX_ROUNDS);
		return -EINVAL;
	}
	scratch_n = max(scaled(SPEED_LIVE, 16), scaled(DENSITY_OBJECTS, 64));
	imm_sizes = kvmalloc_array(BENCH_IMM_SIZES, sizeof(*imm_sizes), GFP_KERNEL);
	sizes = kvmalloc_array(scratch_n, sizeof(*sizes), GFP_KERNEL);
	order = kvmalloc_array(scratch_n, sizeof(*order), GFP_KERNEL);
	ptrs = kvmalloc_array(scratch_n, sizeof(*ptrs), GFP_KERNEL);
	if (!imm_sizes || !sizes || !order || !ptrs) {
		kvfree(imm_sizes);
		kvfree(sizes);
		kvfree(order);
		kvfree(ptrs);
		return -ENOMEM;
	}

	len = scnprintf(json_buf, sizeof(json_buf),
			"{\"type\":\"meta\",\"bench\":\"smalloc_bench\",\"version\":1");
	len += scnprintf(json_buf + len, sizeof(json_buf) - len,
			 ",\"kernel\":\"%s\",\"cpus\":%u,\"page_size\":%lu",
			 utsname()->release, num_online_cpus(), PAGE_SIZE);
	len += scnprintf(json_buf + len, sizeof(json_buf) - len,
			 ",\"rounds\":%u,\"scale\":%u,\"which\":\"%s\"",
			 rounds, scale, which ?: "");
	scnprintf(json_buf + len, sizeof(json_buf) - len,
		  ",\"values\":\"%s\",\"ratios\":\"%s\"}",
		  "median/min/max over rounds, 3 decimals",
		  "smalloc median / other median");
	bench_json("%s", json_buf);
	bench_out("rounds=%u scale=%u; median [min..max] over rounds", rounds, scale);
	bench_out("s/k, s/g: smalloc median / kmalloc, genalloc median");
	bench_out("%-7s %-22s %-8s %-30s %-30s %-30s %7s %7s", "group", "row",
		  "unit", "smalloc", "kmalloc", "genalloc", "s/k", "s/g");

	run_group("speed", bench_speed);
	run_group("density", bench_density);
	run_group("scale", bench_scale);
	run_group("smp", bench_smp);

	bench_out("done: %u rows, %u incomplete, %llu s", rows_emitted, rows_failed,
		  div_u64(ktime_get_ns() - t0, NSEC_PER_SEC));
	bench_json("{\"type\":\"end\",\"rows\":%u,\"incomplete_rows\":%u,\"seconds\":%llu}",
		   rows_emitted, rows_failed,
		   div_u64(ktime_get_ns() - t0, NSEC_PER_SEC));
	kvfree(imm_sizes);
	kvfree(sizes);
	kvfree(order);
	kvfree(ptrs);
	return 0;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("smalloc_bench: smalloc against kmalloc and genalloc");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
