/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Kernel APIs renamed after 6.1, in one place, so that smalloc and its
 * tests build from 6.1 to the newest release.
 */
#ifndef _SMALLOC_COMPAT_H
#define _SMALLOC_COMPAT_H

#include <linux/rcupdate.h>
#include <linux/timer.h>
#include <linux/version.h>

/*
 * From 6.2 a KASAN report fails the running KUnit case unless KASAN is told
 * that its tests run; mm/kasan/kasan.h declares these two, exported for
 * them, but cannot be included from outside mm/kasan/.
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE && IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
void kasan_kunit_test_suite_start(void);
void kasan_kunit_test_suite_end(void);
#endif

/* from_timer() became timer_container_of() in 6.16. */
#if KERNEL_VERSION(6, 16, 0) <= LINUX_VERSION_CODE
#define sm_from_timer(var, timer, field)	timer_container_of(var, timer, field)
#else
#define sm_from_timer(var, timer, field)	from_timer(var, timer, field)
#endif

/* timer_delete_sync() exists from 6.2; del_timer_sync() is gone by 6.16. */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define sm_timer_delete_sync(timer)		timer_delete_sync(timer)
#else
#define sm_timer_delete_sync(timer)		del_timer_sync(timer)
#endif

/*
 * kvfree_call_rcu() took the object's offset disguised as a callback until
 * 6.3, and takes the object itself since.
 */
static inline void sm_kvfree_call_rcu(struct rcu_head *head, void *ptr)
{
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
	kvfree_call_rcu(head, ptr);
#else
	kvfree_call_rcu(head, (rcu_callback_t)((void *)head - ptr));
#endif
}

/*
 * Kernel memory accounting: CONFIG_MEMCG_KMEM until 6.10, CONFIG_MEMCG
 * since; whether it is on, memcg_kmem_enabled() until 6.4, then
 * memcg_kmem_online().
 */
#if defined(CONFIG_MEMCG_KMEM) || \
	(defined(CONFIG_MEMCG) && KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE)
#define SM_MEMCG_KMEM
#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define sm_memcg_kmem_online()			memcg_kmem_online()
#else
#define sm_memcg_kmem_online()			memcg_kmem_enabled()
#endif
#endif

#endif /* _SMALLOC_COMPAT_H */
