// SPDX-License-Identifier: GPL-2.0
/*
 * Entry and exit stamps of any system call of one process.
 *
 * Two probes, on raw_syscalls:sys_enter and raw_syscalls:sys_exit, read
 * the TSC (rdtsc_ordered()) for the calls of one thread group (trace_tgid)
 * and leave, per CPU, a ring of records {tgid, tid, nr, t_enter, t_exit,
 * ret} that user space merges with its own timestamps of the same calls
 * (user/lib/anysys.c): entry, in-kernel and exit phases of getppid, read,
 * write, ... as the noop's ring gives them for nr 500.
 *
 * The probes change what they measure: while they are attached, every
 * task takes the slow syscall entry and exit path (the tracepoints'
 * regfunc sets SYSCALL_WORK_SYSCALL_TRACEPOINT on all tasks). So they
 * are attached only while a tgid is armed, and user space measures the
 * difference (the same call with and without them).
 *
 * Concurrency. Tracepoint probes run with preemption disabled, and no
 * interrupt makes a system call, so each CPU's state has one writer: the
 * CPU itself. A call's entry stamp waits in a small per-CPU table keyed by
 * tid until its exit (the task may block in between and another thread of
 * the group run on the CPU); an exit on another CPU than its entry (a
 * migration) finds nothing and is counted, never guessed. Records are
 * streamed without stopping the writer, as record.c does: record n goes
 * into slot n & mask while ->count == n, then ->count = n + 1 is
 * published with a release store; smp_wmb() orders that store before the
 * next record's slot stores. A reader copies slots, smp_rmb(), re-reads
 * ->count: a record s is whole iff ->count - s < ring size then (the
 * slot's next writer, record s + size, starts only once ->count has
 * reached s + size). Arming clears the state, with the probes detached
 * and synchronized: nothing writes it then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/tracepoint.h>
#include <asm/msr.h>
#include <asm/syscall.h>
#include "anysys.h"
#include "record.h"

#define ANYSYS_RING_MIN		64
#define ANYSYS_RING_MAX		1048576
#define ANYSYS_PENDING		4	/* entry stamps waiting for their exit, per CPU */
#define ANYSYS_BATCH		64	/* records per seq_file item */

/* Arms the stamps from load on: debugfs writes fail under lockdown. */
static unsigned int trace_tgid;
module_param(trace_tgid, uint, 0444);
MODULE_PARM_DESC(trace_tgid, "Stamp entry and exit of every syscall of this tgid from load on (default 0: off; debugfs trace_tgid changes it)");

/* Records a reader can still get, per CPU, between two reads. */
static unsigned int trace_ring_size = 8192;
module_param(trace_ring_size, uint, 0444);
MODULE_PARM_DESC(trace_ring_size, "trace_ring records per CPU: a power of two 64..1048576 (default 8192)");

/* One finished call: 40 bytes. */
struct anysys_slot {
	u64 t_enter;
	u64 t_exit;
	s64 ret;
	u32 tgid;
	u32 tid;
	s32 nr;
	u32 pad;
};

struct anysys_pending {
	u32 tid;	/* 0: free */
	s32 nr;
	u64 t_enter;
};

struct anysys_cpu {
	u64 count;		/* records written since arming = next seq */
	u64 unmatched;		/* exits without an entry stamp on this CPU */
	u64 evicted;		/* entry stamps dropped for a newer one */
	unsigned int victim;	/* next pending slot to evict */
	struct anysys_pending pend[ANYSYS_PENDING];
	struct anysys_slot *ring;
};

static struct anysys_cpu __percpu *anysys_pcpu __read_mostly;
static u32 anysys_mask __read_mostly;
static u32 anysys_tgid __read_mostly;	/* 0: not armed */
static DEFINE_MUTEX(anysys_lock);	/* arming and attach/detach */
static struct tracepoint *tp_enter, *tp_exit;
static bool anysys_attached;

static void anysys_probe_enter(void *data, struct pt_regs *regs, long id)
{
	struct anysys_pending *p, *slot = NULL;
	struct anysys_cpu *pc;
	unsigned int i;
	u64 t;

	/* 0 (not armed) matches no task that makes system calls */
	if (current->tgid != READ_ONCE(anysys_tgid))
		return;
	t = rdtsc_ordered();
	pc = this_cpu_ptr(anysys_pcpu);
	for (i = 0; i < ANYSYS_PENDING; i++) {
		p = &pc->pend[i];
		if (p->tid == current->pid) {
			slot = p;	/* its last call never exited here */
			break;
		}
		if (!p->tid && !slot)
			slot = p;
	}
	if (!slot) {
		slot = &pc->pend[pc->victim];
		pc->victim = (pc->victim + 1) % ANYSYS_PENDING;
		pc->evicted++;
	}
	slot->tid = current->pid;
	slot->nr = id;
	slot->t_enter = t;
}

