// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs interface, described in syslat_abi.h. Root only. Every write
 * is parsed completely before anything changes; a bad one returns
 * -EINVAL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/threads.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <asm/tsc.h>
#include "anysys.h"
#include "record.h"

/* stats: unchanged since 1 (its counts are derived now, still exact) */
#define SYSLAT_STATS_VERSION	1
/* hist_raw 2: kind loglin (the module's buckets) replaces lin */
#define SYSLAT_HIST_RAW_VERSION	2
/*
 * info 2: nr, timing, filter_tgid, inject_max, module_version added;
 * 3: lin_width gone, hist_exact and hist_sub added
 */
#define SYSLAT_INFO_VERSION	3
#define SYSLAT_STARS		40	/* bar width, as bcc's print_log2_hist */

static struct dentry *syslat_dir;

/*
 * Parse a whole write as one decimal u64: digits only, one trailing '\n'
 * allowed. Anything else (sign, spaces, hex, overflow) is -EINVAL.
 */
int syslat_parse_u64(const char __user *ubuf, size_t count, u64 *val)
{
	char buf[24];

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	/* kstrtou64() would stop at an embedded NUL: "1\0junk" is not "1" */
	if (memchr(buf, '\0', count) || !isdigit(buf[0]) || kstrtou64(buf, 10, val))
		return -EINVAL;
	return 0;
}

static int info_show(struct seq_file *m, void *v)
{
	const struct syslat_backend *b = syslat_current_backend();
	struct syslat_counts c, all = {};
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		syslat_read_counts(cpu, &c);
		all.calls += c.calls;
		all.lost += c.lost;
	}
	seq_printf(m, "# version: %d\n", SYSLAT_INFO_VERSION);
	seq_printf(m, "abi_version\t%d\n", SYSLAT_ABI_VERSION);
	seq_printf(m, "module_version\t%s\n", THIS_MODULE->version);
	seq_printf(m, "nr\t%d\n", syslat_nr);
	seq_printf(m, "hook\t%s\n", syslat_hook_name);
	seq_printf(m, "backend\t%s\n", b ? b->name : "none");
	seq_puts(m, "site\t");
	if (b)
		b->describe(m);
	else
		seq_puts(m, "none");
	seq_putc(m, '\n');
	seq_printf(m, "kernel\t%s\n", init_utsname()->release);
	seq_printf(m, "tsc_khz\t%u\n", tsc_khz);
	seq_printf(m, "ring_size\t%u\n", syslat_ring_size);
	seq_printf(m, "hist_exact\t%lu\n", SYSLAT_HIST_EXACT);
	seq_printf(m, "hist_sub\t%lu\n", SYSLAT_HIST_SUB);
	seq_printf(m, "armed\t%d\n", READ_ONCE(syslat_armed));
	seq_printf(m, "timing\t%d\n", syslat_get_timing());
	seq_printf(m, "filter_tgid\t%u\n", READ_ONCE(syslat_filter_tgid));
	seq_printf(m, "inject_cycles\t%llu\n", READ_ONCE(syslat_inject_cycles));
	seq_printf(m, "inject_max\t%llu\n", syslat_inject_max());
	seq_printf(m, "calls\t%llu\n", all.calls);
	seq_printf(m, "lost\t%llu\n", all.lost);
	seq_printf(m, "nr_cpus\t%u\n", num_possible_cpus());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static void stats_row(struct seq_file *m, const struct syslat_counts *c)
{
	seq_printf(m, "\t%llu\t%llu\t%llu\t%llu\t%llu\n",
		   c->calls, c->lost, c->min, c->max, c->sum);
}

