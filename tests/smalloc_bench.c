// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_bench - smalloc against kmalloc and genalloc, on a real kernel.
 *
 * Loading the module runs the benchmark; insmod returns when it is over
 * (minutes at scale=1 under QEMU TCG). Five groups of rows:
 *
 *  speed    ns per alloc+free pair: fixed sizes and uniform 1..512, either
 *           freed at once or as a live set of 10k objects freed in a
 *           shuffled order;
 *  replay   ns per operation replaying real kmalloc/kfree traces (files
 *           named by @traces, from scripts/capture-traces.sh) through
 *           smalloc and kmalloc in turns of @chunk operations, and both
 *           allocators' bytes held at the trace's live peak;
 *  density  bytes held / bytes requested for 100k live objects, after the
 *           fill and after 1M replace-one-object steps;
 *  scale    ns per pair with 1, 1k and 100k smalloc pages held by
 *           long-lived objects that leave only holes too small to use;
 *  smp      pairs per second with one and with two CPUs at once, and with
 *           objects allocated on one CPU and freed on the other.
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
 * which (comma-separated groups to run; all if unset), traces and chunk
 * (the replay group), label (a name for the run, e.g. the QEMU CPU model,
 * printed with the kernel's own view of the CPU and init policy).
 *
 * The replay group leaves its traces loaded until rmmod, for debugfs:
 * writing "N kmalloc" or "N smalloc" to /sys/kernel/debug/smalloc_bench/hold
 * replays trace N up to its live peak and keeps those objects; reading the
 * file then says what is held, and "release" frees them. scripts/guest/
 * bench.sh measures kmalloc's slabs in /proc/slabinfo around it. The init function
 * returns 0 when the benchmark ran, even if some rows could not (they are
 * marked in the output), so the module stays loaded until rmmod; it fails
 * only on bad parameters or when its own buffers cannot be allocated.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/kernel_read_file.h>
#include <linux/genalloc.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#ifdef CONFIG_X86
#include <asm/processor.h>
#endif

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
MODULE_PARM_DESC(which, "Comma-separated groups: speed,replay,density,scale,smp (default all)");
static char *traces;
module_param(traces, charp, 0444);
MODULE_PARM_DESC(traces, "Comma-separated replay files (scripts/trace2replay.py) for the replay group");
static unsigned int chunk = 4096;
module_param(chunk, uint, 0444);
MODULE_PARM_DESC(chunk, "Replay operations per turn of one allocator (default 4096)");
static char *label;
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "Name of the run (e.g. the QEMU CPU model), printed with the results");

enum bench_alloc { BA_SMALLOC, BA_KMALLOC, BA_GENALLOC, BA_NR };

static const char * const ba_names[BA_NR] = { "smalloc", "kmalloc", "genalloc" };

struct bench_ctx {
	enum bench_alloc a;
	struct gen_pool *gp;
};

/* A switch, not function pointers: no retpoline in the timed loops. */
static __always_inline void *ba_alloc_gfp(const struct bench_ctx *c,
					  size_t size, gfp_t gfp)
{
	switch (c->a) {
	case BA_SMALLOC:
		return smalloc_alloc(size, gfp);
	case BA_KMALLOC:
		return kmalloc(size, gfp);
	default:
		return (void *)gen_pool_alloc(c->gp, size);
	}
}

