// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * __GFP_ACCOUNT: small objects charged to the caller's memory cgroup.
 *
 * kmalloc charges each object's bytes through obj_cgroup_charge(), which
 * the kernel does not export to modules. smalloc instead gives each memory
 * cgroup that allocates with __GFP_ACCOUNT a child pool of its own, whose
 * pages come from alloc_page(__GFP_ACCOUNT) while that cgroup's task
 * allocates: the cgroup pays for the pages its objects fill, memory.max
 * stops it as it stops kmalloc, and the page allocator uncharges a page when
 * smalloc gives it back. Objects larger than a page's data area take pages
 * of their own and are charged by the page allocator directly.
 *
 * A child pool holds a reference to its cgroup and lives as long as its
 * pool, so a removed cgroup that allocated stays a zombie until then.
 */

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include "smalloc_compat.h"
#include "smalloc_internal.h"

#ifdef SM_MEMCG_KMEM
/*
 * The cgroup the page allocator charges for a __GFP_ACCOUNT page allocated
 * now, picked as get_obj_cgroup_from_current() picks it, or NULL for none.
 * Called under rcu_read_lock().
 */
static struct mem_cgroup *sm_charged_memcg(void)
{
	struct mem_cgroup *memcg;

	memcg = in_task() ? current->active_memcg : this_cpu_read(int_active_memcg);
	if (!memcg) {
		if (!in_task() || !current->mm || (current->flags & PF_KTHREAD))
			return NULL;
		memcg = mem_cgroup_from_task(current);
	}
	/* The root cgroup is never charged. */
	return memcg && memcg->css.parent ? memcg : NULL;
}

/*
 * A new child pool of @pool for @memcg, whose reference it takes over, or
 * the one another CPU added first.
 */
static struct smalloc_pool *sm_memcg_child_add(struct smalloc_pool *pool,
					       struct mem_cgroup *memcg,
					       void *stale, gfp_t flags)
{
	unsigned long id = mem_cgroup_id(memcg), irqflags;
	struct smalloc_pool *child, *old;

	child = smalloc_pool_new(pool->name, 1, smalloc_page_gfp(flags));
	if (!child) {
		css_put(&memcg->css);
		return NULL;
	}
	child->memcg = memcg;
	child->parent = pool;
	child->debug = pool->debug;	/* the parent holds the static key */
	xa_lock_irqsave(&pool->memcg_pools, irqflags);
	old = __xa_cmpxchg(&pool->memcg_pools, id, stale, child,
			   smalloc_page_gfp(flags));
	xa_unlock_irqrestore(&pool->memcg_pools, irqflags);
	if (old != stale) {
		/* Lost a race, or out of memory: use theirs, or nothing. */
		smalloc_pool_discard(child);
		return xa_is_err(old) ? NULL : old;
	}
	spin_lock_irqsave(&pool->memcg_lock, irqflags);
	list_add_tail_rcu(&child->memcg_node, &pool->memcg_children);
	spin_unlock_irqrestore(&pool->memcg_lock, irqflags);
	return child;
}

/**
 * smalloc_memcg_child - the pool a small __GFP_ACCOUNT allocation is served from
 * @pool: the pool asked for
 * @flags: the allocation's GFP flags
 *
 * Return: @pool itself unless the caller's memory cgroup is charged for
 * kernel memory; then that cgroup's child pool of @pool, made on first
 * use, or NULL if it cannot be made.
 */
struct smalloc_pool *smalloc_memcg_child(struct smalloc_pool *pool, gfp_t flags)
{
	struct smalloc_pool *child;
	struct mem_cgroup *memcg;

	if (!sm_memcg_kmem_online())
		return pool;
	rcu_read_lock();
	memcg = sm_charged_memcg();
	if (!memcg) {
		rcu_read_unlock();
		return pool;
	}
	/* Ids are reused: an entry of a cgroup gone is replaced. */
	child = xa_load(&pool->memcg_pools, mem_cgroup_id(memcg));
	if (likely(child && child->memcg == memcg)) {
		rcu_read_unlock();
		return child;
	}
	/*
	 * An offline cgroup (its id 0 once released) charges its parent:
	 * serve it uncharged rather than give each one a pool of its own.
	 */
	if (!mem_cgroup_id(memcg) || !css_tryget_online(&memcg->css)) {
		rcu_read_unlock();
		return pool;
	}
	rcu_read_unlock();
	return sm_memcg_child_add(pool, memcg, child, flags);
}

/**
 * smalloc_memcg_destroy - destroy the child pools of a pool
 * @pool: the pool, already out of use
 */
void smalloc_memcg_destroy(struct smalloc_pool *pool)
{
	struct smalloc_pool *child, *next;

	list_for_each_entry_safe(child, next, &pool->memcg_children, memcg_node)
		smalloc_pool_destroy(child);
	xa_destroy(&pool->memcg_pools);
	if (pool->memcg)
		css_put(&pool->memcg->css);
}
#else
struct smalloc_pool *smalloc_memcg_child(struct smalloc_pool *pool, gfp_t flags)
{
	return pool;
}

void smalloc_memcg_destroy(struct smalloc_pool *pool)
{
}
#endif