static void anysys_probe_exit(void *data, struct pt_regs *regs, long ret)
{
	struct anysys_pending *p = NULL;
	struct anysys_slot *s;
	struct anysys_cpu *pc;
	unsigned int i;
	u64 t, n;

	if (current->tgid != READ_ONCE(anysys_tgid))
		return;
	t = rdtsc_ordered();
	pc = this_cpu_ptr(anysys_pcpu);
	for (i = 0; i < ANYSYS_PENDING; i++) {
		if (pc->pend[i].tid == current->pid) {
			p = &pc->pend[i];
			break;
		}
	}
	/*
	 * An entry left here by an earlier call of this thread that
	 * migrated away is not this call's: a mismatched number shows it.
	 */
	if (p && p->nr != syscall_get_nr(current, regs)) {
		p->tid = 0;
		p = NULL;
	}
	if (!p) {
		pc->unmatched++;
		return;
	}
	n = pc->count;
	s = &pc->ring[n & anysys_mask];
	smp_wmb();	/* the previous ->count store before this slot's stores */
	s->t_enter = p->t_enter;
	s->t_exit = t;
	s->ret = ret;
	s->tgid = current->tgid;
	s->tid = current->pid;
	s->nr = p->nr;
	p->tid = 0;
	/* publishes the record: its slot stores before the new count */
	smp_store_release(&pc->count, n + 1);
}

/* With the probes detached and synchronized: nothing writes meanwhile. */
static void anysys_clear(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct anysys_cpu *pc = per_cpu_ptr(anysys_pcpu, cpu);

		WRITE_ONCE(pc->count, 0);
		WRITE_ONCE(pc->unmatched, 0);
		WRITE_ONCE(pc->evicted, 0);
		pc->victim = 0;
		memset(pc->pend, 0, sizeof(pc->pend));
	}
}

/* On return no CPU runs either probe. */
static void anysys_detach_locked(void)
{
	if (anysys_attached) {
		WARN_ON_ONCE(tracepoint_probe_unregister(tp_exit, anysys_probe_exit, NULL));
		WARN_ON_ONCE(tracepoint_probe_unregister(tp_enter, anysys_probe_enter, NULL));
		anysys_attached = false;
		tracepoint_synchronize_unregister();
	}
	WRITE_ONCE(anysys_tgid, 0);
}

/*
 * Arm for @tgid (0: disarm): detach, clear the rings, attach again. A
 * write of the same tgid starts a new session too.
 */
static int anysys_arm_locked(u32 tgid)
{
	int ret;

	anysys_detach_locked();
	if (!tgid)
		return 0;
	if (!tp_enter || !tp_exit)
		return -ENODEV;
	anysys_clear();
	WRITE_ONCE(anysys_tgid, tgid);
	ret = tracepoint_probe_register(tp_enter, anysys_probe_enter, NULL);
	if (ret)
		goto out_disarm;
	ret = tracepoint_probe_register(tp_exit, anysys_probe_exit, NULL);
	if (ret)
		goto out_unregister_enter;
	anysys_attached = true;
	return 0;

out_unregister_enter:
	WARN_ON_ONCE(tracepoint_probe_unregister(tp_enter, anysys_probe_enter, NULL));
	tracepoint_synchronize_unregister();
out_disarm:
	WRITE_ONCE(anysys_tgid, 0);
	return ret;
}

static void anysys_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int *found = priv;

	if (!strcmp(tp->name, "sys_enter")) {
		tp_enter = tp;
		found[0]++;
	} else if (!strcmp(tp->name, "sys_exit")) {
		tp_exit = tp;
		found[1]++;
	}
}

static void anysys_free_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(anysys_pcpu, cpu)->ring);
	free_percpu(anysys_pcpu);
	anysys_pcpu = NULL;
}

static int anysys_alloc_rings(void)
{
	size_t bytes = (size_t)trace_ring_size * sizeof(struct anysys_slot);
	unsigned int cpu;

	anysys_pcpu = alloc_percpu(struct anysys_cpu);
	if (!anysys_pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct anysys_cpu *pc = per_cpu_ptr(anysys_pcpu, cpu);

		pc->ring = kvzalloc_node(bytes, GFP_KERNEL, cpu_to_node(cpu));
		if (!pc->ring) {
			anysys_free_rings();
			return -ENOMEM;
		}
	}
	anysys_mask = trace_ring_size - 1;
	return 0;
}

