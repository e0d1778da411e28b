// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The rest of the kmalloc family on smalloc: copies of strings and memory,
 * and formatted strings, each as its k* namesake in mm/util.c behaves.
 */

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "smalloc_core.h"

/**
 * smalloc_strdup - copy a string into a new object, as kstrdup()
 * @s: the string; NULL gives NULL
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: the copy, or NULL.
 */
char *smalloc_strdup(const char *s, gfp_t flags)
{
	return s ? smalloc_memdup(s, strlen(s) + 1, flags) : NULL;
}
EXPORT_SYMBOL_GPL(smalloc_strdup);

/**
 * smalloc_strndup - copy at most @max bytes of a string, as kstrndup()
 * @s: the string; NULL gives NULL
 * @max: bytes of @s copied at most; the copy is NUL-terminated
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: the copy, or NULL.
 */
char *smalloc_strndup(const char *s, size_t max, gfp_t flags)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = smalloc_alloc(len + 1, flags);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}
EXPORT_SYMBOL_GPL(smalloc_strndup);

/**
 * smalloc_memdup - copy memory into a new object, as kmemdup()
 * @src: what to copy
 * @len: bytes to copy
 * @flags: GFP flags, as for smalloc_alloc()
 *
 * Return: the copy, or NULL.
 */
void *smalloc_memdup(const void *src, size_t len, gfp_t flags)
{
	void *p = smalloc_alloc(len, flags);

	if (!ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}
EXPORT_SYMBOL_GPL(smalloc_memdup);

/**
 * smalloc_vasprintf - format a string into a new object, as kvasprintf()
 * @flags: GFP flags, as for smalloc_alloc()
 * @fmt: printf-style format
 * @ap: its arguments
 *
 * Return: the string, or NULL.
 */
char *smalloc_vasprintf(gfp_t flags, const char *fmt, va_list ap)
{
	unsigned int len;
	va_list aq;
	char *p;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = smalloc_alloc(len + 1, flags);
	if (p)
		vsnprintf(p, len + 1, fmt, ap);
	return p;
}
EXPORT_SYMBOL_GPL(smalloc_vasprintf);

/**
 * smalloc_asprintf - format a string into a new object, as kasprintf()
 * @flags: GFP flags, as for smalloc_alloc()
 * @fmt: printf-style format, then its arguments
 *
 * Return: the string, or NULL.
 */
char *smalloc_asprintf(gfp_t flags, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = smalloc_vasprintf(flags, fmt, ap);
	va_end(ap);
	return p;
}
EXPORT_SYMBOL_GPL(smalloc_asprintf);
