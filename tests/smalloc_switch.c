// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Calls each kmalloc-family function that smalloc_kmalloc.h renames, in the
 * kernel's own spelling, as a converted module would; its load fails if an
 * allocation did. scripts/fs-test.sh reads its undefined symbols.
 */

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

struct item {
	struct rcu_head rcu;
	char name[24];
};

static void (*const free_fn)(const void *) = kfree;	/* kfree as a pointer */

/* __free(kfree), which pastes its argument into a name. */
static int free_on_scope_exit(void)
{
	char *g __free(kfree) = kmalloc(8, GFP_KERNEL);

	return g ? 0 : -ENOMEM;
}

static int __init smalloc_switch_init(void)
{
	struct item *it = kzalloc(sizeof(*it), GFP_KERNEL);
	u32 *a = kmalloc_array(4, sizeof(*a), GFP_KERNEL);
	u32 *c = kcalloc(4, sizeof(*c), GFP_KERNEL);
	char *s = kstrdup("x", GFP_KERNEL), *n = kstrndup("xy", 1, GFP_KERNEL);
	char *f = kasprintf(GFP_KERNEL, "%d", 1);
	const char *k = kstrdup_const("y", GFP_KERNEL);
	void *m = kmemdup("z", 1, GFP_KERNEL), *z = kmemdup_nul("z", 1, GFP_KERNEL);
	void *v = kvmalloc(1 << 20, GFP_KERNEL), *vz = kvzalloc(64, GFP_KERNEL);
	void *va = kvmalloc_array(2, 64, GFP_KERNEL), *vc = kvcalloc(2, 64, GFP_KERNEL);
	void *o = kmalloc(16, GFP_KERNEL), *q = kmalloc_node(16, GFP_KERNEL, 0);
	void *r = kzalloc_node(16, GFP_KERNEL, 0), *p;
	int err = free_on_scope_exit();

	p = krealloc(o, 32, GFP_KERNEL);
	if (!p)
		kfree(o);
	if (!it || !a || !c || !s || !n || !f || !k || !m || !z || !v || !vz ||
	    !va || !vc || !p || !q || !r || ksize(p) < 32)
		err = -ENOMEM;
	kfree_rcu(it, rcu);
	kfree(a);
	free_fn(c);
	kfree_sensitive(s);
	kfree(n);
	kfree(f);
	kfree_const(k);
	kfree(m);
	kfree(z);
	kvfree(v);
	kvfree_sensitive(vz, 64);
	kvfree(va);
	kvfree(vc);
	kfree(p);
	kfree(q);
	kfree(r);
	return err;
}
module_init(smalloc_switch_init);

static void __exit smalloc_switch_exit(void)
{
}
module_exit(smalloc_switch_exit);

MODULE_DESCRIPTION("Every call smalloc_kmalloc.h renames");
MODULE_LICENSE("Dual MIT/GPL");
