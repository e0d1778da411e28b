/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Trace events smalloc:smalloc_alloc and smalloc:smalloc_free, shaped like
 * kmem:kmalloc and kmem:kfree so the same scripts can read both, and
 * smalloc:smalloc_refuse for bad input refused.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM smalloc

#if !defined(_SMALLOC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SMALLOC_TRACE_H

#include <linux/tracepoint.h>
#include <linux/version.h>
#include <trace/events/mmflags.h>

/* __assign_str() lost its source argument in 6.10. */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define sm_assign_str(dst, src)	__assign_str(dst)
#else
#define sm_assign_str(dst, src)	__assign_str(dst, src)
#endif

TRACE_EVENT(smalloc_alloc,
	TP_PROTO(unsigned long call_site, const void *ptr, size_t bytes_req,
		 size_t bytes_alloc, gfp_t gfp_flags, const char *pool),
	TP_ARGS(call_site, ptr, bytes_req, bytes_alloc, gfp_flags, pool),

	TP_STRUCT__entry(
		__field(unsigned long, call_site)
		__field(const void *, ptr)
		__field(size_t, bytes_req)
		__field(size_t, bytes_alloc)
		__field(unsigned long, gfp_flags)
		__string(pool, pool)
	),

	TP_fast_assign(
		__entry->call_site = call_site;
		__entry->ptr = ptr;
		__entry->bytes_req = bytes_req;
		__entry->bytes_alloc = bytes_alloc;
		__entry->gfp_flags = (__force unsigned long)gfp_flags;
		sm_assign_str(pool, pool);
	),

	TP_printk("call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s pool=%s",
		  (void *)__entry->call_site, __entry->ptr, __entry->bytes_req,
		  __entry->bytes_alloc, show_gfp_flags(__entry->gfp_flags),
		  __get_str(pool))
);

TRACE_EVENT(smalloc_free,
	TP_PROTO(unsigned long call_site, const void *ptr, size_t bytes_alloc,
		 const char *pool),
	TP_ARGS(call_site, ptr, bytes_alloc, pool),

	TP_STRUCT__entry(
		__field(unsigned long, call_site)
		__field(const void *, ptr)
		__field(size_t, bytes_alloc)
		__string(pool, pool)
	),

	TP_fast_assign(
		__entry->call_site = call_site;
		__entry->ptr = ptr;
		__entry->bytes_alloc = bytes_alloc;
		sm_assign_str(pool, pool);
	),

	TP_printk("call_site=%pS ptr=%p bytes_alloc=%zu pool=%s",
		  (void *)__entry->call_site, __entry->ptr, __entry->bytes_alloc,
		  __get_str(pool))
);

/* A refused smalloc_free() or smalloc_size(), see smalloc_misuse.c. */
TRACE_EVENT(smalloc_refuse,
	TP_PROTO(unsigned long call_site, const void *ptr, const char *fn,
		 int kind, const char *why, const char *pool),
	TP_ARGS(call_site, ptr, fn, kind, why, pool),

	TP_STRUCT__entry(
		__field(unsigned long, call_site)
		__field(const void *, ptr)
		__string(fn, fn)
		__field(int, kind)
		__string(why, why)
		__string(pool, pool)
	),

	TP_fast_assign(
		__entry->call_site = call_site;
		__entry->ptr = ptr;
		sm_assign_str(fn, fn);
		__entry->kind = kind;
		sm_assign_str(why, why);
		sm_assign_str(pool, pool);
	),

	TP_printk("call_site=%pS ptr=%p fn=%s kind=%d why=\"%s\" pool=%s",
		  (void *)__entry->call_site, __entry->ptr, __get_str(fn),
		  __entry->kind, __get_str(why), __get_str(pool))
);

#endif /* _SMALLOC_TRACE_H */

/* Out of tree: the kernel's define_trace.h must find this file here. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE smalloc_trace
#include <trace/define_trace.h>