static int stats_show(struct seq_file *m, void *v)
{
	struct syslat_counts c, all = {};
	unsigned int cpu;

	seq_printf(m, "# version: %d\n", SYSLAT_STATS_VERSION);
	seq_puts(m, "# t_exit - t_entry in TSC cycles; lost = ring records overwritten\n");
	seq_puts(m, "# cpu\tcalls\tlost\tmin\tmax\tsum\n");
	for_each_possible_cpu(cpu) {
		syslat_read_counts(cpu, &c);
		seq_printf(m, "%u", cpu);
		stats_row(m, &c);
		if (!c.calls)
			continue;
		if (!all.calls || c.min < all.min)
			all.min = c.min;
		all.max = max(all.max, c.max);
		all.calls += c.calls;
		all.lost += c.lost;
		all.sum += c.sum;
	}
	seq_puts(m, "all");
	stats_row(m, &all);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

typedef void (*snap_fn)(struct seq_file *m, const char *label,
			const struct syslat_snap *s);

/*
 * Read every CPU's counters and histograms, call @fn for each CPU with
 * calls (label "N") and then for their sum (label "all").
 */
static int show_snaps(struct seq_file *m, snap_fn fn)
{
	struct syslat_snap *cur, *all;
	unsigned int cpu;
	char label[16];

	cur = kmalloc(sizeof(*cur), GFP_KERNEL);
	all = kzalloc(sizeof(*all), GFP_KERNEL);
	if (!cur || !all) {
		kfree(cur);
		kfree(all);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		syslat_read_snap(cpu, cur);
		if (!cur->c.calls)
			continue;
		snprintf(label, sizeof(label), "%u", cpu);
		fn(m, label, cur);
		syslat_add_snap(all, cur);
	}
	fn(m, "all", all);
	kfree(cur);
	kfree(all);
	return 0;
}

/* One bcc-style bar: @val relative to @max, SYSLAT_STARS wide. */
static void hist_stars(struct seq_file *m, u64 val, u64 max)
{
	unsigned int i, stars = max ? div64_u64(min(val, max) * SYSLAT_STARS, max) : 0;

	seq_putc(m, '|');
	for (i = 0; i < SYSLAT_STARS; i++)
		seq_putc(m, i < stars ? '*' : ' ');
	seq_puts(m, "|\n");
}

/*
 * The log2 view (bcc's buckets: 0 holds 0..1, b holds 2^b..2^(b+1)-1):
 * every bucket of the module's histogram lies within one of them.
 */
static void snap_log2(const struct syslat_snap *s, u64 *log2)
{
	unsigned int i;
	u64 lo, hi;

	memset(log2, 0, SYSLAT_LOG2_BUCKETS * sizeof(*log2));
	for (i = 0; i < SYSLAT_HIST_BUCKETS; i++) {
		if (!s->hist[i])
			continue;
		syslat_bucket_range(i, &lo, &hi);
		log2[__fls(lo | 1)] += s->hist[i];
	}
}

static void hist_log2(struct seq_file *m, const u64 *log2)
{
	int i, last = -1, width;
	u64 max = 0;

	for (i = 0; i < SYSLAT_LOG2_BUCKETS; i++) {
		if (log2[i])
			last = i;
		max = max(max, log2[i]);
	}
	if (last < 0)
		return;
	width = last < 32 ? 10 : 20;	/* as bcc: wider for big values */
	seq_printf(m, "%*s%-*s : count    distribution\n",
		   width - 5, "", width + 9, "cycles");
	for (i = 0; i <= last; i++) {
		u64 lo = i ? 1ULL << i : 0;
		u64 hi = i < 63 ? (1ULL << (i + 1)) - 1 : U64_MAX;

		seq_printf(m, "%*llu -> %-*llu : %-8llu ", width, lo, width,
			   hi, log2[i]);
		hist_stars(m, log2[i], max);
	}
}

/* The module's own buckets, non-empty ones only. */
static void hist_loglin(struct seq_file *m, const struct syslat_snap *s)
{
	unsigned int i;
	u64 lo, hi, max = 0;

	for (i = 0; i < SYSLAT_HIST_BUCKETS; i++)
		max = max(max, s->hist[i]);
	if (!max)
		return;
	seq_printf(m, "%5s%-19s : count    distribution\n", "", "cycles");
	for (i = 0; i < SYSLAT_HIST_BUCKETS; i++) {
		if (!s->hist[i])
			continue;
		syslat_bucket_range(i, &lo, &hi);
		seq_printf(m, "%10llu -> %-10llu : %-8llu ", lo, hi, s->hist[i]);
		hist_stars(m, s->hist[i], max);
	}
}

static void hist_one(struct seq_file *m, const char *label,
		     const struct syslat_snap *s)
{
	u64 log2[SYSLAT_LOG2_BUCKETS];

	seq_printf(m, "cpu %s: calls %llu sum %llu min %llu max %llu (TSC cycles, t_exit - t_entry)\n",
		   label, s->c.calls, s->c.sum, s->c.min, s->c.max);
	if (!s->c.calls) {
		seq_puts(m, "\n");
		return;
	}
	seq_puts(m, "log2:\n");
	snap_log2(s, log2);
	hist_log2(m, log2);
	seq_printf(m, "log-linear (one cycle per bucket below %lu, then %lu per power of two), non-empty buckets:\n",
		   SYSLAT_HIST_EXACT, SYSLAT_HIST_SUB);
	hist_loglin(m, s);
	seq_putc(m, '\n');
}

static int hist_show(struct seq_file *m, void *v)
{
	return show_snaps(m, hist_one);
}
DEFINE_SHOW_ATTRIBUTE(hist);

static void hist_raw_one(struct seq_file *m, const char *label,
			 const struct syslat_snap *s)
{
	u64 log2[SYSLAT_LOG2_BUCKETS], lo, hi;
	unsigned int i;

	snap_log2(s, log2);
	for (i = 0; i < SYSLAT_LOG2_BUCKETS; i++) {
		if (!log2[i])
			continue;
		seq_printf(m, "%s\tlog2\t%llu\t%llu\t%llu\n", label,
			   i ? 1ULL << i : 0,
			   i < 63 ? (1ULL << (i + 1)) - 1 : U64_MAX, log2[i]);
	}
	for (i = 0; i < SYSLAT_HIST_BUCKETS; i++) {
		if (!s->hist[i])
			continue;
		syslat_bucket_range(i, &lo, &hi);
		seq_printf(m, "%s\tloglin\t%llu\t%llu\t%llu\n", label, lo, hi,
			   s->hist[i]);
	}
}

static int hist_raw_show(struct seq_file *m, void *v)
{
	seq_printf(m, "# version: %d\n", SYSLAT_HIST_RAW_VERSION);
	seq_puts(m, "# t_exit - t_entry in TSC cycles; lo and hi inclusive; non-empty buckets only\n");
	seq_printf(m, "# loglin: the module's buckets, one per cycle below %lu, then %lu per power of two; log2: their sums\n",
		   SYSLAT_HIST_EXACT, SYSLAT_HIST_SUB);
	seq_puts(m, "# cpu\tkind\tlo\thi\tcount\n");
	return show_snaps(m, hist_raw_one);
}
DEFINE_SHOW_ATTRIBUTE(hist_raw);

/*
 * The ring as a seq_file of binary records: each CPU sampled when reached,
 * records copied in batches while the writer goes on (record.c);
 * records overwritten before they are read are skipped.
 */
static void *ring_start(struct seq_file *m, loff_t *pos)
{
	struct syslat_ring_iter *it = m->private;

	return syslat_ring_seek(it, *pos) ? it : NULL;
}

static void *ring_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return ring_start(m, pos);
}

