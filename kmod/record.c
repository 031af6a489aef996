// SPDX-License-Identifier: GPL-2.0
/*
 * The noop system call and its per-CPU timing state.
 *
 * Each CPU owns a struct syslat_cpu: counters, a log2 and a linear
 * histogram of (t_exit - t_entry), and a ring of struct syslat_record.
 * Only the owning CPU writes it, from syslat_noop() with preemption
 * disabled; debugfs reads it from any CPU without locks:
 *
 * - Ring records: each slot's seq field doubles as its version. The
 *   writer stores SYSLAT_SEQ_BUSY, then the other fields, then the
 *   record's seq with release semantics, then ->calls (the number of
 *   records written, i.e. the next seq) with release semantics. A
 *   reader takes ->calls with acquire, reads slot seq (acquire), copies
 *   the record, and re-reads seq after smp_rmb(); it keeps the copy only
 *   if both reads return the seq it expects for that slot, otherwise the
 *   slot was being rewritten or has been overwritten, and it is skipped
 *   (such a record is counted as lost anyway). A reader never waits and
 *   never returns a torn record. On x86 all these barriers are compiler
 *   barriers only.
 *
 * - Reset: the writer is the only one that may clear its CPU's state, so
 *   "reset" only bumps syslat_epoch. A CPU whose ->epoch differs reads as
 *   all zero, and clears itself at its next call (see syslat_noop()).
 *   Ring readers re-check ->epoch after copying a CPU's records and
 *   discard them if a clear happened meanwhile, since seq numbers start
 *   again from 0 after a reset.
 *
 *   Counter and histogram readers re-check the global epoch after their
 *   copy and read all zero when a reset landed meanwhile.
 *
 * - Counters and histograms are plain u64 stores by the owner and
 *   READ_ONCE() by readers: a read racing with calls may be a few calls
 *   out of step between fields (->calls is published before the
 *   histogram increments), never torn (aligned 64-bit accesses). Totals
 *   match exactly once the CPU is quiet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/processor.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/msr.h>
#include "record.h"

/* Marks a ring slot whose record is being written. */
#define SYSLAT_SEQ_BUSY		U64_MAX

struct syslat_cpu {
	/* written on every call */
	u64 calls;		/* records written since reset = next seq */
	u64 min;
	u64 max;
	u64 sum;
	/* read on every call */
	unsigned long epoch;	/* counters are current iff == syslat_epoch */
	struct syslat_record *ring;
	u32 cpu;
	u64 log2[SYSLAT_LOG2_BUCKETS];
	u64 lin[SYSLAT_LIN_BUCKETS];
};

static struct syslat_cpu __percpu *syslat_pcpu __read_mostly;
static unsigned long syslat_epoch __read_mostly;	/* bumped by reset */
static u32 syslat_ring_mask __read_mostly;
static u64 syslat_lin_limit __read_mostly;	/* start of the overflow bucket */

u64 syslat_inject_cycles __read_mostly;
unsigned int syslat_ring_size __read_mostly;
unsigned int syslat_lin_width __read_mostly;

/* Zero this CPU's counters; its ring is emptied by ->calls = 0. */
static void syslat_cpu_clear(struct syslat_cpu *pc, unsigned long epoch)
{
	WRITE_ONCE(pc->calls, 0);
	pc->min = U64_MAX;
	pc->max = 0;
	pc->sum = 0;
	memset(pc->log2, 0, sizeof(pc->log2));
	memset(pc->lin, 0, sizeof(pc->lin));
	/* Counters are zero before the new epoch makes them current ... */
	smp_store_release(&pc->epoch, epoch);
	/* ... and the new epoch is visible before any new ring record. */
	smp_wmb();
}

/*
 * The noop system call, called by a backend for nr 500 with preemption
 * disabled: the tracepoint probe and the patch trampoline's C entry
 * (syslat_patch_noop()) both disable it around the call.
 *
 * The timed window [t_entry, t_exit] contains: the per-CPU pointer and
 * configuration loads, the reset check, the injected busy-wait, and
 * opening the ring slot (storing BUSY, cookie, t_entry, cpu, flags).
 * Work that needs t_exit comes after it and is not timed: storing
 * t_exit and publishing the record (seq, ->calls), min/max/sum, the two
 * histogram increments, and regs->ax. A few dozen instructions; the user
 * side's round trip includes them, the kernel's (t_exit - t_entry) not.
 */
