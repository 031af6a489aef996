// SPDX-License-Identifier: GPL-2.0
/* Trace -> profile (prof-anal.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "prof-anal.h"
#include "prof-insn.h"
#include "prof-rsp.h"
#include "prof-stack.h"

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	fold_init(&p->fold);
}

void profile_destroy(struct profile *p)
{
	fold_destroy(&p->fold);
}

struct reader {
	struct profile *p;
	struct stack_state st;
	int in_window;
	unsigned long lineno;
	uint64_t tasks_seen[8];
	char *err;
	size_t errlen;
};

static int bad(struct reader *r, const char *what)
{
	snprintf(r->err, r->errlen, "trace line %lu: %s", r->lineno, what);
	return -1;
}

static int parse_insn(const char *line, struct insn_rec *rec)
{
	unsigned char b[8];
	char hex[40];
	size_t n;

	if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %39s", &rec->rip,
		   &rec->rsp, &rec->cr3, &rec->fs, hex) != 5)
		return -1;
	n = strlen(hex);
	if (n % 2 || n == 0 || n > 16 || rsp_unhex(hex, b, n / 2))
		return -1;
	rec->cls = insn_classify(b, n / 2);
	return 0;
}

static void count_task(struct reader *r, struct window_count *w, uint64_t key)
{
	uint64_t i;

	for (i = 0; i < w->tasks && i < 8; i++)
		if (r->tasks_seen[i] == key)
			return;
	if (w->tasks < 8)
		r->tasks_seen[w->tasks] = key;
	w->tasks++;
}

static int insn_line(struct reader *r, const char *line)
{
	struct profile *p = r->p;
	struct window_count *w;
	struct insn_rec rec;
	char stack[8192];

	if (!r->in_window)
		return bad(r, "instruction outside a window");
	if (parse_insn(line, &rec))
		return bad(r, "not 'RIP RSP CR3 FS BYTES'");
	if (stack_feed(&r->st, &rec, stack, sizeof(stack)))
		return bad(r, "call stack deeper than the line buffer");
	w = &p->win[p->nwin - 1];
	w->insns++;
	if (stack_is_kernel(rec.rip))
		w->kernel++;
	else
		w->user++;
	w->syscalls += rec.cls == INSN_SYSCALL;
	count_task(r, w, rec.cr3 ^ (rec.fs * 0x9e3779b97f4a7c15ULL));
	if (p->nwin <= p->lead)
		return 0;
	if (strstr(stack, "[unknown 0x"))
		p->unknown++;
	return fold_add(&p->fold, stack, 1) ? bad(r, "out of memory") : 0;
}

static int header_line(struct reader *r, const char *line)
{
	if (r->lineno == 1)
		return strcmp(line, "# syslat-trace 2") ? bad(r, "not a syslat trace (version 2)") : 0;
	if (!strncmp(line, "# open ", 7) &&
	    sscanf(line, "# open 0x%" SCNx64 " range 0x%" SCNx64 " 0x%" SCNx64,
		   &r->p->open, &r->p->lo, &r->p->hi) != 3)
		return bad(r, "bad '# open' header");
	return 0;
}

static int one_line(struct reader *r, const char *line)
{
	struct profile *p = r->p;

	if (line[0] == '#' || r->lineno == 1)
		return header_line(r, line);
	if (!strcmp(line, "W")) {
		if (r->in_window)
			return bad(r, "window opened twice");
		if (p->nwin == ANAL_MAX_WINDOWS)
			return bad(r, "too many windows");
		memset(&p->win[p->nwin++], 0, sizeof(p->win[0]));
		memset(r->tasks_seen, 0, sizeof(r->tasks_seen));
		r->in_window = 1;
		stack_gap(&r->st);
		return 0;
	}
	if (line[0] == 'E' && line[1] == ' ') {
		uint64_t at;

		if (!r->in_window || !p->win[p->nwin - 1].insns)
			return bad(r, "window end without a window");
		if (sscanf(line, "E %" SCNx64 " %" SCNu64, &at, &p->win[p->nwin - 1].tsc) != 2)
			return bad(r, "not 'E RIP DELTA'");
		r->in_window = 0;
		return 0;
	}
	return insn_line(r, line);
}

int profile_read(struct profile *p, FILE *in, struct symtab *ksyms, struct symtab *usyms,
		 unsigned long lead, char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	char line[512];
	int rc = 0;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->p = p;
	r->err = err;
	r->errlen = errlen;
	p->lead = lead;
	stack_init(&r->st, ksyms, usyms);
	while (!rc && fgets(line, sizeof(line), in)) {
		r->lineno++;
		line[strcspn(line, "\n")] = '\0';
		rc = one_line(r, line);
	}
	if (!rc && r->in_window)
		rc = bad(r, "trace ends inside a window (truncated)");
	if (!rc && p->nwin <= lead)
		rc = bad(r, "no window to profile after the leading ones");
	if (!rc && r->st.overflows)
		rc = bad(r, "call stack deeper than STACK_MAX_DEPTH");
	free(r);
	return rc;
}

int profile_uniform(const struct profile *p, struct window_count *w)
{
	unsigned long i;

	*w = p->win[p->lead];
	for (i = p->lead + 1; i < p->nwin; i++)
		if (memcmp(&p->win[i], w, sizeof(*w)))
			return 0;
	return 1;
}