static void ring_stop(struct seq_file *m, void *v)
{
}

static int ring_show(struct seq_file *m, void *v)
{
	struct syslat_ring_iter *it = v;
	unsigned int n = syslat_ring_copy(it);

	if (!n)
		return SEQ_SKIP;
	seq_write(m, it->batch, n * sizeof(it->batch[0]));
	return 0;
}

static const struct seq_operations ring_sops = {
	.start = ring_start,
	.next = ring_next,
	.stop = ring_stop,
	.show = ring_show,
};

static int ring_open(struct inode *inode, struct file *file)
{
	struct syslat_ring_iter *it;
	int ret;

	it = __seq_open_private(file, &ring_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	ret = syslat_ring_iter_init(it);
	if (ret)
		seq_release_private(inode, file);
	return ret;
}

static int ring_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	syslat_ring_iter_free(m->private);
	return seq_release_private(inode, file);
}

static const struct file_operations ring_fops = {
	.owner = THIS_MODULE,
	.open = ring_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ring_release,
};

static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	u64 val;
	int ret = syslat_parse_u64(ubuf, count, &val);

	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	syslat_record_reset();
	return count;
}

static const struct file_operations reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_write,
	.llseek = noop_llseek,
};

static int armed_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", READ_ONCE(syslat_armed));
	return 0;
}

