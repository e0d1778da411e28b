// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Never loaded: scripts/fortify-test.sh compiles this twice to show that
 * smalloc_alloc()'s __alloc_size() reaches FORTIFY_SOURCE. Copying
 * FORTIFY_COPY bytes into a 64-byte object must compile cleanly when
 * FORTIFY_COPY is 64 and draw FORTIFY's compile-time overflow diagnostic
 * when it is 100, as kmalloc() does. Without the attribute neither would.
 */

#include <linux/module.h>
#include <linux/string.h>
#include "smalloc_core.h"

static char source[128];

static int __init smalloc_fortify_init(void)
{
	char *p = smalloc_alloc(64, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memcpy(p, source, FORTIFY_COPY);
	smalloc_free(p);
	return 0;
}
module_init(smalloc_fortify_init);

MODULE_DESCRIPTION("smalloc: a compile-time FORTIFY_SOURCE check");
MODULE_LICENSE("Dual MIT/GPL");
