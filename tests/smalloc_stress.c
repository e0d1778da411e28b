// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smalloc_stress - concurrent allocate/verify/free load for smalloc.
 *
 * Loading the module runs the test and returns when it is over, so
 * "insmod smalloc_stress.ko seconds=N" blocks for about N seconds:
 *
 *  - one kthread per online CPU keeps STRESS_SLOTS live objects with
 *    GFP_KERNEL and replaces a random one per step (random sizes of
 *    1..5000 bytes, mostly small, so random lifetimes);
 *  - a self-rearming timer allocates and frees with GFP_ATOMIC in softirq
 *    context at the same time;
 *  - threads and the timer pass objects to each other through a small
 *    shared pool, so objects are also freed on another CPU and in another
 *    context than the one that allocated them.
 *
 * Every object is filled, up to smalloc_size(), with a pattern derived from
 * its own sequence number and checked before it is freed.  The result is
 * printed as one line, "smalloc_stress: ops=N mismatches=M failures=F
 * atomic_ops=A atomic_failures=B threads=T seconds=S".  The init function
 * returns 0 when there were no mismatches and no failures (failed
 * GFP_ATOMIC allocations are allowed), so the module stays loaded until
 * rmmod, and -EINVAL otherwise: a failed insmod is the test's verdict.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "smalloc_core.h"

#define STRESS_SLOTS		512	/* live objects per thread */
#define STRESS_SHARED		32	/* objects in the cross-context pool */
#define STRESS_TIMER_SLOTS	64	/* live objects of the timer */
#define STRESS_MAX_SIZE		5000

static unsigned int seconds = 5;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "How long to run, in seconds (default 5)");

struct stress_obj {
	u8 *p;
	size_t size;		/* usable size, as smalloc_size() said */
	u64 seq;
};

struct stress_thread {
	struct task_struct *task;
	struct completion done;
	u32 rnd;
	struct stress_obj slots[STRESS_SLOTS];
};

static atomic64_t stress_seq = ATOMIC64_INIT(0);
/* Allocations plus frees done. */
static atomic_long_t stress_ops = ATOMIC_LONG_INIT(0);
/* Objects whose pattern was damaged or not zeroed: must be 0. */
static atomic_long_t stress_mismatches = ATOMIC_LONG_INIT(0);
/* Failed GFP_KERNEL allocations, bad sizes, threads not started: must be 0. */
static atomic_long_t stress_failures = ATOMIC_LONG_INIT(0);
/* GFP_ATOMIC allocations tried from the timer, and those that failed (allowed). */
static atomic_long_t stress_atomic_ops = ATOMIC_LONG_INIT(0);
static atomic_long_t stress_atomic_failures = ATOMIC_LONG_INIT(0);

static DEFINE_SPINLOCK(shared_lock);
static struct stress_obj shared[STRESS_SHARED];

static struct timer_list stress_timer;
static bool stress_stopping;
static u32 timer_rnd;
static struct stress_obj timer_slots[STRESS_TIMER_SLOTS];

/* xorshift32: cheap and good enough to pick sizes and slots. */
static u32 stress_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Mostly small objects, some medium, a few large ones. */
static size_t stress_size(u32 *rnd)
{
	u32 r = stress_rand(rnd);

	switch (r % 20) {
	case 0:
		return 1025 + (r >> 8) % (STRESS_MAX_SIZE - 1024);
	case 1 ... 4:
		return 129 + (r >> 8) % 896;
	default:
		return 1 + (r >> 8) % 128;
	}
}

static u8 stress_byte(u64 seq, size_t i)
{
	return (u8)(seq * 0x9e3779b1u + i + (i >> 8));
}

static void stress_fill(struct stress_obj *o)
{
	size_t i;

	for (i = 0; i < o->size; i++)
		o->p[i] = stress_byte(o->seq, i);
}

static bool stress_alloc(struct stress_obj *o, u32 *rnd, gfp_t gfp)
{
	size_t want = stress_size(rnd);
	bool zero = !(stress_rand(rnd) % 8);
	size_t i;

	if (zero)
		gfp |= __GFP_ZERO;
	o->p = smalloc_alloc(want, gfp);
	atomic_long_inc(&stress_ops);
	if (!o->p) {
		if (gfp & __GFP_DIRECT_RECLAIM)
			atomic_long_inc(&stress_failures);
		else
			atomic_long_inc(&stress_atomic_failures);
		return false;
	}
	o->size = smalloc_size(o->p);
	if (o->size < want || !IS_ALIGNED((unsigned long)o->p, SMALLOC_ALIGN)) {
		pr_err("bad object: %zu bytes asked, %zu usable, misaligned %d\n",
		       want, o->size,
		       !IS_ALIGNED((unsigned long)o->p, SMALLOC_ALIGN));
		atomic_long_inc(&stress_failures);
		o->size = min(o->size, want);
	}
	if (zero) {
		for (i = 0; i < want; i++) {
			if (o->p[i]) {
				pr_err("__GFP_ZERO object of %zu bytes not zeroed at %zu\n",
				       want, i);
				atomic_long_inc(&stress_mismatches);
				break;
			}
		}
	}
	o->seq = atomic64_inc_return(&stress_seq);
	stress_fill(o);
	return true;
}

