/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the kernel's memory debugging and hardening features see of a smalloc
 * object, done where the slab allocators do it: the init policy
 * (init_on_alloc, init_on_free, __GFP_ZERO), KASAN's shadow and kmemleak's
 * object tree. Each helper compiles to nothing when its feature is off.
 */
#ifndef _SMALLOC_HOOKS_H
#define _SMALLOC_HOOKS_H

#include <linux/kasan.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/string.h>

#ifdef CONFIG_KASAN_GENERIC
/*
 * mm/kasan/shadow.c exports kasan_poison() (6.1 and later) but declares it
 * only in mm/kasan/kasan.h; kasan_unpoison() is not exported, so a module
 * unpoisons by writing shadow value 0 (all of a granule accessible) or k
 * (its first k bytes), which is what generic KASAN's shadow means.
 */
void kasan_poison(const void *addr, size_t size, u8 value, bool init);
/* For the KUnit cases that expect reports; from mm/kasan/report.c. */
bool kasan_save_enable_multi_shot(void);
void kasan_restore_multi_shot(bool enabled);

#define SM_KASAN_GRANULE	BIT(KASAN_SHADOW_SCALE_SHIFT)
#define SM_KASAN_REDZONE	0xFC	/* KASAN_SLAB_REDZONE: past the object */
#define SM_KASAN_FREE		0xFB	/* KASAN_SLAB_FREE: a free unit */

/* Make exactly [obj, obj + size) accessible, the rest up to @usable not. */
static inline void sm_kasan_mark(void *obj, size_t size, size_t usable,
				 u8 redzone)
{
	size_t whole = round_down(size, SM_KASAN_GRANULE);

	kasan_poison(obj, whole, 0, false);
	if (whole < size)
		kasan_poison(obj + whole, SM_KASAN_GRANULE, size - whole, false);
	whole = round_up(size, SM_KASAN_GRANULE);
	kasan_poison(obj + whole, usable - whole, redzone, false);
}

static inline void sm_kasan_poison_free(void *obj, size_t usable)
{
	kasan_poison(obj, usable, SM_KASAN_FREE, false);
}
#else
static inline void sm_kasan_mark(void *obj, size_t size, size_t usable,
				 u8 redzone)
{
}

static inline void sm_kasan_poison_free(void *obj, size_t usable)
{
}

#define SM_KASAN_REDZONE	0
#endif

/*
 * A new object of @size bytes, @usable bytes to its user, spanning @span
 * bytes of a shared page (a debug redzone included), whose units were free
 * (poisoned) until now: zero it if the init policy or @flags ask, then let
 * exactly @size bytes be touched and kmemleak scan it.
 */
static inline void sm_hook_alloc_small(void *obj, size_t size, size_t usable,
				       size_t span, gfp_t flags)
{
	if (want_init_on_alloc(flags)) {
		sm_kasan_mark(obj, usable, usable, 0);
		memset(obj, 0, usable);
	}
	sm_kasan_mark(obj, size, span, SM_KASAN_REDZONE);
	kmemleak_alloc(obj, usable, 1, flags);
}

/*
 * Pages of a large object come zeroed under the init policy from the page
 * allocator, which also poisons and unpoisons them: only the tail past
 * @size and kmemleak are ours.
 */
static inline void sm_hook_alloc_large(void *obj, size_t size, size_t usable,
				       gfp_t flags)
{
	sm_kasan_mark(obj, size, usable, SM_KASAN_REDZONE);
	kmemleak_alloc(obj, usable, 1, flags);
}

/*
 * Before the @span bytes of a small object become free units or stocked:
 * its first word holds the free mark now (smalloc_stock.c), not the
 * caller's data, and stays (debug mode has no mark: its poison follows).
 */
static inline void sm_hook_free_small(void *obj, size_t usable, size_t span)
{
	kmemleak_free(obj);
	if (want_init_on_free()) {
		sm_kasan_mark(obj, usable, usable, 0);
		memset(obj + sizeof(long), 0, usable - sizeof(long));
	}
	sm_kasan_poison_free(obj, span);
}

/* smalloc_free_sensitive(): all of the usable size cleared, KASAN or not. */
static inline void sm_hook_clear(void *obj, size_t usable)
{
	sm_kasan_mark(obj, usable, usable, 0);
	memzero_explicit(obj, usable);
}

static inline void sm_hook_free_large(void *obj)
{
	kmemleak_free(obj);
}

/*
 * An object shrinks in place from @span to @usable bytes, arena lock held:
 * kmemleak forgets it (sm_hook_resize() registers it again at its new
 * size, so the freed tail, allocated meanwhile, never overlaps it), and its
 * tail is cleared and poisoned as sm_hook_free_small() does a whole object.
 */
static inline void sm_hook_shrink_small(void *obj, size_t usable, size_t span)
{
	kmemleak_free(obj);
	if (want_init_on_free()) {
		sm_kasan_mark(obj + usable, span - usable, span - usable, 0);
		memset(obj + usable, 0, span - usable);
	}
	sm_kasan_poison_free(obj + usable, span - usable);
}

/*
 * An object grows in place or keeps its units, arena lock held: see
 * sm_hook_shrink_small().
 */
static inline void sm_hook_keep_small(void *obj)
{
	kmemleak_free(obj);
}

/*
 * After an object of @old usable bytes was resized in place to @size
 * bytes, @usable of them usable: zero what is new to it if the init policy
 * or @flags ask, let exactly @size bytes be touched, and let kmemleak know
 * it again. A large object keeps its pages and its kmemleak entry.
 */
static inline void sm_hook_resize(void *obj, size_t size, size_t old,
				  size_t usable, bool large, gfp_t flags)
{
	if (usable > old && want_init_on_alloc(flags)) {
		sm_kasan_mark(obj + old, usable - old, usable - old, 0);
		memset(obj + old, 0, usable - old);
	}
	sm_kasan_mark(obj, size, usable, SM_KASAN_REDZONE);
	if (!large)
		kmemleak_alloc(obj, usable, 1, flags);
}

#endif /* _SMALLOC_HOOKS_H */