static __always_inline void *ba_alloc(const struct bench_ctx *c, size_t size)
{
	return ba_alloc_gfp(c, size, BENCH_GFP);
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
	bool no_genalloc;		/* a row of smalloc and kmalloc only */
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

static const char *bench_cpu_model(void)
{
#ifdef CONFIG_X86
	return boot_cpu_data.x86_model_id;
#else
	return "";
#endif
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
	char col[BA_NR][40], r_k[24], r_g[24];
	char b1[24], b2[24], b3[24];
	size_t len;
	u64 med[BA_NR], rk, rg;
	int a;

	for (a = 0; a < BA_NR; a++) {
		ok[a] = row_stat(a, &st[a]);
		med[a] = ok[a] ? st[a].med : BENCH_INVALID;
		if (a == BA_GENALLOC && row.no_genalloc) {
			ok[a] = true;
			med[a] = BENCH_INVALID;
			strscpy(col[a], "-", sizeof(col[a]));
			continue;
		}
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
		if (!ok[a] || med[a] == BENCH_INVALID) {
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
	{ "fixed-4096", 4096, 0 },
	{ "fixed-16384", 16384, 0 },
	{ "rand-1-512", 0, 512 },
};

/* genalloc's first fit over 10k objects of a page or more: minutes a row. */
#define SPEED_GENALLOC_MAX	3000

static void bench_speed_one(const struct size_spec *ss)
{
	unsigned int live = scaled(SPEED_LIVE, 16), r, k, pattern;
	unsigned long pairs = scaled(SPEED_PAIRS, 64);
	struct bench_ctx ctx[BA_NR] = {
		{ .a = BA_SMALLOC }, { .a = BA_KMALLOC }, { .a = BA_GENALLOC },
	};
	struct bench_gp g = {};
	u32 max = ss->fixed ?: ss->rand_max;
	bool no_gp = max > SPEED_GENALLOC_MAX;
	int err = 0;

	/* Enough for the live set packed by first fit, plus one page. */
	if (!no_gp)
		err = bench_gp_create(&g, (size_t)live * ALIGN(max, 8) + PAGE_SIZE);
	ctx[BA_GENALLOC].gp = g.gp;
	gen_sizes(imm_sizes, BENCH_IMM_SIZES, ss->fixed, ss->rand_max, BENCH_SEED);
	gen_sizes(sizes, live, ss->fixed, ss->rand_max, BENCH_SEED + 1);
	gen_order(order, live, BENCH_SEED + 2);

	for (pattern = 0; pattern < 2; pattern++) {
		row_begin("speed", "ns/pair", 1, "%s-%s", ss->name,
			  pattern ? "live10k" : "immediate");
		row.err = err;
		row.no_genalloc = no_gp;
		for (r = 0; r < rounds && !err; r++) {
			for (k = 0; k < BA_NR; k++) {
				const struct bench_ctx *c = &ctx[(r + k) % BA_NR];

				if (c->a == BA_GENALLOC && no_gp)
					continue;
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
	bench_gp_destroy(&g);
}

static void bench_speed(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(speed_specs); i++)
		bench_speed_one(&speed_specs[i]);
}

/* ---- replay ----------------------------------------------------------------- */

/*
 * A replay file (scripts/trace2replay.py): a header, then per operation a
 * word (slot, REPLAY_ZERO for __GFP_ZERO, REPLAY_FREE for a free) and the
 * size asked for. Slots are indices into a table of live objects.
 */
#define REPLAY_MAGIC		0x50524d53	/* "SMRP" */
#define REPLAY_FREE		BIT(31)
#define REPLAY_ZERO		BIT(30)
#define REPLAY_SLOT		(BIT(30) - 1)
#define REPLAY_MAX_TRACES	8
#define REPLAY_MAX_BYTES	(64 << 20)

struct replay_hdr {
	__le32 magic, version, nr_ops, nr_slots;
};

struct replay_op {
	__le32 word, size;
};

struct replay {
	char name[32];
	void *buf;			/* the whole file */
	const struct replay_op *ops;
	u32 nr_ops, nr_slots;
	u32 peak_ops;			/* operations up to the live peak */
	u64 peak_bytes;			/* bytes asked for and live then */
	u32 peak_objects;
	u32 allocs, zeroed, page_sized, large;	/* page_sized: exactly 4096 */
};

static struct replay replays[REPLAY_MAX_TRACES];
static unsigned int nr_replays;
static void **replay_tab[2];	/* live objects by slot: smalloc's, kmalloc's */
static u32 replay_tab_n;

/* Check every operation against the slots live, and find the live peak. */
static int replay_parse(struct replay *rp, size_t len)
{
	const struct replay_hdr *h = rp->buf;
	u32 i, objects = 0, *slot_size;
	u64 bytes = 0;
	int err = 0;

	if (len < sizeof(*h) || le32_to_cpu(h->magic) != REPLAY_MAGIC ||
	    le32_to_cpu(h->version) != 1)
		return -EINVAL;
	rp->nr_ops = le32_to_cpu(h->nr_ops);
	rp->nr_slots = le32_to_cpu(h->nr_slots);
	if (len != sizeof(*h) + (size_t)rp->nr_ops * sizeof(struct replay_op) ||
	    rp->nr_slots > REPLAY_SLOT)
		return -EINVAL;
	rp->ops = (const void *)(h + 1);
	/* The size of each slot's live object; 0 when the slot is free. */
	slot_size = kvcalloc(rp->nr_slots, sizeof(*slot_size), GFP_KERNEL);
	if (!slot_size)
		return -ENOMEM;
	for (i = 0; i < rp->nr_ops && !err; i++) {
		u32 w = le32_to_cpu(rp->ops[i].word), slot = w & REPLAY_SLOT;
		u32 size = le32_to_cpu(rp->ops[i].size);

		if (slot >= rp->nr_slots) {
			err = -EINVAL;
		} else if (w & REPLAY_FREE) {
			if (!slot_size[slot])
				err = -EINVAL;
			bytes -= slot_size[slot];
			slot_size[slot] = 0;
			objects--;
		} else if (slot_size[slot] || !size || size > KMALLOC_MAX_SIZE) {
			err = -EINVAL;
		} else {
			slot_size[slot] = size;
			bytes += size;
			objects++;
			rp->allocs++;
			rp->zeroed += !!(w & REPLAY_ZERO);
			rp->page_sized += size == PAGE_SIZE;
			rp->large += size > SM_MAX_SMALL;
			if (bytes > rp->peak_bytes) {
				rp->peak_bytes = bytes;
				rp->peak_ops = i + 1;
				rp->peak_objects = objects;
			}
		}
	}
	kvfree(slot_size);
	return err;
}

static void replay_load_one(const char *path)
{
	struct replay *rp = &replays[nr_replays];
	const char *base = strrchr(path, '/');
	size_t file_size;
	ssize_t len;
	int err;

	if (nr_replays == REPLAY_MAX_TRACES)
		return;
	memset(rp, 0, sizeof(*rp));
	strscpy(rp->name, base ? base + 1 : path, sizeof(rp->name));
	if (strchr(rp->name, '.'))
		*strchr(rp->name, '.') = 0;
	/* Not READING_UNKNOWN: 6.12's IPE warns of reads of unknown kind. */
	len = kernel_read_file_from_path(path, 0, &rp->buf, REPLAY_MAX_BYTES,
					 &file_size, READING_FIRMWARE);
	if (len < 0) {
		bench_out("replay: cannot read %s: %zd", path, len);
		return;
	}
	err = replay_parse(rp, len);
	if (err) {
		bench_out("replay: %s is not a replay file: %d", path, err);
		vfree(rp->buf);
		return;
	}
	replay_tab_n = max(replay_tab_n, rp->nr_slots);
	nr_replays++;
}

static void replay_load(void)
{
	char *list, *cur, *path;

	if (!traces || !*traces)
		return;
	list = kstrdup(traces, GFP_KERNEL);
	for (cur = list; list && (path = strsep(&cur, ","));)
		if (*path)
			replay_load_one(path);
	kfree(list);
	if (!nr_replays)
		return;
	replay_tab[0] = kvcalloc(replay_tab_n, sizeof(void *), GFP_KERNEL);
	replay_tab[1] = kvcalloc(replay_tab_n, sizeof(void *), GFP_KERNEL);
	if (!replay_tab[0] || !replay_tab[1]) {
		kvfree(replay_tab[0]);
		kvfree(replay_tab[1]);
		replay_tab[0] = NULL;
		replay_tab[1] = NULL;
	}
}

static void replay_unload(void)
{
	unsigned int i;

	for (i = 0; i < nr_replays; i++)
		vfree(replays[i].buf);
	nr_replays = 0;
	kvfree(replay_tab[0]);
	kvfree(replay_tab[1]);
}

/* Operations [from, to) of @rp through @c into @tab; false if one failed. */
static bool replay_run(const struct bench_ctx *c, void **tab,
		       const struct replay *rp, u32 from, u32 to)
{
	bool ok = true;
	u32 i;

	for (i = from; i < to; i++) {
		u32 w = le32_to_cpu(rp->ops[i].word), slot = w & REPLAY_SLOT;
		u8 *p;

		if (w & REPLAY_FREE) {
			ba_free(c, tab[slot], 0);
			tab[slot] = NULL;
			continue;
		}
		p = ba_alloc_gfp(c, le32_to_cpu(rp->ops[i].size),
				 BENCH_GFP | (w & REPLAY_ZERO ? __GFP_ZERO : 0));
		tab[slot] = p;
		if (likely(p))
			*p = i;
		else
			ok = false;
	}
	return ok;
}

static void replay_free_all(const struct bench_ctx *c, void **tab, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		ba_free(c, tab[i], 0);
		tab[i] = NULL;
		if ((i & 1023) == 1023)
			cond_resched();
	}
}

/* Bytes smalloc holds: its pages, large objects' and cached ones, infos. */
static u64 smalloc_held_bytes(void)
{
	struct smalloc_stats st;

	smalloc_stats_snapshot(NULL, &st);
	return (sm_stat(st, PAGES) + sm_stat(st, LARGE_PAGES) +
		sm_stat(st, LARGE_CACHED_PAGES)) * PAGE_SIZE +
	       sm_stat(st, PAGES) * sizeof(struct smalloc_page_info);
}

static u64 smalloc_cached_bytes(void)
{
	struct smalloc_stats st;

	smalloc_stats_snapshot(NULL, &st);
	return sm_stat(st, LARGE_CACHED_PAGES) * PAGE_SIZE;
}

/* What "hold" keeps: one allocator's objects at one trace's live peak. */
static DEFINE_MUTEX(hold_lock);
static struct {
	struct replay *rp;
	struct bench_ctx c;
	u64 held;		/* smalloc: growth of its pages; kmalloc: ksize() */
	s64 large;		/* smalloc: its cache's growth; kmalloc: past slabs */
	bool failed;
} hold;

/*
 * Replay @rp to its live peak through @a. Return the bytes held: the growth
 * of smalloc's pages, of which @large is the growth (or, < 0, the shrinking)
 * of its large-page cache; or kmalloc's ksize() sum, of which @large is in
 * objects too big for kmalloc's slabs (pages of their own, not in
 * /proc/slabinfo).
 */
static u64 replay_to_peak(struct replay *rp, enum bench_alloc a, bool *failed,
			  s64 *large)
{
	struct bench_ctx c = { .a = a };
	void **tab = replay_tab[a == BA_KMALLOC];
	u64 before = smalloc_held_bytes(), cached = smalloc_cached_bytes();
	u64 held = 0;
	size_t ks;
	u32 i;

	*large = 0;
	*failed = !replay_run(&c, tab, rp, 0, rp->peak_ops);
	if (a == BA_SMALLOC) {
		*large = (s64)smalloc_cached_bytes() - (s64)cached;
		return smalloc_held_bytes() - before;
	}
	for (i = 0; i < rp->nr_slots; i++) {
		if (!tab[i])
			continue;
		ks = ksize(tab[i]);
		held += ks;
		if (ks > KMALLOC_MAX_CACHE_SIZE)
			*large += ks;
	}
	return held;
}

static void hold_release(void)
{
	if (!hold.rp)
		return;
	replay_free_all(&hold.c, replay_tab[hold.c.a == BA_KMALLOC],
			hold.rp->nr_slots);
	hold.rp = NULL;
}

static ssize_t hold_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char buf[32], what[16];
	unsigned int n;
	int ret = len;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = 0;
	mutex_lock(&hold_lock);
	hold_release();
	if (sscanf(buf, "%u %15s", &n, what) == 2) {
		if (n >= nr_replays || !replay_tab[0] ||
		    (strcmp(what, "kmalloc") && strcmp(what, "smalloc"))) {
			ret = -EINVAL;
		} else {
			hold.rp = &replays[n];
			hold.c.a = strcmp(what, "kmalloc") ? BA_SMALLOC : BA_KMALLOC;
			hold.held = replay_to_peak(hold.rp, hold.c.a,
						   &hold.failed, &hold.large);
		}
	} else if (!sysfs_streq(buf, "release")) {
		ret = -EINVAL;
	}
	mutex_unlock(&hold_lock);
	return ret;
}

static ssize_t hold_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char buf[200];
	int n = 0;

	mutex_lock(&hold_lock);
	if (hold.rp)
		n = scnprintf(buf, sizeof(buf),
			      "trace=%s alloc=%s requested=%llu objects=%u held=%llu %s=%lld failed=%d\n",
			      hold.rp->name, ba_names[hold.c.a],
			      hold.rp->peak_bytes, hold.rp->peak_objects, hold.held,
			      hold.c.a == BA_KMALLOC ? "large" : "cached",
			      hold.large, hold.failed);
	else
		n = scnprintf(buf, sizeof(buf), "none\n");
	mutex_unlock(&hold_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hold_fops = {
	.owner	= THIS_MODULE,
	.read	= hold_read,
	.write	= hold_write,
	.llseek	= default_llseek,
};

static struct dentry *bench_debugfs;

static void bench_replay_one(struct replay *rp)
{
	static u64 ratio[BENCH_MAX_ROUNDS];
	const struct bench_ctx ctx[2] = { { .a = BA_SMALLOC }, { .a = BA_KMALLOC } };
	u32 nr = max_t(u32, min_t(u32, rp->nr_ops, 2000), rp->nr_ops / scale);
	u64 t[2], held[2], ks_peak;
	s64 large;
	bool failed = false, f;
	char b1[24], b2[24], b3[24];
	struct bench_stat rs;
	unsigned int r, k;
	u32 from, to;

	row_begin("replay", "ns/op", 1, "%s", rp->name);
	row.no_genalloc = true;
	for (r = 0; r < rounds && !failed; r++) {
		t[0] = 0;
		t[1] = 0;
		for (from = 0; from < nr; from = to) {
			to = min(from + chunk, nr);
			/* Who goes first alternates by chunk and by round. */
			for (k = 0; k < 2; k++) {
				unsigned int a = (k + from / chunk + r) & 1;
				u64 t0 = ktime_get_ns();

				failed |= !replay_run(&ctx[a], replay_tab[a], rp,
						      from, to);
				t[a] += ktime_get_ns() - t0;
			}
			cond_resched();
		}
		for (k = 0; k < 2; k++)
			replay_free_all(&ctx[k], replay_tab[k], rp->nr_slots);
		row.v[BA_SMALLOC][r] = div64_u64(t[0] * 1000, nr);
		row.v[BA_KMALLOC][r] = div64_u64(t[1] * 1000, nr);
		ratio[r] = ratio_milli(t[0], t[1]);
		row.n = r + 1;
	}
	row.err = failed ? -ENOMEM : 0;
	/* The ratio of each round's totals: both saw the same host noise. */
	memcpy(row.v[BA_GENALLOC], ratio, sizeof(ratio));
	row.no_genalloc = false;
	if (!row_stat(BA_GENALLOC, &rs)) {
		rs.med = BENCH_INVALID;
		rs.min = BENCH_INVALID;
		rs.max = BENCH_INVALID;
	}
	row.no_genalloc = true;
	row_extra(",\"ops\":%u,\"chunk\":%u,\"round_ratio\":{\"median\":%s,\"min\":%s,\"max\":%s}",
		  nr, chunk, fmt_fixed(b1, sizeof(b1), rs.med, 3, "null"),
		  fmt_fixed(b2, sizeof(b2), rs.min, 3, "null"),
		  fmt_fixed(b3, sizeof(b3), rs.max, 3, "null"));
	row_extra(",\"allocs\":%u,\"zeroed\":%u,\"page_sized\":%u,\"large\":%u",
		  rp->allocs, rp->zeroed, rp->page_sized, rp->large);
	snprintf(row.note, sizeof(row.note),
		 "s/k of each round's totals: %s [%s..%s]; %u ops in turns of %u",
		 b1, b2, b3, nr, chunk);
	snprintf(row.note2, sizeof(row.note2),
		 "%u allocs: %u%% zeroed, %u%% exactly %lu B, %u%% past %lu B",
		 rp->allocs, rp->zeroed * 100 / max(rp->allocs, 1U),
		 rp->page_sized * 100 / max(rp->allocs, 1U), PAGE_SIZE,
		 rp->large * 100 / max(rp->allocs, 1U), SM_MAX_SMALL);
	row_emit();

	/* Bytes held at the live peak: smalloc's pages, kmalloc's ksize(). */
	row_begin("replay", "held/req", 3, "%s-peak", rp->name);
	row.no_genalloc = true;
	row.n = 1;
	held[0] = replay_to_peak(rp, BA_SMALLOC, &f, &large);
	failed = f;
	held[1] = replay_to_peak(rp, BA_KMALLOC, &f, &large);
	failed |= f;
	ks_peak = held[1];
	for (k = 0; k < 2; k++)
		replay_free_all(&ctx[k], replay_tab[k], rp->nr_slots);
	row.err = failed ? -ENOMEM : 0;
	row.v[BA_SMALLOC][0] = div64_u64(held[0] * 1000, rp->peak_bytes);
	row.v[BA_KMALLOC][0] = div64_u64(ks_peak * 1000, rp->peak_bytes);
	row_extra(",\"peak_bytes\":%llu,\"peak_objects\":%u", rp->peak_bytes,
		  rp->peak_objects);
	row_extra(",\"smalloc_held\":%llu,\"kmalloc_ksize\":%llu", held[0], ks_peak);
	snprintf(row.note, sizeof(row.note),
		 "%llu B in %u objects live at the peak; smalloc: pages grown; kmalloc: ksize() sum (slabs: guest script)",
		 rp->peak_bytes, rp->peak_objects);
	row_emit();
}

static void bench_replay(void)
{
	unsigned int i;

	if (!replay_tab[0]) {
		bench_out("replay: no traces loaded (traces=%s)", traces ?: "");
		return;
	}
	for (i = 0; i < nr_replays; i++)
		bench_replay_one(&replays[i]);
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
	char ext[24];
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

/*
 * Objects allocated on one CPU and freed on the other, handed over through
 * a ring: what a free from another CPU costs, which a per-CPU fast path
 * has to make cheap too. Worker 0 allocates, worker 1 frees.
 */
#define SMP_RING	1024

static struct {
	void *obj[SMP_RING];
	u32 size[SMP_RING];
	unsigned long head;	/* objects put in */
	unsigned long tail;	/* objects taken out */
	bool failed;		/* no more will come */
} smp_ring;

static void smp_remote_one(struct smp_worker *w, unsigned long i)
{
	unsigned int k = i & (SMP_RING - 1);
	u32 size;
	u8 *p;

	if (w->id) {
		/*
		 * Until the producer stops, every object it made is freed.
		 * Pairs with the producer's release: slot k is written.
		 */
		while (smp_load_acquire(&smp_ring.head) <= i) {
			if (READ_ONCE(smp_ring.failed)) {
				w->failed = true;
				return;
			}
			cond_resched();
		}
		ba_free(w->c, smp_ring.obj[k], smp_ring.size[k]);
		/* Slot k read before the producer may reuse it. */
		smp_store_release(&smp_ring.tail, i + 1);
		return;
	}
	/* Pairs with the consumer's release: slot k is read and free. */
	while (i - smp_load_acquire(&smp_ring.tail) >= SMP_RING)
		cond_resched();
	size = imm_sizes[i & (BENCH_IMM_SIZES - 1)];
	p = ba_alloc(w->c, size);
	if (!p) {
		w->failed = true;
		WRITE_ONCE(smp_ring.failed, true);
		return;
	}
	*p = i;
	smp_ring.obj[k] = p;
	smp_ring.size[k] = size;
	/* Slot k written before the consumer sees it. */
	smp_store_release(&smp_ring.head, i + 1);
}

static int smp_remote_fn(void *arg)
{
	struct smp_worker *w = arg;
	unsigned long i;

	atomic_inc(&smp_started);
	while (atomic_read(&smp_started) < smp_nthreads)
		cond_resched();
	w->t0 = ktime_get_ns();
	for (i = 0; i < w->ops && !w->failed; i++) {
		smp_remote_one(w, i);
		if ((i & 255) == 255)
			cond_resched();
	}
	w->t1 = ktime_get_ns();
	complete(&w->done);
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * Thousandths of operations per second over all threads, first start to
 * last end: each of @nthreads threads running @fn does @ops of them.
 */
static u64 run_smp(const struct bench_ctx *c, unsigned int nthreads,
		   unsigned long ops, int (*fn)(void *))
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
		w->task = kthread_create(fn, w, "smalloc_bench/%u", t);
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
	static u64 v[3][BA_NR][BENCH_MAX_ROUNDS];
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
				v[cpus - 1][c->a][r] = run_smp(c, cpus, ops, smp_fn);
			/* Each pair is half a thread's work on either CPU. */
			if (c->a != BA_GENALLOC) {
				memset(&smp_ring, 0, sizeof(smp_ring));
				v[2][c->a][r] = run_smp(c, 2, ops, smp_remote_fn);
				if (v[2][c->a][r] != BENCH_INVALID)
					v[2][c->a][r] /= 2;
			}
			cond_resched();
		}
		n = r + 1;
	}
	if (g.gp)
		bench_gp_destroy(&g);

	for (cpus = 1; cpus <= 4; cpus++) {
		if (cpus < 3)
			row_begin("smp", "pairs/s", 0, "%ucpu", cpus);
		else if (cpus == 3)
			row_begin("smp", "x", 3, "2cpu-vs-1cpu");
		else
			row_begin("smp", "pairs/s", 0, "2cpu-remote-free");
		row.err = err;
		row.n = n;
		row.no_genalloc = cpus == 4;
		for (a = 0; a < BA_NR; a++)
			for (r = 0; r < n; r++)
				row.v[a][r] = cpus == 4 ? v[2][a][r] :
					      cpus < 3 ? v[cpus - 1][a][r] :
					      ratio_milli(v[1][a][r], v[0][a][r]);
		row_extra(",\"ops_per_thread\":%lu,\"live_per_thread\":%u", ops,
			  SMP_SLOTS);
		if (cpus == 3)
			strscpy(row.note,
				"throughput with 2 CPUs / with 1, per round; s/k, s/g compare those ratios",
				sizeof(row.note));
		if (cpus == 4)
			snprintf(row.note, sizeof(row.note),
				 "allocated on one CPU, freed on the other through a ring of %u",
				 SMP_RING);
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

	if (!rounds || rounds > BENCH_MAX_ROUNDS || !scale || !chunk) {
		pr_err("smalloc_bench: need 1 <= rounds <= %u, scale >= 1 and chunk >= 1\n",
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
	len += scnprintf(json_buf + len, sizeof(json_buf) - len,
			 ",\"label\":\"%s\",\"cpu_model\":\"%s\",\"init_on_alloc\":%d,\"init_on_free\":%d",
			 label ?: "", bench_cpu_model(), want_init_on_alloc(GFP_KERNEL),
			 want_init_on_free());
	scnprintf(json_buf + len, sizeof(json_buf) - len,
		  ",\"values\":\"%s\",\"ratios\":\"%s\"}",
		  "median/min/max over rounds, 3 decimals",
		  "smalloc median / other median");
	bench_json("%s", json_buf);
	bench_out("run %s: cpu \"%s\", %u cpus, kernel %s, init_on_alloc=%d init_on_free=%d",
		  label ?: "-", bench_cpu_model(), num_online_cpus(),
		  utsname()->release, want_init_on_alloc(GFP_KERNEL),
		  want_init_on_free());
	bench_out("rounds=%u scale=%u; median [min..max] over rounds", rounds, scale);
	bench_out("s/k, s/g: smalloc median / kmalloc, genalloc median");
	bench_out("%-7s %-22s %-8s %-30s %-30s %-30s %7s %7s", "group", "row",
		  "unit", "smalloc", "kmalloc", "genalloc", "s/k", "s/g");
	if (want("replay"))
		replay_load();

	run_group("speed", bench_speed);
	run_group("replay", bench_replay);
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
	/* The traces stay for "hold" until rmmod. */
	bench_debugfs = debugfs_create_dir("smalloc_bench", NULL);
	debugfs_create_file("hold", 0600, bench_debugfs, NULL, &hold_fops);
	return 0;
}

static void __exit bench_exit(void)
{
	debugfs_remove_recursive(bench_debugfs);
	mutex_lock(&hold_lock);
	hold_release();
	mutex_unlock(&hold_lock);
	replay_unload();
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("smalloc_bench: smalloc against kmalloc and genalloc");
MODULE_AUTHOR("The smalloc developers");
MODULE_LICENSE("Dual MIT/GPL");
