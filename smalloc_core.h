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

void *smalloc_alloc(size_t size, gfp_t flags);
void smalloc_free(const void *ptr);
size_t smalloc_size(const void *ptr);

#endif /* _SMALLOC_CORE_H */
