// SPDX-License-Identifier: GPL-2.0
/*
 * The timed noop system call and its per-CPU timing state.
 *
 * Each CPU owns a struct syslat_cpu: one log-linear histogram of
 * (t_exit - t_entry), from which count, sum, min and max are derived
 * exactly (see struct syslat_cpu), and a ring of struct syslat_slot.
 * Only the owning CPU writes it, from syslat_account() with interrupts
 * disabled, so every call is atomic with respect to an IPI on that CPU:
 *
 * - The histogram is read by an IPI to the owning CPU
 *   (smp_call_function_single()), which copies it between two calls:
 *   a consistent snapshot, never a few calls out of step, at no cost to
 *   the call itself (a seqcount would add two stores per call and let a
 *   hammering writer starve a reader copying 11 KiB). Offline CPUs are
 *   read directly under cpus_read_lock(): nothing writes them.
 * - Reset clears each CPU's state the same way (on_each_cpu()), and bumps
 *   syslat_gen first so that ring readers drop what they are streaming.
 * - Ring records are streamed without stopping the writer. The writer
 *   fills slot (n & mask) while ->pos == 32 n and stores ->pos = 32 (n + 1)
 *   after the record (x86 TSO keeps the stores in order; barrier() keeps
 *   the compiler from reordering them). The slot of record s is rewritten
 *   only by record s + ring_size, i.e. once ->pos has reached that. A
 *   reader copies the slot, then re-reads ->pos: if it is still below
 *   s + ring_size, no store of the next lap can be in its copy (TSO again:
 *   seeing such a store means seeing the ->pos store before it); if
 *   not, the record is skipped (it counts as lost anyway).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/processor.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/tsc.h>
#include "record.h"

/*
 * A ring slot: the part of struct syslat_record only the call knows.
 * The reader adds seq (from the slot's position) and cpu (the ring's
 * owner): two fewer stores per call, and 32 bytes index with a mask.
 */
struct syslat_slot {
	u64 cookie;
	u64 t_entry;
	u64 t_exit;
	u32 tgid;
	u32 pad;
};

/*
 * One CPU's state. The common call (d = t_exit - t_entry below
 * SYSLAT_HIST_EXACT) touches four words: the ring slot, ->pos and
 * exact[d]. Count, sum, min and max are not stored for it: below
 * SYSLAT_HIST_EXACT every bucket is one value wide, so the reader
 * derives them exactly from exact[] (count = sum of the buckets,
 * sum = sum of d * exact[d], min/max = the first/last non-empty one);
 * only the rare longer calls keep their own sum/min/max with big[].
 */
struct syslat_cpu {
	/* read or written on every timed call */
	struct syslat_slot *ring;	/* the ring, or &spare without one */
	u64 mask;			/* ring bytes - 1; 0: no ring (spare) */
	u64 pos;			/* ring records written since reset, x 32 */
	u64 exact[SYSLAT_HIST_EXACT];	/* d = 0..SYSLAT_HIST_EXACT - 1 */
	/* written only by calls with d >= SYSLAT_HIST_EXACT */
	u64 big_sum;
	u64 big_min;
	u64 big_max;
	u64 big[SYSLAT_HIST_BIG];
	struct syslat_slot spare;	/* written when there is no ring, never read */
};

static struct syslat_cpu __percpu *syslat_pcpu __read_mostly;
static u8 syslat_slow __read_mostly;		/* filter_tgid or inject_cycles set */
static unsigned long syslat_gen;		/* bumped by each reset */
static enum cpuhp_state syslat_hp_state;

u64 syslat_inject_cycles __read_mostly;
u32 syslat_filter_tgid __read_mostly;
unsigned int syslat_ring_size __read_mostly;

/* inject_cycles is capped at one millisecond of TSC cycles. */
u64 syslat_inject_max(void)
{
	return tsc_khz ? (u64)tsc_khz : 1000000;
}

/*
 * RDTSCP waits until every earlier instruction has executed (and earlier
 * loads are globally visible) before it reads the TSC; main.c refuses
 * CPUs without it. A bare instruction rather than rdtsc_ordered(): its
 * alternatives leave a padding NOP behind RDTSCP, one more instruction
 * per stamp, and it has no "memory" clobber. The halves are combined in
 * the asm (RDTSCP zero-extends both): three instructions, result in rax.
 */
