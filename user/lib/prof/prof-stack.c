// SPDX-License-Identifier: GPL-2.0
/* Call stack reconstruction from an instruction stream (prof-stack.h). */
#include <stdio.h>
#include <string.h>

#include "prof-stack.h"

#define REGION_SIZE	0x4000ULL

void stack_init(struct stack_state *s, struct symtab *ksyms, struct symtab *usyms)
{
	memset(s, 0, sizeof(*s));
	s->ksyms = ksyms;
	s->usyms = usyms;
}

int stack_is_kernel(uint64_t addr)
{
	return addr >> 63;	/* the upper half: 4- and 5-level paging alike (LA57 puts
				 * stacks at 0xffa0...) */
}

void stack_gap(struct stack_state *s)
{
	s->have_prev = 0;
}

/* The region rsp points into; a stack's top (rsp == base + size, where
 * the entry code puts it) belongs to the stack below it. */
static struct region *region_of(struct stack_state *s, uint64_t rsp)
{
	uint64_t base = (rsp - 1) & ~(REGION_SIZE - 1);
	struct region *r;
	size_t i;

	for (i = 0; i < s->nreg; i++)
		if (s->reg[i].base == base)
			return &s->reg[i];
	if (s->nreg == STACK_MAX_REGIONS)
		memmove(&s->reg[0], &s->reg[1], --s->nreg * sizeof(s->reg[0]));
	r = &s->reg[s->nreg++];
	memset(r, 0, sizeof(*r));
	r->base = base;
	return r;
}

static void after(struct stack_state *s, const struct insn_rec *p, uint64_t rsp)
{
	struct region *r;

	if (!stack_is_kernel(rsp))
		return;
	r = region_of(s, rsp);
	if (rsp - r->base == REGION_SIZE) {
		/* The entry code put rsp at the top: a fresh kernel entry. */
		r->partial = 0;
		r->depth = 0;
	}
	/* A return to a caller we never saw (a task that went to sleep before
	 * the trace began): what lies below is unknown from here on. */
	if (p->cls == INSN_RET && stack_is_kernel(p->rip) &&
	    !(r->depth && r->f[r->depth - 1].slot == p->rsp))
		r->partial = 1;
	while (r->depth && r->f[r->depth - 1].slot < rsp)
		r->depth--;
	if (p->cls == INSN_CALL && stack_is_kernel(p->rip) && rsp == p->rsp - 8) {
		if (r->depth == STACK_MAX_DEPTH) {
			s->overflows++;
			return;
		}
		r->f[r->depth].slot = rsp;
		r->f[r->depth++].caller = p->rip;
	}
}

/* A task is an address space (cr3) and a thread in it (fs base: each
 * thread has its own TLS block). */
static const char *task_label(struct stack_state *s, const struct insn_rec *rec,
			      char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < s->ntask; i++)
		if (s->task_cr3[i] == rec->cr3 && s->task_fs[i] == rec->fs)
			break;
	if (i == s->ntask && s->ntask < STACK_MAX_TASKS) {
		s->task_cr3[s->ntask] = rec->cr3;
		s->task_fs[s->ntask++] = rec->fs;
	}
	if (i == 0)
		return "bench-task";
	snprintf(buf, len, "task-%zu", i + 1);
	return buf;
}

/* Append ";name" (or "name" at the start); -1 when it does not fit. */
static int append(char *buf, size_t len, size_t *pos, const char *name)
{
	int n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? ";" : "", name);

	if (n < 0 || (size_t)n >= len - *pos)
		return -1;
	*pos += (size_t)n;
	return 0;
}

static int kernel_stack(struct stack_state *s, const struct insn_rec *rec,
			char *buf, size_t len, size_t *pos)
{
	char tmp[40];
	struct region *r;
	size_t i;

	if (!stack_is_kernel(rec->rsp))
		return 0;	/* entry code still on the user stack */
	r = region_of(s, rec->rsp);
	if (r->partial && append(buf, len, pos, "[earlier frames]"))
		return -1;
	for (i = 0; i < r->depth; i++)
		if (r->f[i].slot >= rec->rsp &&
		    append(buf, len, pos, symtab_name(s->ksyms, r->f[i].caller, tmp, sizeof(tmp))))
			return -1;
	return 0;
}

int stack_feed(struct stack_state *s, const struct insn_rec *rec, char *buf, size_t len)
{
	char tmp[40], name[300];
	size_t pos = 0;

	if (s->have_prev)
		after(s, &s->prev, rec->rsp);
	s->prev = *rec;
	s->have_prev = 1;
	if (append(buf, len, &pos, task_label(s, rec, tmp, sizeof(tmp))))
		return -1;
	if (stack_is_kernel(rec->rip)) {
		if (kernel_stack(s, rec, buf, len, &pos))
			return -1;
		return append(buf, len, &pos, symtab_name(s->ksyms, rec->rip, tmp, sizeof(tmp)));
	}
	snprintf(name, sizeof(name), "[user] %s",
		 s->usyms ? symtab_name(s->usyms, rec->rip, tmp, sizeof(tmp)) :
		 (snprintf(tmp, sizeof(tmp), "[unknown 0x%llx]", (unsigned long long)rec->rip), tmp));
	return append(buf, len, &pos, name);
}