static int anysys_check_params(void)
{
	if (trace_ring_size < ANYSYS_RING_MIN || trace_ring_size > ANYSYS_RING_MAX ||
	    !is_power_of_2(trace_ring_size)) {
		pr_err("invalid trace_ring_size=%u: need a power of two in %u..%u\n",
		       trace_ring_size, ANYSYS_RING_MIN, ANYSYS_RING_MAX);
		return -EINVAL;
	}
	if ((u64)trace_ring_size * sizeof(struct anysys_slot) * num_possible_cpus() >
	    SYSLAT_RING_TOTAL_MAX) {
		pr_err("invalid trace_ring_size=%u: %u possible CPUs would need more than %lu MiB\n",
		       trace_ring_size, num_possible_cpus(), SYSLAT_RING_TOTAL_MAX >> 20);
		return -EINVAL;
	}
	if (trace_tgid > PID_MAX_LIMIT) {
		pr_err("invalid trace_tgid=%u: need 0..%lu\n", trace_tgid,
		       (unsigned long)PID_MAX_LIMIT);
		return -EINVAL;
	}
	return 0;
}

int syslat_anysys_init(void)
{
	unsigned int found[2] = {};
	int ret;

	ret = anysys_check_params();
	if (ret)
		return ret;
	for_each_kernel_tracepoint(anysys_find_tp, found);
	if (found[0] != 1 || found[1] != 1) {
		tp_enter = NULL;
		tp_exit = NULL;
		if (trace_tgid) {
			pr_err("trace_tgid=%u: %u sys_enter and %u sys_exit tracepoints, expected 1 each\n",
			       trace_tgid, found[0], found[1]);
			return -ENODEV;
		}
		pr_info("no unique raw_syscalls tracepoints: trace_tgid unavailable\n");
	}
	ret = anysys_alloc_rings();
	if (ret) {
		pr_err("cannot allocate the trace rings (trace_ring_size=%u)\n",
		       trace_ring_size);
		return ret;
	}
	if (!trace_tgid)
		return 0;
	mutex_lock(&anysys_lock);
	ret = anysys_arm_locked(trace_tgid);
	mutex_unlock(&anysys_lock);
	if (ret) {
		pr_err("trace_tgid=%u: cannot attach the syscall probes (%d)\n",
		       trace_tgid, ret);
		goto out_free_rings;
	}
	return 0;

out_free_rings:
	anysys_free_rings();
	return ret;
}

void syslat_anysys_exit(void)
{
	mutex_lock(&anysys_lock);
	anysys_detach_locked();
	mutex_unlock(&anysys_lock);
	anysys_free_rings();
}

/*
 * trace_ring: what each CPU's ring held when the file was opened (records
 * overwritten before they are read are left out), CPU by CPU, oldest first.
 */
struct anysys_iter {
	u32 tgid;
	unsigned int cpu;	/* the current item: a CPU ... */
	u64 s;			/* ... and its first record */
	u64 *first, *end;	/* per CPU: [first, end) at open */
	struct anysys_slot batch[ANYSYS_BATCH];
};

/* Item @pos (1..) as a CPU and its first record; false past the end. */
static bool anysys_locate(struct anysys_iter *it, loff_t pos, unsigned int *cpu, u64 *s)
{
	u64 idx = pos - 1;
	unsigned int c;

	for_each_possible_cpu(c) {
		u64 nb = DIV_ROUND_UP(it->end[c] - it->first[c], ANYSYS_BATCH);

		if (idx < nb) {
			*cpu = c;
			*s = it->first[c] + idx * ANYSYS_BATCH;
			return true;
		}
		idx -= nb;
	}
	return false;
}

static void *trace_ring_start(struct seq_file *m, loff_t *pos)
{
	struct anysys_iter *it = m->private;

	if (!*pos)
		return SEQ_START_TOKEN;
	return anysys_locate(it, *pos, &it->cpu, &it->s) ? it : NULL;
}

static void *trace_ring_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return trace_ring_start(m, pos);
}

static void trace_ring_stop(struct seq_file *m, void *v)
{
}

