// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * /sys/kernel/debug/smalloc/: "status" maps every page of the default pool,
 * "stats" counts pages, objects and bytes, "verify" checks every page (see
 * smalloc_debug.c); each pool made with smalloc_pool_create() has the same
 * three files in a directory named after it. All are root-only and print
 * page ids, never addresses.
 *
 * "status" walks the pages with seq_file one page per record and copies each
 * page's status array under its arena lock, so no lock is held while the
 * text is formatted or copied to user space, and any number of pages prints.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "smalloc_internal.h"
#include "smalloc_status.h"

static struct dentry *smalloc_debugfs_root;

/* Record 0 is the header; page records sit at position pfn + 1. */
static void *sm_status_start(struct seq_file *m, loff_t *pos)
{
	struct smalloc_status_iter *iter = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	iter->pfn = *pos - 1;
	if (!smalloc_next_page(iter->pool, &iter->pfn))
		return NULL;
	*pos = iter->pfn + 1;
	return iter;
}

static void *sm_status_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct smalloc_status_iter *iter = m->private;

	iter->pfn = v == SEQ_START_TOKEN ? 0 : iter->pfn + 1;
	if (!smalloc_next_page(iter->pool, &iter->pfn)) {
		++*pos;
		return NULL;
	}
	*pos = iter->pfn + 1;
	return iter;
}

static void sm_status_stop(struct seq_file *m, void *v)
{
}

void smalloc_status_seq_show_page(struct seq_file *m,
				  const struct smalloc_page_copy *copy)
{
	static const char unit_char[] = ".123";
	const struct smalloc_page *sp = &copy->sp;
	unsigned int unit;

	/* A quarantined page's array is not to be believed: say so only. */
	if (copy->info.quarantined) {
		seq_printf(m, "%u quarantined\n", copy->info.id);
		return;
	}
	/* The page's own hint is only an upper bound: count the real run. */
	seq_printf(m, "%u %u %u ", copy->info.id, copy->info.nr_free,
		   sm_longest_run(sp, 0));
	for (unit = 0; unit < SM_UNITS; unit++)
		seq_putc(m, unit_char[smalloc_unit_code(sp, unit)]);
	seq_putc(m, '\n');
}

static int sm_status_show(struct seq_file *m, void *v)
{
	struct smalloc_status_iter *iter = m->private;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "# page free_units longest_free_run then %lu units of %u bytes: . free, 1 2 3 used\n",
			   (unsigned long)SM_UNITS, SM_UNIT_SIZE);
		return 0;
	}
	/* Released since we found it: say nothing. */
	if (!smalloc_page_snapshot(iter->pool, iter->pfn, &iter->copy))
		return SEQ_SKIP;
	smalloc_status_seq_show_page(m, &iter->copy);
	return 0;
}

const struct seq_operations smalloc_status_seq_ops = {
	.start	= sm_status_start,
	.next	= sm_status_next,
	.stop	= sm_status_stop,
	.show	= sm_status_show,
};

static int sm_status_open(struct inode *inode, struct file *file)
{
	struct smalloc_status_iter *iter;

	iter = __seq_open_private(file, &smalloc_status_seq_ops, sizeof(*iter));
	if (!iter)
		return -ENOMEM;
	iter->pool = inode->i_private;
	return 0;
}

static const struct file_operations sm_status_fops = {
	.owner		= THIS_MODULE,
	.open		= sm_status_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release_private,
};

void smalloc_stats_seq_show(struct seq_file *m, struct smalloc_pool *pool)
{
	struct smalloc_stats st;
	unsigned int stat;

	smalloc_stats_snapshot(pool, &st);
	for (stat = 0; stat < SM_STAT_NR; stat++)
		seq_printf(m, "%s: %llu\n", smalloc_stat_names[stat], st.v[stat]);
	seq_printf(m, "metadata_bytes: %llu\n", sm_stat(st, PAGES) *
		   (SM_DATA_OFFSET + sizeof(struct smalloc_page_info)) +
		   smalloc_pool_bytes(pool));
	seq_printf(m, "refused_frees: %ld\n",
		   atomic_long_read(&pool->refused_frees));
	seq_printf(m, "debug_reports: %ld\n",
		   atomic_long_read(&pool->debug_reports));
}

static int sm_stats_show(struct seq_file *m, void *v)
{
	smalloc_stats_seq_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sm_stats);

static int sm_verify_show(struct seq_file *m, void *v)
{
	smalloc_verify_seq_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sm_verify);

void smalloc_debugfs_init(void)
{
	smalloc_debugfs_root = debugfs_create_dir("smalloc", NULL);
}

/*
 * Add @pool's "status" and "stats" in a directory @dir of smalloc's, or at
 * the top if @dir is NULL. Returns the new directory, for removal.
 */
struct dentry *smalloc_debugfs_add(struct smalloc_pool *pool, const char *dir)
{
	struct dentry *parent = smalloc_debugfs_root;

	if (dir)
		parent = debugfs_create_dir(dir, smalloc_debugfs_root);
	debugfs_create_file("status", 0400, parent, pool, &sm_status_fops);
	debugfs_create_file("stats", 0400, parent, pool, &sm_stats_fops);
	debugfs_create_file("verify", 0400, parent, pool, &sm_verify_fops);
	return dir ? parent : NULL;
}

void smalloc_debugfs_exit(void)
{
	debugfs_remove_recursive(smalloc_debugfs_root);
}
