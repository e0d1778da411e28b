/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * smalloc - a small-object allocator whose pages begin with a 2-bit status
 * array, so objects carry no header and a free needs no size.
 *
 * Client modules include this header and build with
 * KBUILD_EXTRA_SYMBOLS=<smalloc build dir>/Module.symvers (see README.md).
 */
#ifndef _SMALLOC_CORE_H
#define _SMALLOC_CORE_H

#include <linux/gfp.h>
#include <linux/types.h>

/* Every pointer smalloc_alloc() returns is aligned to this many bytes. */
#define SMALLOC_ALIGN		8

void *smalloc_alloc(size_t size, gfp_t flags) __alloc_size(1);
void smalloc_free(const void *ptr);
size_t smalloc_size(const void *ptr);

/* Pools of one's own, as kmem_cache and gen_pool offer; free with smalloc_free(). */
struct smalloc_pool;

struct smalloc_pool *smalloc_pool_create(const char *name);
void *smalloc_pool_alloc(struct smalloc_pool *pool, size_t size, gfp_t flags)
	__alloc_size(2);
void smalloc_pool_destroy(struct smalloc_pool *pool);

#endif /* _SMALLOC_CORE_H */