/* Check the pattern, then free; an empty slot is left alone. */
static void stress_release(struct stress_obj *o)
{
	size_t i;

	if (!o->p)
		return;
	for (i = 0; i < o->size; i++) {
		if (o->p[i] != stress_byte(o->seq, i)) {
			pr_err("object %llu (%zu bytes) damaged at offset %zu\n",
			       o->seq, o->size, i);
			atomic_long_inc(&stress_mismatches);
			break;
		}
	}
	smalloc_free(o->p);
	atomic_long_inc(&stress_ops);
	o->p = NULL;
}

/* Swap @o with a random entry of the shared pool. */
static void stress_swap_shared(struct stress_obj *o, u32 *rnd)
{
	unsigned int i = stress_rand(rnd) % STRESS_SHARED;
	unsigned long flags;

	spin_lock_irqsave(&shared_lock, flags);
	swap(*o, shared[i]);
	spin_unlock_irqrestore(&shared_lock, flags);
}

static void stress_timer_fn(struct timer_list *t)
{
	int n;

	for (n = 0; n < 8; n++) {
		struct stress_obj *o;

		o = &timer_slots[stress_rand(&timer_rnd) % STRESS_TIMER_SLOTS];
		if (!(stress_rand(&timer_rnd) % 4))
			stress_swap_shared(o, &timer_rnd);
		stress_release(o);
		stress_alloc(o, &timer_rnd, GFP_ATOMIC | __GFP_NOWARN);
		atomic_long_inc(&stress_atomic_ops);
	}
	if (!READ_ONCE(stress_stopping))
		mod_timer(&stress_timer, jiffies + 1);
}

static int stress_thread_fn(void *data)
{
	struct stress_thread *st = data;
	unsigned long end = jiffies + seconds * HZ;
	unsigned int i;

	while (time_before(jiffies, end) && !kthread_should_stop()) {
		struct stress_obj *o;

		o = &st->slots[stress_rand(&st->rnd) % STRESS_SLOTS];
		if (!(stress_rand(&st->rnd) % 16))
			stress_swap_shared(o, &st->rnd);
		stress_release(o);
		stress_alloc(o, &st->rnd, GFP_KERNEL);
		cond_resched();
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		stress_release(&st->slots[i]);
	complete(&st->done);

	/* kthread_stop() needs the task to still exist: wait for it. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int __init smalloc_stress_init(void)
{
	unsigned long mismatches, failures;
	struct stress_thread *threads;
	unsigned int cpu, n = 0, i;

	threads = kvcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;

	timer_rnd = get_random_u32() | 1;
	timer_setup(&stress_timer, stress_timer_fn, 0);
	mod_timer(&stress_timer, jiffies + 1);

	for_each_online_cpu(cpu) {
		struct stress_thread *st = &threads[n];

		init_completion(&st->done);
		st->rnd = get_random_u32() | 1;
		st->task = kthread_create_on_cpu(stress_thread_fn, st, cpu,
						 "smalloc_stress/%u");
		if (IS_ERR(st->task)) {
			pr_err("cannot start thread on CPU %u\n", cpu);
			atomic_long_inc(&stress_failures);
			continue;
		}
		wake_up_process(st->task);
		n++;
	}

	for (i = 0; i < n; i++) {
		wait_for_completion(&threads[i].done);
		kthread_stop(threads[i].task);
	}

	WRITE_ONCE(stress_stopping, true);
	timer_shutdown_sync(&stress_timer);
	for (i = 0; i < STRESS_TIMER_SLOTS; i++)
		stress_release(&timer_slots[i]);
	for (i = 0; i < STRESS_SHARED; i++)
		stress_release(&shared[i]);
	kvfree(threads);

	mismatches = atomic_long_read(&stress_mismatches);
	failures = atomic_long_read(&stress_failures);
	pr_info("ops=%lu mismatches=%lu failures=%lu atomic_ops=%lu atomic_failures=%lu threads=%u seconds=%u\n",
		atomic_long_read(&stress_ops), mismatches, failures,
		atomic_long_read(&stress_atomic_ops),
		atomic_long_read(&stress_atomic_failures), n, seconds);
	return mismatches || failures ? -EINVAL : 0;
}

static void __exit smalloc_stress_exit(void)
{
	/* Everything was freed before init returned. */
}

module_init(smalloc_stress_init);
module_exit(smalloc_stress_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("Concurrent stress test for the smalloc allocator");
