// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What smalloc_kmalloc.h sends a converted module's kmalloc family to. A
 * converted module still meets objects the rest of the kernel allocated
 * with kmalloc() (strings the VFS parsed for it, say) and frees or resizes
 * them as its own: so every function here that takes an object serves
 * smalloc's own and hands any other to its slab namesake.
 */

#include <linux/export.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "smalloc_compat.h"
#include "smalloc_internal.h"

/*
 * May @ptr, not smalloc's, go to the slab allocator? Only an object of a
 * slab, or of a large kmalloc() (a compound page). Anything else, an
 * order-0 page above all, is a page smalloc gave back after a free, and
 * this a double free, or memory kmalloc never handed out: refused as
 * smalloc_free() refuses it, where kfree() would free the page.
 */
static bool sm_slab_may_take(const char *fn, bool is_free, const void *ptr,
			     unsigned long caller)
{
	enum smalloc_misuse kind = SM_MISUSE_NOT_LINEAR;
	struct folio *folio;

	if (virt_addr_valid(ptr)) {
		folio = virt_to_folio(ptr);
		if (folio_test_slab(folio) || folio_test_large(folio))
			return true;
		kind = SM_MISUSE_FOREIGN;
	}
	smalloc_refuse(fn, is_free, ptr, smalloc_default_pool, kind, caller);
	return false;
}

/**
 * smalloc_kfree - kfree() for modules converted by smalloc_kmalloc.h
 * @ptr: an object from smalloc or from kmalloc(); NULL is ignored
 */
