/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * smalloc - a small-object allocator whose pages begin with a 2-bit status
 * array, so objects carry no header and a free needs no size.
 *
 * Client modules include this header and build with
 * KBUILD_EXTRA_SYMBOLS=<smalloc build dir>/Module.symvers (see README.md).
 * The functions here are the kmalloc family's counterparts and keep their
 * promises; smalloc_kmalloc.h sends a whole module's kmalloc calls here.
 */
#ifndef _SMALLOC_CORE_H
#define _SMALLOC_CORE_H

#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/stdarg.h>
#include <linux/types.h>

struct rcu_head;

/*
 * Every pointer smalloc hands out is aligned to this many bytes, and one
 * of a power-of-two size to that size, as kmalloc() aligns.
 */
#define SMALLOC_ALIGN		8

void *smalloc_alloc(size_t size, gfp_t flags) __alloc_size(1);
void *smalloc_alloc_node(size_t size, gfp_t flags, int node) __alloc_size(1);
void *smalloc_alloc_aligned(size_t size, size_t align, gfp_t flags)
	__alloc_size(1);
void *smalloc_realloc(const void *ptr, size_t size, gfp_t flags)
	__alloc_size(2);
void smalloc_free(const void *ptr);
void smalloc_free_sensitive(const void *ptr);
size_t smalloc_size(const void *ptr);

char *smalloc_strdup(const char *s, gfp_t flags);
char *smalloc_strndup(const char *s, size_t max, gfp_t flags);
void *smalloc_memdup(const void *src, size_t len, gfp_t flags) __alloc_size(2);
char *smalloc_vasprintf(gfp_t flags, const char *fmt, va_list ap)
	__printf(2, 0);
char *smalloc_asprintf(gfp_t flags, const char *fmt, ...) __printf(2, 3);

void smalloc_call_rcu(struct rcu_head *head);

/**
 * smalloc_free_rcu - free an object after an RCU grace period
 * @ptr: the object, from smalloc
 * @rhf: the name of a struct rcu_head member of *@ptr
 *
 * As kfree_rcu(): readers that found @ptr under rcu_read_lock() may go on
 * using it until they leave their read-side section. The object's start
 * is found again from the member through the status array.
 */
#define smalloc_free_rcu(ptr, rhf)					\
do {									\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p)							\
		smalloc_call_rcu(&___p->rhf);				\
} while (0)

/**
 * smalloc_zalloc - allocate a zeroed object
 * @size: bytes wanted
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: as smalloc_alloc().
 */
static inline __alloc_size(1) void *smalloc_zalloc(size_t size, gfp_t flags)
{
	return smalloc_alloc(size, flags | __GFP_ZERO);
}

/**
 * smalloc_alloc_array - allocate an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: as smalloc_alloc(), or NULL if @n * @size overflows.
 */
static inline __alloc_size(1, 2)
void *smalloc_alloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return smalloc_alloc(bytes, flags);
}

/**
 * smalloc_calloc - allocate a zeroed array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: as smalloc_alloc(), or NULL if @n * @size overflows.
 */
static inline __alloc_size(1, 2)
void *smalloc_calloc(size_t n, size_t size, gfp_t flags)
{
	return smalloc_alloc_array(n, size, flags | __GFP_ZERO);
}

/*
 * What smalloc_kmalloc.h maps a converted module's kmalloc family to: these
 * take objects from kmalloc() as well and hand them to the slab allocator.
 */
void smalloc_kfree(const void *ptr);
void smalloc_kfree_sensitive(const void *ptr);
void smalloc_kfree_const(const void *ptr);
size_t smalloc_ksize(const void *ptr);
void *smalloc_krealloc(const void *ptr, size_t size, gfp_t flags)
	__alloc_size(2);
void *smalloc_kvmalloc_node(size_t size, gfp_t flags, int node)
	__alloc_size(1);
void smalloc_kvfree(const void *ptr);
void smalloc_kvfree_sensitive(const void *ptr, size_t len);
void smalloc_kfree_rcu(struct rcu_head *head, size_t offset);
void smalloc_kfree_rcu_mightsleep(const void *ptr);
void smalloc_kfree_link(void *ptr);

/* Pools of one's own, as kmem_cache and gen_pool offer; free with smalloc_free(). */
struct smalloc_pool;

struct smalloc_pool *smalloc_pool_create(const char *name);
void *smalloc_pool_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags)
	__alloc_size(2);
void smalloc_pool_destroy(struct smalloc_pool *pool);

#endif /* _SMALLOC_CORE_H */