static __always_inline u64 syslat_rdtscp(void)
{
	u64 t;

	asm volatile("rdtscp\n\t"
		     "shl $32, %%rdx\n\t"
		     "or %%rdx, %%rax"
		     : "=a"(t) : : "rcx", "rdx", "cc", "memory");
	return t;
}

/* Plain compiler barrier plus LFENCE: nothing after it starts before. */
static __always_inline void syslat_lfence(void)
{
	asm volatile("lfence" ::: "memory");
}

/*
 * The log-linear bucket of a long call, d >= SYSLAT_HIST_EXACT: the
 * power of two (from the position of the top bit) and the next
 * SYSLAT_HIST_SUB_BITS bits. Shifts only, no divide.
 */
static __always_inline unsigned int syslat_big_bucket(u64 d)
{
	unsigned int b = __fls(d);	/* >= SYSLAT_HIST_EXACT_BITS */

	return ((b - SYSLAT_HIST_EXACT_BITS) << SYSLAT_HIST_SUB_BITS) +
	       ((d >> (b - SYSLAT_HIST_SUB_BITS)) & (SYSLAT_HIST_SUB - 1));
}

/* After the exit stamp, for the rare long call only. */
static __always_inline void syslat_count_big(struct syslat_cpu *pc, u64 d)
{
	pc->big[syslat_big_bucket(d)]++;
	pc->big_sum += d;
	if (d < pc->big_min)
		pc->big_min = d;
	if (d > pc->big_max)
		pc->big_max = d;
}

/*
 * One timed call, interrupts off, after its entry stamp @t_entry (taken
 * by the caller before it tests the slow-path flag, so that the entry
 * phase is the same code whether inject_cycles or filter_tgid is set).
 * What lies between the two stamps: the LFENCE after the entry stamp,
 * the slow-path test (and, when set, the out-of-line call and the tgid
 * filter), the per-CPU pointer, the ring slot's address, the injected
 * busy-wait (@slow only), and writing the slot's cookie, t_entry and
 * tgid (into a spare slot when there is no ring: no test for it).
 * The entry stamp is RDTSCP followed by an LFENCE, so nothing of the
 * window executes before it; the exit stamp is RDTSCP again, which
 * waits for everything before it. "memory" clobbers keep the compiler
 * from moving stores across either. After the exit stamp and not timed
 * by it (the "exit" phase of a round trip contains it): t_exit, the
 * ring position, one histogram increment (plus the big-call sum/min/max
 * when d >= SYSLAT_HIST_EXACT), regs->ax and the return.
 * tests/kmod-objdump.sh prints the counts.
 */
static __always_inline void syslat_account(struct pt_regs *regs, bool slow, u64 t_entry)
{
	struct syslat_cpu *pc;
	struct syslat_slot *rec;
	u64 t_exit, d;

	pc = this_cpu_ptr(syslat_pcpu);
	if (slow) {
		u64 inject = READ_ONCE(syslat_inject_cycles), start = rdtsc();

		while (rdtsc() - start < inject)
			cpu_relax();
	}
	/* mask before ring: see syslat_ring_alloc_cpu() */
	d = READ_ONCE(pc->mask) & pc->pos;
	barrier();
	rec = (void *)pc->ring + d;
	rec->cookie = regs->di;
	rec->t_entry = t_entry;
	rec->tgid = current->tgid;
	t_exit = syslat_rdtscp();

	rec->t_exit = t_exit;
	/*
	 * t_entry from the slot, reloaded after the stamp's "memory"
	 * clobber: no register has to keep it across the exit stamp.
	 */
	d = t_exit - rec->t_entry;
	barrier();	/* the record before ->pos that publishes it */
	pc->pos += sizeof(*rec);
	if (likely(d < SYSLAT_HIST_EXACT))
		pc->exact[d]++;
	else
		syslat_count_big(pc, d);
	regs->ax = SYSLAT_NOOP_RET;
}

/*
 * The rare cases, out of line: a tgid filter is set (other callers get
 * a plain noop) or inject_cycles is.
 */
static noinline void syslat_account_slow(struct pt_regs *regs, u64 t_entry)
{
	u32 want = READ_ONCE(syslat_filter_tgid);

	if (want && current->tgid != want)
		regs->ax = SYSLAT_NOOP_RET;
	else
		syslat_account(regs, true, t_entry);
}

/* The entry stamp: RDTSCP, then LFENCE so nothing after it starts before. */
static __always_inline u64 syslat_stamp_entry(void)
{
	u64 t = syslat_rdtscp();

	syslat_lfence();
	return t;
}