void smalloc_kfree(const void *ptr)
{
	if (!smalloc_free_owned(ptr, false) &&
	    sm_slab_may_take(__func__, true, ptr, _RET_IP_))
		kfree(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree);

/**
 * smalloc_kfree_sensitive - kfree_sensitive() for converted modules
 * @ptr: an object from smalloc or from kmalloc(); NULL is ignored
 */
void smalloc_kfree_sensitive(const void *ptr)
{
	if (!smalloc_free_owned(ptr, true) &&
	    sm_slab_may_take(__func__, true, ptr, _RET_IP_))
		kfree_sensitive(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree_sensitive);

/**
 * smalloc_kfree_const - kfree_const() for converted modules
 * @ptr: an object from smalloc or kmalloc(), or a string in .rodata
 *
 * The one fallback that is not checked: .rodata is neither smalloc's nor
 * a slab's, and only kfree_const() can tell it.
 */
void smalloc_kfree_const(const void *ptr)
{
	if (!smalloc_free_owned(ptr, false))
		kfree_const(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree_const);

/**
 * smalloc_ksize - ksize() for converted modules
 * @ptr: an object from smalloc or from kmalloc()
 *
 * Return: its usable size.
 */
size_t smalloc_ksize(const void *ptr)
{
	if (ZERO_OR_NULL_PTR(ptr) || smalloc_owns(ptr))
		return smalloc_size(ptr);
	return sm_slab_may_take(__func__, false, ptr, _RET_IP_) ? ksize(ptr) : 0;
}
EXPORT_SYMBOL_GPL(smalloc_ksize);

/**
 * smalloc_krealloc - krealloc() for converted modules
 * @ptr: an object from smalloc or from kmalloc(), or NULL
 * @size: bytes wanted
 * @flags: GFP flags
 *
 * A kmalloc() object moves to smalloc when it must move at all.
 *
 * Return: as smalloc_realloc().
 */
void *smalloc_krealloc(const void *ptr, size_t size, gfp_t flags)
{
	size_t old;
	void *new;

	if (ZERO_OR_NULL_PTR(ptr) || smalloc_owns(ptr))
		return smalloc_realloc(ptr, size, flags);
	if (!sm_slab_may_take(__func__, false, ptr, _RET_IP_))
		return NULL;
	old = ksize(ptr);
	if (size && size <= old)
		return krealloc(ptr, size, flags);	/* stays in place */
	new = smalloc_alloc(size, flags);
	if (!ZERO_OR_NULL_PTR(new)) {
		/* All of ksize(), redzone included, as krealloc() copies. */
		kasan_disable_current();
		memcpy(new, ptr, old);
		kasan_enable_current();
	}
	if (new)
		kfree(ptr);
	return new;
}
EXPORT_SYMBOL_GPL(smalloc_krealloc);

/**
 * smalloc_kvmalloc_node - kvmalloc_node() for converted modules
 * @size: bytes wanted
 * @flags: GFP flags; vmalloc() is tried only if they include GFP_KERNEL's
 * @node: NUMA node, as for smalloc_alloc_node()
 *
 * As 6.1's kvmalloc_node(): with GFP_KERNEL's flags, smalloc first,
 * without retrying hard for more than a page, then vmalloc(), which
 * smalloc leaves alone; with fewer (GFP_NOFS, GFP_ATOMIC) smalloc alone,
 * with the flags as given.
 *
 * Return: the object, to be freed with smalloc_kvfree(), or NULL.
 */
void *smalloc_kvmalloc_node(size_t size, gfp_t flags, int node)
{
	gfp_t first = flags;
	void *p;

	if ((flags & GFP_KERNEL) != GFP_KERNEL)
		return smalloc_alloc_node(size, flags, node);
	if (size > PAGE_SIZE) {
		first |= __GFP_NOWARN;
		if (!(first & __GFP_RETRY_MAYFAIL))
			first |= __GFP_NORETRY;
		first &= ~__GFP_NOFAIL;
	}
	p = smalloc_alloc_node(size, first, node);
	if (p || size <= PAGE_SIZE)
		return p;
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc(size, flags);
}
EXPORT_SYMBOL_GPL(smalloc_kvmalloc_node);

/**
 * smalloc_kvfree - kvfree() for converted modules
 * @ptr: from smalloc, kmalloc() or vmalloc(); NULL is ignored
 */
void smalloc_kvfree(const void *ptr)
{
	if (is_vmalloc_addr(ptr))
		vfree(ptr);
	else
		smalloc_kfree(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kvfree);

/**
 * smalloc_kvfree_sensitive - kvfree_sensitive() for converted modules
 * @ptr: from smalloc, kmalloc() or vmalloc(); NULL is ignored
 * @len: bytes to clear
 */
void smalloc_kvfree_sensitive(const void *ptr, size_t len)
{
	if (ZERO_OR_NULL_PTR(ptr))
		return;
	memzero_explicit((void *)ptr, len);
	smalloc_kvfree(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kvfree_sensitive);

/**
 * smalloc_kfree_link - kfree_link() for converted modules
 * @ptr: a ->get_link() string from smalloc or kmalloc()
 *
 * What a converted file system's ->get_link() hands set_delayed_call():
 * the VFS calls it once it is done with the string.
 */
void smalloc_kfree_link(void *ptr)
{
	smalloc_kfree(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree_link);

/**
 * smalloc_kfree_rcu - kfree_rcu(ptr, rhf) for converted modules
 * @head: the struct rcu_head inside the object
 * @offset: its offset in the object, which only kmalloc's objects need
 */
void smalloc_kfree_rcu(struct rcu_head *head, size_t offset)
{
	void *ptr = (void *)head - offset;

	if (smalloc_owns(head))
		smalloc_call_rcu(head);
	else if (is_vmalloc_addr(ptr) || sm_slab_may_take(__func__, true, ptr, _RET_IP_))
		sm_kvfree_call_rcu(head, ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree_rcu);

/**
 * smalloc_kfree_rcu_mightsleep - kfree_rcu(ptr) for converted modules
 * @ptr: from smalloc, kmalloc() or vmalloc(); NULL is ignored
 *
 * The object has no rcu_head: wait for a grace period, then free it.
 */
void smalloc_kfree_rcu_mightsleep(const void *ptr)
{
	might_sleep();
	if (ZERO_OR_NULL_PTR(ptr))
		return;
	synchronize_rcu();
	smalloc_kvfree(ptr);
}
EXPORT_SYMBOL_GPL(smalloc_kfree_rcu_mightsleep);