void syslat_noop(struct pt_regs *regs)
{
	/*
	 * rdtsc_ordered() is LFENCE;RDTSC (or RDTSCP) by alternatives: the
	 * fence lets the TSC be read only once every earlier instruction
	 * (the syscall entry work and the hook's checks) has completed, so
	 * none of that leaks into the window.
	 */
	u64 t_entry = rdtsc_ordered();
	struct syslat_cpu *pc = this_cpu_ptr(syslat_pcpu);
	unsigned long epoch = READ_ONCE(syslat_epoch);
	u64 inject = READ_ONCE(syslat_inject_cycles);
	struct syslat_record *rec;
	u64 seq, t_exit, delta;

	if (unlikely(pc->epoch != epoch)) {
		/*
		 * First call on this CPU since a reset: clearing costs a few
		 * hundred cycles, which must not count as this call's
		 * latency, so the window restarts after it.
		 */
		syslat_cpu_clear(pc, epoch);
		t_entry = rdtsc_ordered();
	}

	if (inject) {
		u64 start = rdtsc();

		while (rdtsc() - start < inject)
			cpu_relax();
	}

	seq = pc->calls;
	rec = &pc->ring[seq & syslat_ring_mask];
	WRITE_ONCE(rec->seq, SYSLAT_SEQ_BUSY);
	smp_wmb();	/* BUSY before the fields; pairs with the reader's rmb */
	rec->cookie = regs->di;
	rec->t_entry = t_entry;
	rec->cpu = pc->cpu;
	rec->flags = 0;

	/*
	 * Same fence as at entry: the TSC is read only once the
	 * bookkeeping above (and the injected wait) has completed.
	 */
	t_exit = rdtsc_ordered();

	rec->t_exit = t_exit;
	/* release: the fields before seq (pairs with syslat_copy_ring()) */
	smp_store_release(&rec->seq, seq);
	/* release: the record before ->calls that counts it */
	smp_store_release(&pc->calls, seq + 1);

	delta = t_exit - t_entry;
	if (delta < pc->min)
		pc->min = delta;
	if (delta > pc->max)
		pc->max = delta;
	pc->sum += delta;
	/* bcc's log2 buckets: 0 holds 0..1, b holds 2^b..2^(b+1)-1 */
	pc->log2[delta ? ilog2(delta) : 0]++;
	if (delta >= syslat_lin_limit)
		pc->lin[SYSLAT_LIN_BUCKETS - 1]++;
	else
		pc->lin[div_u64(delta, syslat_lin_width)]++;

	regs->ax = SYSLAT_NOOP_RET;
}

/* @cpu's state if it is current (not pending a reset), else NULL. */
static u64 syslat_lost(u64 calls)
{
	return calls > syslat_ring_size ? calls - syslat_ring_size : 0;
}

/*
 * Copy @cpu's counters, and its histograms when @log2/@lin are given, as
 * of one epoch. A CPU with a reset pending reads as all zero; so does one
 * whose reset lands during the copy (the global epoch moved), since the
 * fields could then mix the two epochs. A clear starts only after the
 * global bump, so an unchanged epoch after the copy means none ran.
 */
static void syslat_read_cpu(unsigned int cpu, struct syslat_counts *c,
			    u64 *log2, u64 *lin)
{
	struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);
	u64 epoch = READ_ONCE(syslat_epoch);
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (log2) {
		memset(log2, 0, SYSLAT_LOG2_BUCKETS * sizeof(*log2));
		memset(lin, 0, SYSLAT_LIN_BUCKETS * sizeof(*lin));
	}
	/* acquire: pairs with syslat_cpu_clear(), counters are zeroed first */
	if (smp_load_acquire(&pc->epoch) != epoch)
		return;
	c->calls = READ_ONCE(pc->calls);
	c->min = READ_ONCE(pc->min);
	c->max = READ_ONCE(pc->max);
	c->sum = READ_ONCE(pc->sum);
	for (i = 0; log2 && i < SYSLAT_LOG2_BUCKETS; i++)
		log2[i] = READ_ONCE(pc->log2[i]);
	for (i = 0; lin && i < SYSLAT_LIN_BUCKETS; i++)
		lin[i] = READ_ONCE(pc->lin[i]);
	smp_rmb();	/* the copy above before the re-check */
	if (READ_ONCE(syslat_epoch) != epoch || READ_ONCE(pc->epoch) != epoch ||
	    !c->calls) {
		memset(c, 0, sizeof(*c));
		if (log2) {
			memset(log2, 0, SYSLAT_LOG2_BUCKETS * sizeof(*log2));
			memset(lin, 0, SYSLAT_LIN_BUCKETS * sizeof(*lin));
		}
		return;
	}
	c->lost = syslat_lost(c->calls);
	if (c->min == U64_MAX)	/* raced with the first call */
		c->min = 0;
}

void syslat_read_counts(unsigned int cpu, struct syslat_counts *c)
{
	syslat_read_cpu(cpu, c, NULL, NULL);
}

void syslat_read_snap(unsigned int cpu, struct syslat_snap *s)
{
	syslat_read_cpu(cpu, &s->c, s->log2, s->lin);
}