/*
 * Bare CLI/STI, not the paravirt hooks: the patch site leaves every
 * flag dead, and main.c refuses Xen PV, where CLI is not what we want.
 */
static __always_inline void syslat_cli(void)
{
	asm volatile("cli" ::: "memory");
}

static __always_inline void syslat_sti(void)
{
	asm volatile("sti" ::: "memory");
}

/*
 * The patch trampoline's entry: interrupts are on, flags are dead.
 * Only ever called directly (from patch_tramp.S): no ENDBR needed.
 */
notrace __noendbr void syslat_noop_irqoff(struct pt_regs *regs)
{
	u64 t_entry;

	syslat_cli();
	t_entry = syslat_stamp_entry();
	if (unlikely(syslat_slow))
		syslat_account_slow(regs, t_entry);
	else
		syslat_account(regs, false, t_entry);
	syslat_sti();
}

/* The tracepoint probe's entry (preemption off, interrupts on). */
notrace void syslat_noop(struct pt_regs *regs)
{
	unsigned long flags;
	u64 t_entry;

	raw_local_irq_save(flags);
	t_entry = syslat_stamp_entry();
	if (unlikely(syslat_slow))
		syslat_account_slow(regs, t_entry);
	else
		syslat_account(regs, false, t_entry);
	raw_local_irq_restore(flags);
}

/* filter_tgid or inject_cycles changed: recompute the slow-path flag. */
void syslat_update_slow(void)
{
	bool slow = READ_ONCE(syslat_filter_tgid) || READ_ONCE(syslat_inject_cycles);

	WRITE_ONCE(syslat_slow, slow);
}

/* Ring records written since reset (->pos counts bytes). */
static u64 syslat_records(const struct syslat_cpu *pc)
{
	return READ_ONCE(pc->pos) / sizeof(struct syslat_slot);
}

/* Records overwritten: the ring keeps the last ring_size. */
static u64 syslat_lost(const struct syslat_cpu *pc)
{
	u64 n = syslat_records(pc);

	if (!READ_ONCE(pc->mask))	/* no ring, nothing was kept */
		return 0;
	return n > syslat_ring_size ? n - syslat_ring_size : 0;
}

struct syslat_copy {
	struct syslat_cpu *pc;
	struct syslat_counts *c;
	u64 *hist;	/* SYSLAT_HIST_BUCKETS, or NULL: counters only */
};

/*
 * Count, sum, min and max of one CPU: exact below SYSLAT_HIST_EXACT,
 * where each bucket is a single value, plus the long calls' own.
 */
static void syslat_derive(const struct syslat_cpu *pc, struct syslat_counts *c)
{
	unsigned int i;
	u64 big = 0;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < SYSLAT_HIST_BIG; i++)
		big += pc->big[i];
	for (i = 0; i < SYSLAT_HIST_EXACT; i++) {
		if (!pc->exact[i])
			continue;
		if (!c->calls)
			c->min = i;
		c->max = i;
		c->calls += pc->exact[i];
		c->sum += pc->exact[i] * i;
	}
	if (big) {
		if (!c->calls)
			c->min = pc->big_min;
		c->max = pc->big_max;
		c->calls += big;
		c->sum += pc->big_sum;
	}
	c->lost = syslat_lost(pc);
}

/* On the owning CPU (or for an offline one): nothing runs a call now. */
static void syslat_copy_cpu(void *arg)
{
	struct syslat_copy *a = arg;
	struct syslat_cpu *pc = a->pc;

	syslat_derive(pc, a->c);
	if (!a->hist)
		return;
	memcpy(a->hist, pc->exact, sizeof(pc->exact));
	memcpy(a->hist + SYSLAT_HIST_EXACT, pc->big, sizeof(pc->big));
}

static void syslat_read_cpu(struct syslat_copy *a, unsigned int cpu)
{
	a->pc = per_cpu_ptr(syslat_pcpu, cpu);
	cpus_read_lock();
	if (!cpu_online(cpu) ||
	    smp_call_function_single(cpu, syslat_copy_cpu, a, 1))
		syslat_copy_cpu(a);
	cpus_read_unlock();
}

void syslat_read_counts(unsigned int cpu, struct syslat_counts *c)
{
	struct syslat_copy a = { .c = c };

	syslat_read_cpu(&a, cpu);
}

