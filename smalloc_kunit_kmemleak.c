// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit case: kmemleak sees smalloc objects as it sees kmalloc ones. A
 * pointer held only inside a smalloc object keeps its target alive, and a
 * smalloc object nobody points to is reported.
 *
 * kmemleak scans on request only through its debugfs file, whose write
 * handler takes a user-space buffer: the case mounts debugfs inside the
 * kernel and borrows a fresh mm for a buffer, as KUnit does from 6.11 on.
 */

#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "smalloc_core.h"

#ifdef CONFIG_DEBUG_KMEMLEAK

#define KMEMLEAK_MIN_AGE_MS	5000	/* younger objects are never reported */
#define REPORT_BUF_SIZE		(256 * 1024)

struct kmemleak_file {
	struct vfsmount *mnt;
	struct file *file;
	char __user *ubuf;
};

/* Scanned by kmemleak: what it finds here is referenced. */
static void **kept_holder;

static int kmemleak_file_open(struct kunit *test, struct kmemleak_file *k)
{
	struct file_system_type *debugfs = get_fs_type("debugfs");
	struct mm_struct *mm;

	if (!debugfs)
		return -ENODEV;
	k->mnt = kern_mount(debugfs);
	put_filesystem(debugfs);
	if (IS_ERR(k->mnt))
		return PTR_ERR(k->mnt);
	k->file = file_open_root_mnt(k->mnt, "kmemleak", O_RDWR, 0);
	if (IS_ERR(k->file)) {
		kern_unmount(k->mnt);
		return PTR_ERR(k->file);
	}
	if (!current->mm) {
		mm = mm_alloc();
		if (!mm)
			return -ENOMEM;
		mm->task_size = TASK_SIZE;
		arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
		kthread_use_mm(mm);	/* dropped when the case's thread exits */
	}
	k->ubuf = (char __user *)vm_mmap(NULL, 0, REPORT_BUF_SIZE,
					 PROT_READ | PROT_WRITE,
					 MAP_ANONYMOUS | MAP_PRIVATE, 0);
	return IS_ERR_VALUE((unsigned long)k->ubuf) ? -ENOMEM : 0;
}

static void kmemleak_file_close(struct kmemleak_file *k)
{
	fput(k->file);
	kern_unmount(k->mnt);
}

static void kmemleak_command(struct kunit *test, struct kmemleak_file *k,
			     const char *cmd)
{
	loff_t pos = 0;

	KUNIT_ASSERT_EQ(test, copy_to_user(k->ubuf, cmd, strlen(cmd)), 0);
	KUNIT_EXPECT_EQ(test, vfs_write(k->file, k->ubuf, strlen(cmd), &pos),
			(ssize_t)strlen(cmd));
}

/* Was the object at ~@hidden among the unreferenced ones of the last scan? */
static bool kmemleak_reports(struct kunit *test, struct kmemleak_file *k,
			     unsigned long hidden)
{
	char *text = kunit_kzalloc(test, REPORT_BUF_SIZE + 1, GFP_KERNEL);
	char want[48];
	ssize_t len, n;
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, text);
	for (len = 0; len < REPORT_BUF_SIZE; len += n) {
		n = vfs_read(k->file, k->ubuf, REPORT_BUF_SIZE - len, &pos);
		if (n <= 0)
			break;
		KUNIT_ASSERT_EQ(test, copy_from_user(text + len, k->ubuf, n), 0);
	}
	snprintf(want, sizeof(want), "unreferenced object 0x%08lx ", ~hidden);
	return strstr(text, want);
}

/*
 * A smalloc object pointing to a kmalloc'd one, held in kept_holder, and a
 * smalloc object nobody holds. Out of line, and the pointers returned
 * inverted, so that kmemleak finds no copy of them in the case's frame.
 * The holder was resized in place, to the units it had: kmemleak must know
 * it once, at its new size.
 */
static noinline void make_objects(unsigned long *hidden_target,
				  unsigned long *hidden_leaked)
{
	void *target = kmalloc(100, GFP_KERNEL);

	kept_holder = smalloc_realloc(smalloc_alloc(60, GFP_KERNEL), 64,
				      GFP_KERNEL);
	if (kept_holder)
		kept_holder[0] = target;
	*hidden_target = ~(unsigned long)target;
	*hidden_leaked = ~(unsigned long)smalloc_alloc(48, GFP_KERNEL);
}

/*
 * kmemleak scans a task's whole stack, dead frames too: wipe those that
 * the allocators left pointers in, a few frames deep.
 */
static noinline void scrub_stack(unsigned int depth)
{
	char junk[768];

	memzero_explicit(junk, sizeof(junk));
	if (depth)
		scrub_stack(depth - 1);
}

static void kmemleak_scans_and_reports_objects(struct kunit *test)
{
	unsigned long target, leaked;
	struct kmemleak_file k;

	KUNIT_ASSERT_EQ(test, kmemleak_file_open(test, &k), 0);
	make_objects(&target, &leaked);
	scrub_stack(5);

	/* Old enough to report; the first scan sees them as new, the second as left. */
	msleep(KMEMLEAK_MIN_AGE_MS + 500);
	kunit_info(test, "smalloc: expected reports begin\n");
	kmemleak_command(test, &k, "scan");
	kmemleak_command(test, &k, "scan");
	KUNIT_EXPECT_TRUE(test, kmemleak_reports(test, &k, leaked));
	KUNIT_EXPECT_FALSE(test, kmemleak_reports(test, &k, target));
	kmemleak_command(test, &k, "clear");
	kunit_info(test, "smalloc: expected reports end\n");

	KUNIT_EXPECT_NE(test, leaked, ~0UL);
	KUNIT_ASSERT_NOT_NULL(test, kept_holder);
	KUNIT_EXPECT_EQ(test, (unsigned long)kept_holder[0], ~target);
	smalloc_free((void *)~leaked);
	kfree(kept_holder[0]);
	smalloc_free(kept_holder);
	kept_holder = NULL;
	kmemleak_file_close(&k);
}
#else
static void kmemleak_scans_and_reports_objects(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_DEBUG_KMEMLEAK");
}
#endif

static struct kunit_case smalloc_kmemleak_cases[] = {
	KUNIT_CASE(kmemleak_scans_and_reports_objects),
	{}
};

static struct kunit_suite smalloc_kmemleak = {
	.name = "smalloc_kmemleak",
	.test_cases = smalloc_kmemleak_cases,
};

kunit_test_suite(smalloc_kmemleak);