static void trace_ring_header(struct seq_file *m, struct anysys_iter *it)
{
	unsigned int cpu;

	seq_printf(m, "# version: %d\n", SYSLAT_TRACE_VERSION);
	seq_printf(m, "# tgid: %u\n", it->tgid);
	seq_printf(m, "# ring_size: %u\n", trace_ring_size);
	seq_puts(m, "# t_enter, t_exit: TSC (rdtsc_ordered) in the raw_syscalls sys_enter and sys_exit probes\n");
	seq_puts(m, "# cpu_stats\tcpu\trecords\tunmatched_exits\tevicted_entries\n");
	for_each_possible_cpu(cpu) {
		struct anysys_cpu *pc = per_cpu_ptr(anysys_pcpu, cpu);

		seq_printf(m, "# cpu_stats\t%u\t%llu\t%llu\t%llu\n", cpu, it->end[cpu],
			   READ_ONCE(pc->unmatched), READ_ONCE(pc->evicted));
	}
	seq_puts(m, "# cpu\tseq\ttgid\ttid\tnr\tt_enter\tt_exit\tret\n");
}

static int trace_ring_show(struct seq_file *m, void *v)
{
	struct anysys_iter *it = m->private;
	unsigned int cpu = it->cpu, i, n;
	struct anysys_cpu *pc;
	u64 s = it->s, c2;

	if (v == SEQ_START_TOKEN) {
		trace_ring_header(m, it);
		return 0;
	}
	pc = per_cpu_ptr(anysys_pcpu, cpu);
	n = min_t(u64, ANYSYS_BATCH, it->end[cpu] - s);
	for (i = 0; i < n; i++)
		it->batch[i] = pc->ring[(s + i) & anysys_mask];
	smp_rmb();	/* the copies before the re-read of ->count */
	c2 = READ_ONCE(pc->count);
	for (i = 0; i < n; i++) {
		const struct anysys_slot *r = &it->batch[i];

		if (c2 - (s + i) >= trace_ring_size)
			continue;	/* overwritten (or cleared) meanwhile */
		seq_printf(m, "%u\t%llu\t%u\t%u\t%d\t%llu\t%llu\t%lld\n", cpu, s + i,
			   r->tgid, r->tid, r->nr, r->t_enter, r->t_exit, r->ret);
	}
	return 0;
}

static const struct seq_operations trace_ring_sops = {
	.start = trace_ring_start,
	.next = trace_ring_next,
	.stop = trace_ring_stop,
	.show = trace_ring_show,
};

static int trace_ring_open(struct inode *inode, struct file *file)
{
	struct anysys_iter *it;
	unsigned int cpu;

	it = __seq_open_private(file, &trace_ring_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->first = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	it->end = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	if (!it->first || !it->end) {
		kfree(it->first);
		kfree(it->end);
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	it->tgid = READ_ONCE(anysys_tgid);
	for_each_possible_cpu(cpu) {
		/* pairs with the probe's release: records below c are whole */
		u64 c = smp_load_acquire(&per_cpu_ptr(anysys_pcpu, cpu)->count);

		it->end[cpu] = c;
		it->first[cpu] = c > trace_ring_size ? c - trace_ring_size : 0;
	}
	return 0;
}

static int trace_ring_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct anysys_iter *it = m->private;

	kfree(it->first);
	kfree(it->end);
	return seq_release_private(inode, file);
}

static const struct file_operations trace_ring_fops = {
	.owner = THIS_MODULE,
	.open = trace_ring_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = trace_ring_release,
};

static int trace_tgid_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", READ_ONCE(anysys_tgid));
	return 0;
}

static int trace_tgid_open(struct inode *inode, struct file *file)
{
	return single_open(file, trace_tgid_show, inode->i_private);
}

static ssize_t trace_tgid_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	u64 val;
	int ret = syslat_parse_u64(ubuf, count, &val);

	if (ret)
		return ret;
	if (val > PID_MAX_LIMIT)
		return -EINVAL;
	mutex_lock(&anysys_lock);
	ret = anysys_arm_locked(val);
	mutex_unlock(&anysys_lock);
	return ret ? ret : count;
}

static const struct file_operations trace_tgid_fops = {
	.owner = THIS_MODULE,
	.open = trace_tgid_open,
	.read = seq_read,
	.write = trace_tgid_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void syslat_anysys_debugfs(struct dentry *dir)
{
	debugfs_create_file("trace_tgid", 0600, dir, NULL, &trace_tgid_fops);
	debugfs_create_file("trace_ring", 0400, dir, NULL, &trace_ring_fops);
}