/* Accumulate @s into @all; @all starts zeroed. */
void syslat_add_snap(struct syslat_snap *all, const struct syslat_snap *s)
{
	unsigned int i;

	if (!s->c.calls)
		return;
	if (!all->c.calls || s->c.min < all->c.min)
		all->c.min = s->c.min;
	all->c.max = max(all->c.max, s->c.max);
	all->c.calls += s->c.calls;
	all->c.lost += s->c.lost;
	all->c.sum += s->c.sum;
	for (i = 0; i < SYSLAT_LOG2_BUCKETS; i++)
		all->log2[i] += s->log2[i];
	for (i = 0; i < SYSLAT_LIN_BUCKETS; i++)
		all->lin[i] += s->lin[i];
}

/* Copy @cpu's records seq [@first, @head) into @out; returns how many. */
static size_t syslat_copy_ring(struct syslat_cpu *pc, unsigned long epoch,
			       u64 first, u64 head, struct syslat_record *out)
{
	size_t n = 0;
	u64 seq;

	for (seq = first; seq < head; seq++) {
		struct syslat_record *rec = &pc->ring[seq & syslat_ring_mask];

		/* acquire: pairs with the writer's release of rec->seq */
		if (smp_load_acquire(&rec->seq) != seq)
			continue;	/* being rewritten, or overwritten */
		memcpy(&out[n], rec, sizeof(*rec));
		smp_rmb();	/* copy before re-check; pairs with BUSY+wmb */
		if (READ_ONCE(rec->seq) != seq)
			continue;
		out[n++].seq = seq;
	}
	smp_rmb();	/* copies before the epoch re-check */
	if (READ_ONCE(pc->epoch) != epoch)
		return 0;	/* reset meanwhile: seq numbers restarted */
	return n;
}

/*
 * Snapshot every possible CPU's retained records, oldest first, CPU by
 * CPU. Records written after a CPU's head was sampled are not included;
 * records overwritten while copying are skipped.
 */
struct syslat_ring_snap *syslat_ring_snapshot(void)
{
	struct syslat_ring_snap *snap;
	unsigned long epoch = READ_ONCE(syslat_epoch);
	u64 *head;
	size_t total = 0, n = 0;
	unsigned int cpu;

	head = kcalloc(nr_cpu_ids, sizeof(*head), GFP_KERNEL);
	if (!head)
		return ERR_PTR(-ENOMEM);
	for_each_possible_cpu(cpu) {
		struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);

		/* acquire: pairs with syslat_cpu_clear() */
		if (smp_load_acquire(&pc->epoch) != epoch)
			continue;	/* pending reset: nothing retained */
		/* acquire: records below head are complete */
		head[cpu] = smp_load_acquire(&pc->calls);
		total += min_t(u64, head[cpu], syslat_ring_size);
	}

	/* NOWARN: a huge ring on many CPUs fails with -ENOMEM, not a WARN */
	snap = kvmalloc(struct_size(snap, rec, total), GFP_KERNEL | __GFP_NOWARN);
	if (!snap) {
		kfree(head);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu) {
		struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);
		u64 first = head[cpu] - min_t(u64, head[cpu], syslat_ring_size);

		if (head[cpu])
			n += syslat_copy_ring(pc, epoch, first, head[cpu],
					      &snap->rec[n]);
		cond_resched();	/* up to ring_size records per CPU */
	}
	snap->len = n * sizeof(snap->rec[0]);
	kfree(head);
	return snap;
}

/* Zero every CPU's counters, histograms and ring (lazily, see above). */
void syslat_record_reset(void)
{
	static DEFINE_MUTEX(reset_lock);

	mutex_lock(&reset_lock);
	WRITE_ONCE(syslat_epoch, syslat_epoch + 1);
	mutex_unlock(&reset_lock);
}

void syslat_record_free(void)
{
	unsigned int cpu;

	if (!syslat_pcpu)
		return;
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(syslat_pcpu, cpu)->ring);
	free_percpu(syslat_pcpu);
	syslat_pcpu = NULL;
}

/* Parameters are already validated by the caller. */
int syslat_record_alloc(unsigned int ring_size, unsigned int lin_width)
{
	unsigned int cpu;

	syslat_ring_size = ring_size;
	syslat_ring_mask = ring_size - 1;
	syslat_lin_width = lin_width;
	syslat_lin_limit = (u64)lin_width * (SYSLAT_LIN_BUCKETS - 1);

	syslat_pcpu = alloc_percpu(struct syslat_cpu);
	if (!syslat_pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);

		pc->cpu = cpu;
		pc->min = U64_MAX;
		pc->epoch = syslat_epoch;
		pc->ring = kvzalloc_node(array_size(ring_size, sizeof(*pc->ring)),
					 GFP_KERNEL, cpu_to_node(cpu));
		if (!pc->ring) {
			syslat_record_free();
			return -ENOMEM;
		}
	}
	return 0;
}