void syslat_read_snap(unsigned int cpu, struct syslat_snap *s)
{
	struct syslat_copy a = { .c = &s->c, .hist = s->hist };

	syslat_read_cpu(&a, cpu);
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
	for (i = 0; i < SYSLAT_HIST_BUCKETS; i++)
		all->hist[i] += s->hist[i];
}

/* Bucket @i of struct syslat_snap's hist: [*lo, *hi], both inclusive. */
void syslat_bucket_range(unsigned int i, u64 *lo, u64 *hi)
{
	unsigned int b, e;

	if (i < SYSLAT_HIST_EXACT) {
		*lo = i;
		*hi = i;
		return;
	}
	i -= SYSLAT_HIST_EXACT;
	b = (i >> SYSLAT_HIST_SUB_BITS) + SYSLAT_HIST_EXACT_BITS;
	e = b - SYSLAT_HIST_SUB_BITS;	/* log2 of the bucket's width */
	*lo = (u64)(SYSLAT_HIST_SUB + (i & (SYSLAT_HIST_SUB - 1))) << e;
	*hi = *lo + ((1ULL << e) - 1);
}

static void syslat_clear_cpu(void *arg)
{
	struct syslat_cpu *pc = this_cpu_ptr(syslat_pcpu);

	if (arg)
		pc = arg;
	pc->pos = 0;
	memset(pc->exact, 0, sizeof(pc->exact));
	memset(pc->big, 0, sizeof(pc->big));
	pc->big_sum = 0;
	pc->big_min = U64_MAX;
	pc->big_max = 0;
}

/* Zero every CPU's counters, histograms and ring. */
void syslat_record_reset(void)
{
	static DEFINE_MUTEX(reset_lock);
	unsigned int cpu;

	mutex_lock(&reset_lock);
	cpus_read_lock();
	WRITE_ONCE(syslat_gen, syslat_gen + 1);
	smp_wmb();	/* ring readers see the bump before any cleared state */
	on_each_cpu(syslat_clear_cpu, NULL, 1);
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			syslat_clear_cpu(per_cpu_ptr(syslat_pcpu, cpu));
	cpus_read_unlock();
	mutex_unlock(&reset_lock);
}

int syslat_ring_iter_init(struct syslat_ring_iter *it)
{
	unsigned int cpu;

	it->first = kcalloc(nr_cpu_ids, sizeof(*it->first), GFP_KERNEL);
	it->head = kcalloc(nr_cpu_ids, sizeof(*it->head), GFP_KERNEL);
	if (!it->first || !it->head) {
		syslat_ring_iter_free(it);
		return -ENOMEM;
	}
	it->gen = READ_ONCE(syslat_gen);
	smp_rmb();	/* the generation before the heads it covers */
	for_each_possible_cpu(cpu)
		it->head[cpu] = SYSLAT_RING_UNSAMPLED;
	return 0;
}

/*
 * A CPU's window is sampled when the stream reaches it, not at open:
 * a writer hammering that CPU overwrites its oldest slots from the
 * moment of sampling, and a reader that starts right away (128 records
 * per batch) outruns it; sampled at open, the window would be gone by
 * the time the CPUs before it were read.
 */
static void syslat_ring_sample(struct syslat_ring_iter *it, unsigned int cpu)
{
	struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);

	it->head[cpu] = 0;
	it->first[cpu] = 0;
	if (!READ_ONCE(pc->mask))
		return;
	/* acquire: records below head are complete */
	it->head[cpu] = smp_load_acquire(&pc->pos) / sizeof(struct syslat_slot);
	it->first[cpu] = it->head[cpu] - min_t(u64, it->head[cpu], syslat_ring_size);
}

void syslat_ring_iter_free(struct syslat_ring_iter *it)
{
	kfree(it->first);
	kfree(it->head);
	it->first = NULL;
	it->head = NULL;
}

bool syslat_ring_seek(struct syslat_ring_iter *it, loff_t pos)
{
	unsigned int cpu;

	if (pos < 0)
		return false;
	for_each_possible_cpu(cpu) {
		u64 n;

		if (it->head[cpu] == SYSLAT_RING_UNSAMPLED)
			syslat_ring_sample(it, cpu);
		n = DIV_ROUND_UP(it->head[cpu] - it->first[cpu], SYSLAT_RING_BATCH);

		if (pos < n) {
			it->cpu = cpu;
			it->seq = it->first[cpu] + pos * SYSLAT_RING_BATCH;
			return true;
		}
		pos -= n;
	}
	return false;
}

