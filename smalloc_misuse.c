// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Bad input to smalloc_free() and smalloc_size(): a pointer smalloc did not
 * hand out, one into an object, a double free, an object in a quarantined
 * page. Each is refused, changes nothing, WARNs once per function and kind,
 * and fires the trace event smalloc:smalloc_refuse, which names the kind
 * and the pool blamed (the default pool when no pool owns the pointer).
 */

#include <linux/bitops.h>
#include "smalloc_internal.h"
#include "smalloc_trace.h"

static const char * const smalloc_misuse_names[SM_MISUSE_NR] = {
	[SM_MISUSE_NONE]	  = "no misuse",
	[SM_MISUSE_NOT_LINEAR]	  = "not a linear-map pointer (stack? vmalloc?)",
	[SM_MISUSE_FOREIGN]	  = "not smalloc's memory (kmalloc'd? freed already?)",
	[SM_MISUSE_INTERIOR]	  = "pointer into the middle of an object",
	[SM_MISUSE_NOT_ALLOCATED] = "pointer to free memory (double free?)",
	[SM_MISUSE_QUARANTINED]	  = "object in a quarantined page (status array corrupt)",
};

const char *smalloc_misuse_name(enum smalloc_misuse kind)
{
	return kind < SM_MISUSE_NR ? smalloc_misuse_names[kind] : "?";
}

/**
 * smalloc_refuse - report bad input that was refused
 * @fn: the API function that refused it
 * @is_free: @ptr was to be freed (counted in refused_frees)
 * @ptr: what it was given
 * @pool: the pool blamed
 * @kind: what was wrong with @ptr
 * @caller: the API function's caller, for the trace event
 *
 * A refused free is counted in the pool's refused_frees.
 */
void smalloc_refuse(const char *fn, bool is_free, const void *ptr,
		    struct smalloc_pool *pool, enum smalloc_misuse kind,
		    unsigned long caller)
{
	static unsigned long warned_free, warned_size;

	if (is_free)
		atomic_long_inc(&pool->refused_frees);
	trace_smalloc_refuse(caller, ptr, fn, kind, smalloc_misuse_name(kind),
			     pool->name);
	WARN(!test_and_set_bit(kind, is_free ? &warned_free : &warned_size),
	     "%s: %s: %p\n", fn, smalloc_misuse_name(kind), ptr);
}
