/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Move a whole module from kmalloc to smalloc with one line in its Kbuild:
 *
 *   ccflags-y += -include $(SMALLOC)/<this header>
 *
 * ($(SMALLOC): smalloc's source or installed include directory)
 *
 * (and KBUILD_EXTRA_SYMBOLS=<smalloc build dir>/Module.symvers, as for any
 * client). Every kmalloc-family call of the module then goes to smalloc:
 * allocations come from smalloc, with kmalloc's promises (alignment,
 * zeroing, GFP flags, RCU frees); frees, resizes and ksize() take objects
 * of either allocator, so objects the rest of the kernel allocated and the
 * module frees go back to the slab allocator. kmem_cache_*() and vmalloc()
 * are left alone.
 *
 * The module must not hand an object it allocated to other code that
 * kfree()s it: that code still calls the slab allocator. Check with
 * "nm -u module.ko" that no kmalloc-family symbol is left.
 */
#ifndef _SMALLOC_KMALLOC_H
#define _SMALLOC_KMALLOC_H

/* Their declarations first, so the renames below do not touch them. */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mm.h>
#include "smalloc_core.h"

static inline __alloc_size(1, 2)
void *smalloc_alloc_array_node(size_t n, size_t size, gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return smalloc_alloc_node(bytes, flags, node);
}

static inline __alloc_size(2, 3)
void *smalloc_krealloc_array(const void *ptr, size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return smalloc_krealloc(ptr, bytes, flags);
}

static inline __alloc_size(1, 2)
void *smalloc_kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return smalloc_kvmalloc_node(bytes, flags, NUMA_NO_NODE);
}

static inline char *smalloc_kmemdup_nul(const char *s, size_t len, gfp_t flags)
{
	char *buf;

	if (!s)
		return NULL;
	buf = smalloc_alloc(len + 1, flags);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

/*
 * Object-like where the kernel has functions, so that a function pointer
 * (kfree as a callback) is renamed too; #undef first, since newer kernels
 * make some of them macros.
 */
#undef kmalloc
#define kmalloc			smalloc_alloc
#undef kzalloc
#define kzalloc			smalloc_zalloc
#undef kmalloc_array
#define kmalloc_array		smalloc_alloc_array
#undef kcalloc
#define kcalloc			smalloc_calloc
#undef kmalloc_node
#define kmalloc_node		smalloc_alloc_node
#undef kzalloc_node
#define kzalloc_node(size, flags, node)	smalloc_alloc_node(size, (flags) | __GFP_ZERO, node)
#undef kmalloc_array_node
#define kmalloc_array_node	smalloc_alloc_array_node
#undef kcalloc_node
#define kcalloc_node(n, size, flags, node)				\
	smalloc_alloc_array_node(n, size, (flags) | __GFP_ZERO, node)
#undef kmalloc_track_caller
#define kmalloc_track_caller	smalloc_alloc
#undef kmalloc_node_track_caller
#define kmalloc_node_track_caller	smalloc_alloc_node
#undef krealloc
#define krealloc		smalloc_krealloc
#undef krealloc_array
#define krealloc_array		smalloc_krealloc_array
#undef kfree
#define kfree			smalloc_kfree
#undef kfree_sensitive
#define kfree_sensitive		smalloc_kfree_sensitive
#undef kfree_const
#define kfree_const		smalloc_kfree_const
#undef ksize
#define ksize			smalloc_ksize
#undef kstrdup
#define kstrdup			smalloc_strdup
#undef kstrdup_const
#define kstrdup_const		smalloc_strdup
#undef kstrndup
#define kstrndup		smalloc_strndup
#undef kmemdup
#define kmemdup			smalloc_memdup
#undef kmemdup_nul
#define kmemdup_nul		smalloc_kmemdup_nul
#undef kasprintf
#define kasprintf		smalloc_asprintf
#undef kvasprintf
#define kvasprintf		smalloc_vasprintf
#undef kvmalloc
#define kvmalloc(size, flags)	smalloc_kvmalloc_node(size, flags, NUMA_NO_NODE)
#undef kvzalloc
#define kvzalloc(size, flags)						\
	smalloc_kvmalloc_node(size, (flags) | __GFP_ZERO, NUMA_NO_NODE)
#undef kvmalloc_node
#define kvmalloc_node		smalloc_kvmalloc_node
#undef kvzalloc_node
#define kvzalloc_node(size, flags, node)				\
	smalloc_kvmalloc_node(size, (flags) | __GFP_ZERO, node)
#undef kvmalloc_array
#define kvmalloc_array		smalloc_kvmalloc_array
#undef kvcalloc
#define kvcalloc(n, size, flags)	smalloc_kvmalloc_array(n, size, (flags) | __GFP_ZERO)
#undef kvfree
#define kvfree			smalloc_kvfree
#undef kvfree_sensitive
#define kvfree_sensitive	smalloc_kvfree_sensitive
/*
 * __free(kfree) and __free(kvfree) paste their argument into a name, which
 * the renames above never see: rename the pasted names.
 */
static inline void __free_smalloc_kfree(void *p)
{
	void *obj = *(void **)p;

	if (!IS_ERR_OR_NULL(obj))
		smalloc_kfree(obj);
}

static inline void __free_smalloc_kvfree(void *p)
{
	void *obj = *(void **)p;

	if (!IS_ERR_OR_NULL(obj))
		smalloc_kvfree(obj);
}

#define __free_kfree		__free_smalloc_kfree
#define __free_kvfree		__free_smalloc_kvfree
/* Not renamed (its arguments changed in 6.12): a build error, not a crash. */
#undef kvrealloc
#define kvrealloc(...)							\
	({ BUILD_BUG_ON_MSG(1, "kvrealloc() is not renamed: use kvmalloc(), a copy, kvfree()"); \
	   (void *)NULL; })
/* The VFS's kfree() for a ->get_link() string, passed as a callback. */
#undef kfree_link
#define kfree_link		smalloc_kfree_link

/*
 * kfree_rcu(ptr, rhf) and the head-less kfree_rcu(ptr), as the kernel's:
 * NULL is ignored, and the offset must be one 6.1's kvfree_call_rcu()
 * takes for kmalloc's objects.
 */
#define __smalloc_kfree_rcu_2(ptr, rhf)					\
do {									\
	typeof(ptr) ___p = (ptr);					\
									\
	BUILD_BUG_ON(offsetof(typeof(*___p), rhf) >= 4096);		\
	if (___p)							\
		smalloc_kfree_rcu(&___p->rhf,				\
				  offsetof(typeof(*___p), rhf));	\
} while (0)
#define __smalloc_kfree_rcu_1(ptr)	smalloc_kfree_rcu_mightsleep(ptr)
#define __smalloc_kfree_rcu_pick(_1, _2, name, ...)	name
#undef kfree_rcu
#define kfree_rcu(...)							\
	__smalloc_kfree_rcu_pick(__VA_ARGS__, __smalloc_kfree_rcu_2,	\
				 __smalloc_kfree_rcu_1)(__VA_ARGS__)
#undef kvfree_rcu
#define kvfree_rcu		kfree_rcu
#undef kfree_rcu_mightsleep
#define kfree_rcu_mightsleep	__smalloc_kfree_rcu_1
#undef kvfree_rcu_mightsleep
#define kvfree_rcu_mightsleep	__smalloc_kfree_rcu_1

#endif /* _SMALLOC_KMALLOC_H */
