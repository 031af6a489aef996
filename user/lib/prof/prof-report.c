// SPDX-License-Identifier: GPL-2.0
/* One profile's files and its self-check (prof-report.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jparse.h"
#include "prof-report.h"
#include "util.h"

/* The sel4bench-style stats array: min q1 median mean q3 max stddev n. */
#define SA_MIN 0
#define SA_MEDIAN 2
#define SA_MAX 5

struct measured {
	int have;
	double min, median, max, overhead;
	char kernel[128];
};

static int load_syms(struct symtab *t, const char *path)
{
	char err[256];
	FILE *f = fopen(path, "r");
	long n;

	if (!f) {
		fprintf(stderr, "syslat profile: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = symtab_load(t, f, err, sizeof(err));
	fclose(f);
	if (n <= 0) {
		fprintf(stderr, "syslat profile: %s: %s\n", path, n < 0 ? err : "no code symbols");
		return -1;
	}
	return 0;
}

/* The benchmark's own figure: median per call + the timer overhead it
 * subtracted = the raw window under icount. */
static int load_measured(const char *path, struct measured *m)
{
	char err[256];
	char *text = read_text_file(path, 64 << 20);
	struct jv *root;
	const struct jv *r, *st;
	int rc = -1;

	if (!text) {
		fprintf(stderr, "syslat profile: %s: %s\n", path, strerror(errno));
		return -1;
	}
	root = jv_parse(text, strlen(text), err, sizeof(err));
	free(text);
	r = root ? jv_path(root, "results") : NULL;
	r = r && r->type == JV_ARR && r->n ? &r->items[0] : NULL;
	st = r ? jv_get(r, "stats") : NULL;
	if (st && st->type == JV_ARR && st->n == 8) {
		m->min = jv_num(&st->items[SA_MIN]);
		m->median = jv_num(&st->items[SA_MEDIAN]);
		m->max = jv_num(&st->items[SA_MAX]);
		m->overhead = jv_num(jv_get(r, "timer_overhead"));
		snprintf(m->kernel, sizeof(m->kernel), "%s",
			 jv_str(jv_path(root, "env.kernel_release")) ?: "?");
		m->have = !isnan(m->median) && !isnan(m->overhead);
		rc = m->have ? 0 : -1;
	}
	if (rc)
		fprintf(stderr, "syslat profile: %s: no benchmark result (%s)\n", path,
			root ? "no results[0].stats" : err);
	jv_free(root);
	return rc;
}

struct check_ctx {
	const struct profile *p;
	const struct measured *m;
	struct window_count w;
	int uniform, match;
	int tsc_ok;		/* every window: traced count == the guest's TSC delta */
	unsigned long n_eq;	/* windows equal to the benchmark's median window */
};

static void json_extra(json_writer_t *w, const void *ctx)
{
	const struct check_ctx *c = ctx;
	unsigned long i;

	jsonw_uint_field(w, "windows", c->p->nwin - c->p->lead);
	jsonw_uint_field(w, "lead_windows", c->p->lead);
	jsonw_uint_field(w, "unknown_instructions", c->p->unknown);
	jsonw_name(w, "window_counts");
	jsonw_start_array(w);
	for (i = c->p->lead; i < c->p->nwin; i++) {
		jsonw_start_object(w);
		jsonw_uint_field(w, "instructions", c->p->win[i].insns);
		jsonw_uint_field(w, "kernel", c->p->win[i].kernel);
		jsonw_uint_field(w, "user", c->p->win[i].user);
		jsonw_uint_field(w, "syscall_instructions", c->p->win[i].syscalls);
		jsonw_uint_field(w, "tasks", c->p->win[i].tasks);
		jsonw_uint_field(w, "guest_tsc_delta", c->p->win[i].tsc);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_name(w, "self_check");
	jsonw_start_object(w);
	jsonw_bool_field(w, "windows_uniform", c->uniform);
	jsonw_bool_field(w, "guest_tsc_equal", c->tsc_ok);
	if (c->m->have) {
		jsonw_string_field(w, "kernel_release", c->m->kernel);
		jsonw_float_field(w, "measured_median", c->m->median);
		jsonw_float_field(w, "measured_timer_overhead", c->m->overhead);
		jsonw_float_field(w, "measured_min", c->m->min);
		jsonw_float_field(w, "measured_max", c->m->max);
		jsonw_uint_field(w, "windows_equal_median", c->n_eq);
		jsonw_bool_field(w, "match", c->match);
	}
	jsonw_end_object(w);
}

static void print_measured(const struct check_ctx *c)
{
	const struct measured *m = c->m;
	unsigned long k = c->p->nwin - c->p->lead;

	printf("#   benchmark measured %.0f = %.0f median per call + %.0f timer overhead;"
	       " range %.0f..%.0f (kernel %s)\n", m->median + m->overhead, m->median,
	       m->overhead, m->min + m->overhead, m->max + m->overhead, m->kernel);
	if (c->n_eq == k) {
		printf("#   every traced window equals it\n");
	} else {
		printf("#   %lu of %lu traced windows equal it; all %s the measured range (the\n"
		       "#   path varies from call to call: the scheduler's time-dependent work)\n",
		       c->n_eq, k, c->match ? "lie inside" : "DO NOT lie inside");
	}
	printf("#   match: %s\n", !c->match ? "NO" : c->n_eq == k ? "yes (exact)" :
	       "yes (inside the range, not one figure per call)");
}

static void print_check(const struct check_ctx *c)
{
	const struct window_count *w = &c->w;
	unsigned long i;

	printf("# self-check (instructions, TCG icount; not hardware time):\n");
	if (c->uniform) {
		printf("#   traced window      %" PRIu64 " = %" PRIu64 " kernel + %" PRIu64
		       " user (%" PRIu64 " syscall instruction%s, %" PRIu64 " task%s), every window\n",
		       w->insns, w->kernel, w->user, w->syscalls, w->syscalls == 1 ? "" : "s",
		       w->tasks, w->tasks == 1 ? "" : "s");
	} else {
		for (i = c->p->lead; i < c->p->nwin; i++) {
			w = &c->p->win[i];
			printf("#   traced window %-4lu %" PRIu64 " = %" PRIu64 " kernel + %" PRIu64
			       " user (%" PRIu64 " syscall instructions, %" PRIu64 " tasks)\n",
			       i - c->p->lead + 1, w->insns, w->kernel, w->user, w->syscalls, w->tasks);
		}
	}
	printf("#   guest's own TSC delta of the same windows: %s\n", c->tsc_ok ?
	       "equal to the traced count in every window" : "DIFFERENT (see window_counts in the JSON)");
	if (!c->m->have) {
		printf("#   no benchmark measurement given: nothing more to compare\n");
		return;
	}
	print_measured(c);
}

/* Each window against the guest's own TSC delta; then against the
 * benchmark: equal to its median (raw window), or at least inside the
 * range it measured (the traced windows are samples of its first round). */
static void check(struct check_ctx *c)
{
	const struct measured *m = c->m;
	unsigned long i;

	c->uniform = profile_uniform(c->p, &c->w);
	c->tsc_ok = 1;
	c->match = m->have;
	for (i = c->p->lead; i < c->p->nwin; i++) {
		double n = (double)c->p->win[i].insns;

		c->tsc_ok &= c->p->win[i].insns == c->p->win[i].tsc;
		if (!m->have)
			continue;
		c->n_eq += n == m->median + m->overhead;
		c->match &= n >= m->min + m->overhead && n <= m->max + m->overhead;
	}
}

int prof_report(const struct prof_job *j)
{
	struct symtab ks, us;
	struct profile *p = calloc(1, sizeof(*p));
	struct measured m = { 0 };
	struct check_ctx c = { .p = p, .m = &m };
	struct prof_meta meta = { .title = j->title, .unit = "instructions (TCG icount)" };
	char err[256];
	FILE *f = NULL;
	int rc = -1;

	symtab_init(&ks);
	symtab_init(&us);
	if (!p || load_syms(&ks, j->kallsyms) || (j->usyms && load_syms(&us, j->usyms)) ||
	    (j->measured && load_measured(j->measured, &m)))
		goto out;
	profile_init(p);
	f = fopen(j->trace, "r");
	if (!f) {
		fprintf(stderr, "syslat profile: %s: %s\n", j->trace, strerror(errno));
		goto out_prof;
	}
	if (profile_read(p, f, &ks, j->usyms ? &us : NULL, j->lead, err, sizeof(err))) {
		fprintf(stderr, "syslat profile: %s: %s\n", j->trace, err);
		goto out_prof;
	}
	check(&c);
	meta.per = (double)(p->nwin - p->lead);
	meta.argc = j->argc;
	meta.argv = j->argv;
	if (prof_write_all(&p->fold, &meta, j->prefix, json_extra, &c) == 0) {
		print_check(&c);
		rc = !c.tsc_ok || (m.have && !c.match) ? 1 : 0;
	}
out_prof:
	profile_destroy(p);
out:
	if (f)
		fclose(f);
	free(p);
	symtab_destroy(&ks);
	symtab_destroy(&us);
	return rc;
}