unsigned int syslat_ring_copy(struct syslat_ring_iter *it)
{
	struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, it->cpu);
	u64 end = min(it->seq + SYSLAT_RING_BATCH, it->head[it->cpu]);
	struct syslat_slot *ring;
	u64 seq, calls;
	unsigned int n = 0;

	/* acquire: the mask before the ring it belongs to */
	if (!smp_load_acquire(&pc->mask))	/* no ring: nothing was sampled */
		return 0;
	ring = READ_ONCE(pc->ring);
	for (seq = it->seq; seq < end; seq++) {
		struct syslat_record *out = &it->batch[n++];
		struct syslat_slot *slot = &ring[seq & (syslat_ring_size - 1)];

		out->seq = seq;
		out->cookie = slot->cookie;
		out->t_entry = slot->t_entry;
		out->t_exit = slot->t_exit;
		out->cpu = it->cpu;
		out->tgid = slot->tgid;
	}
	smp_rmb();	/* the copies before the re-checks; see the top comment */
	calls = syslat_records(pc);
	if (READ_ONCE(syslat_gen) != it->gen)
		return 0;
	/* records below calls - ring_size + 1 may have been rewritten */
	if (calls >= it->seq + syslat_ring_size) {
		u64 torn = calls - syslat_ring_size + 1 - it->seq;

		if (torn >= n)
			return 0;
		memmove(it->batch, it->batch + torn, (n - torn) * sizeof(it->batch[0]));
		n -= torn;
	}
	return n;
}

static int syslat_ring_alloc_cpu(unsigned int cpu)
{
	struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);
	struct syslat_slot *ring;

	if (!syslat_ring_size || READ_ONCE(pc->mask))
		return 0;
	ring = kvzalloc_node(array_size(syslat_ring_size, sizeof(*ring)),
			     GFP_KERNEL, cpu_to_node(cpu));
	if (!ring)
		return -ENOMEM;
	/* release: the zeroed ring before the pointer that publishes it */
	smp_store_release(&pc->ring, ring);
	/*
	 * Release: ->ring before ->mask. The writer and the readers load
	 * ->mask first, then ->ring, so any mask they see fits the ring
	 * they see (a spare slot with 0, the ring with its size).
	 */
	smp_store_release(&pc->mask, array_size(syslat_ring_size, sizeof(*ring)) - 1);
	return 0;
}

/*
 * A CPU coming online gets its ring. Failing that, its calls are still
 * counted, with no records: onlining a CPU is not refused for this.
 */
static int syslat_cpu_online(unsigned int cpu)
{
	if (syslat_ring_alloc_cpu(cpu))
		pr_warn("cpu %u: no memory for its ring; its calls are counted, not recorded\n",
			cpu);
	return 0;
}

void syslat_record_free(void)
{
	unsigned int cpu;

	if (!syslat_pcpu)
		return;
	if (syslat_hp_state > 0)
		cpuhp_remove_state_nocalls(syslat_hp_state);
	syslat_hp_state = 0;
	for_each_possible_cpu(cpu) {
		struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);

		if (pc->mask)
			kvfree(pc->ring);
	}
	free_percpu(syslat_pcpu);
	syslat_pcpu = NULL;
}

/* Parameters are already validated by the caller. */
int syslat_record_alloc(unsigned int ring_size)
{
	unsigned int cpu;
	int ret;

	BUILD_BUG_ON(sizeof(struct syslat_slot) != 32);
	BUILD_BUG_ON(SYSLAT_HIST_EXACT_BITS <= SYSLAT_HIST_SUB_BITS);
	syslat_ring_size = ring_size;
	syslat_update_slow();

	syslat_pcpu = alloc_percpu(struct syslat_cpu);
	if (!syslat_pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct syslat_cpu *pc = per_cpu_ptr(syslat_pcpu, cpu);

		pc->ring = &pc->spare;
		pc->big_min = U64_MAX;
	}
	/* rings for the CPUs online now; later ones get theirs when they come */
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		ret = syslat_ring_alloc_cpu(cpu);
		if (ret)
			goto out_unlock;
	}
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "syslat:online",
						   syslat_cpu_online, NULL);
	if (ret > 0) {
		syslat_hp_state = ret;
		ret = 0;
	}
out_unlock:
	cpus_read_unlock();
	if (ret)
		syslat_record_free();
	return ret;
}