static int armed_open(struct inode *inode, struct file *file)
{
	return single_open(file, armed_show, inode->i_private);
}

static ssize_t armed_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	u64 val;
	int ret = syslat_parse_u64(ubuf, count, &val);

	if (ret)
		return ret;
	if (val > 1)
		return -EINVAL;
	ret = syslat_set_armed(val);
	return ret ? ret : count;
}

static const struct file_operations armed_fops = {
	.owner = THIS_MODULE,
	.open = armed_open,
	.read = seq_read,
	.write = armed_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * The u64 runtime controls: one show and one write each, the write
 * parsed and range-checked completely before anything changes.
 */
enum syslat_ctl { CTL_INJECT, CTL_TIMING, CTL_FILTER };

static u64 ctl_get(enum syslat_ctl c)
{
	switch (c) {
	case CTL_INJECT:
		return READ_ONCE(syslat_inject_cycles);
	case CTL_TIMING:
		return syslat_get_timing();
	default:
		return READ_ONCE(syslat_filter_tgid);
	}
}

static int ctl_set(enum syslat_ctl c, u64 val)
{
	switch (c) {
	case CTL_INJECT:
		if (val > syslat_inject_max())
			return -EINVAL;
		WRITE_ONCE(syslat_inject_cycles, val);
		syslat_update_slow();
		return 0;
	case CTL_TIMING:
		if (val > 1)
			return -EINVAL;
		return syslat_set_timing(val);
	default:
		if (val > PID_MAX_LIMIT)
			return -EINVAL;
		WRITE_ONCE(syslat_filter_tgid, val);
		syslat_update_slow();
		return 0;
	}
}

static int ctl_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu\n", ctl_get((uintptr_t)m->private));
	return 0;
}

static int ctl_open(struct inode *inode, struct file *file)
{
	return single_open(file, ctl_show, inode->i_private);
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	u64 val;
	int ret = syslat_parse_u64(ubuf, count, &val);

	if (!ret)
		ret = ctl_set((uintptr_t)m->private, val);
	return ret ? ret : count;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.read = seq_read,
	.write = ctl_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void syslat_debugfs_init(void)
{
	syslat_dir = debugfs_create_dir("syslat", NULL);
	debugfs_create_file("info", 0400, syslat_dir, NULL, &info_fops);
	debugfs_create_file("stats", 0400, syslat_dir, NULL, &stats_fops);
	debugfs_create_file("hist", 0400, syslat_dir, NULL, &hist_fops);
	debugfs_create_file("hist_raw", 0400, syslat_dir, NULL, &hist_raw_fops);
	debugfs_create_file("ring", 0400, syslat_dir, NULL, &ring_fops);
	debugfs_create_file("reset", 0200, syslat_dir, NULL, &reset_fops);
	debugfs_create_file("armed", 0600, syslat_dir, NULL, &armed_fops);
	debugfs_create_file("inject_cycles", 0600, syslat_dir,
			    (void *)CTL_INJECT, &ctl_fops);
	debugfs_create_file("timing", 0600, syslat_dir, (void *)CTL_TIMING,
			    &ctl_fops);
	debugfs_create_file("filter_tgid", 0600, syslat_dir,
			    (void *)CTL_FILTER, &ctl_fops);
	syslat_anysys_debugfs(syslat_dir);
}

void syslat_debugfs_exit(void)
{
	debugfs_remove_recursive(syslat_dir);
	syslat_dir = NULL;
}
