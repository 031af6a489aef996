// SPDX-License-Identifier: GPL-2.0
/*
 * syslat ipc-sweep output (sweep.h): a table, CSV and JSON with one row
 * per (mechanism, traffic, size, pair count, pair), and a gnuplot SVG of
 * the round trip and both bandwidths against size. Units are in every
 * output: the round trip and the time per streamed message in ns, the
 * bandwidth in bytes/s (the table: MB/s, 1 MB = 10^6 bytes), and every
 * output says which bandwidth a row is: the ping-pong's or the stream's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "sweep.h"
#include "tsc.h"
#include "util.h"

#ifndef SYSLAT_VERSION
#define SYSLAT_VERSION "unknown"
#endif

#define BW_DEF "bandwidth = 2 x size / round trip (both directions; a ping-pong, not a stream)"
#define STREAM_DEF "stream bandwidth = N x size / time of N messages sent back to back and a " \
		   "1-byte ack (one direction; lmbench bw_pipe, bw_unix, bw_tcp)"

static const char *traffic_name(const struct sweep_res *r)
{
	return r->stream ? "stream" : "pingpong";
}

static void size_str(char *b, size_t n, size_t s)
{
	if (s >= 1048576 && !(s % 1048576))
		snprintf(b, n, "%zuMiB", s / 1048576);
	else if (s >= 1024 && !(s % 1024))
		snprintf(b, n, "%zuKiB", s / 1024);
	else
		snprintf(b, n, "%zuB", s);
}

void sweep_print_table(FILE *f, const struct sweep_cfg *cfg)
{
	const struct sweep_res *r;
	char sz[24], pr[16], where[32];
	size_t i;

	fprintf(f, "# syslat ipc-sweep: MB/s = 10^6 bytes/s; median of %llu rounds of >= %llu ms "
		"each [bootstrap 95 %% CI of the median]\n"
		"# pingpong: ns = one round trip in ns, %s\n# stream: ns = ns per message, %s\n",
		(unsigned long long)cfg->rounds, (unsigned long long)cfg->round_ms, BW_DEF,
		STREAM_DEF);
	fprintf(f, "%-10s %-8s %7s %5s %4s %7s %10s %21s %10s %23s %7s\n", "mechanism", "traffic",
		"size", "pairs", "pair", "cpus", "ns", "[95% CI]", "MB/s", "[95% CI]", "scaling");
	for (i = 0; i < cfg->nres; i++) {
		r = &cfg->res[i];
		size_str(sz, sizeof(sz), r->size);
		snprintf(pr, sizeof(pr), r->pair < 0 ? "all" : "%d", r->pair);
		if (r->skipped) {
			fprintf(f, "%-10s %-8s %7s %5d %4s skipped: %s\n", r->m->name,
				traffic_name(r), sz, r->npairs, pr, r->why);
			continue;
		}
		if (r->pair < 0)
			snprintf(where, sizeof(where), "-");
		else
			snprintf(where, sizeof(where), "%d>%d", r->where.cpu, r->peer_where.cpu);
		fprintf(f, "%-10s %-8s %7s %5d %4s %7s %10.0f [%9.0f, %9.0f] %10.2f [%10.2f, %10.2f]",
			r->m->name, traffic_name(r), sz, r->npairs, pr, where, r->rtt.median, r->rtt.ci_lo,
			r->rtt.ci_hi, r->bw.median / 1e6, r->bw.ci_lo / 1e6, r->bw.ci_hi / 1e6);
		if (isnan(r->scaling))
			fputc('\n', f);
		else
			fprintf(f, " %6.2fx\n", r->scaling);
	}
	fprintf(f, "# aggregate row (all): ns = mean over pairs per round; MB/s: sum over pairs; "
		"scaling = aggregate / 1-pair bandwidth\n");
}

static void cpu_csv(FILE *f, const struct topo_ids *c)
{
	fprintf(f, ",%d,%d,%d,%d,%d", c->cpu, c->package, c->die, c->llc, c->node);
}

/* "median,ci_lo,ci_hi" of @st, or three empty fields when @on is 0. */
static void stat_csv(FILE *f, int on, uint64_t per_round, const struct stats *st)
{
	if (on)
		fprintf(f, ",%llu,%.1f,%.1f,%.1f", (unsigned long long)per_round, st->median,
			st->ci_lo, st->ci_hi);
	else
		fputs(",,,,", f);
}

void sweep_print_csv(FILE *f, const struct sweep_cfg *cfg)
{
	size_t i;

	/* The ping-pong's columns and the stream's apart: "traffic" says which is filled. */
	fputs("mechanism,traffic,peer,size_bytes,pairs,pair,cpu,package,die,llc,node,peer_cpu,"
	      "peer_package,peer_die,peer_llc,peer_node,rounds,round_trips_per_round,"
	      "rtt_ns_median,rtt_ns_ci_lo,rtt_ns_ci_hi,messages_per_round,msg_ns_median,"
	      "msg_ns_ci_lo,msg_ns_ci_hi,bw_bytes_per_s_median,bw_bytes_per_s_ci_lo,"
	      "bw_bytes_per_s_ci_hi,scaling,skipped\n", f);
	for (i = 0; i < cfg->nres; i++) {
		const struct sweep_res *r = &cfg->res[i];
		struct topo_ids none = { -1, -1, -1, -1, -1 };

		fprintf(f, "%s,%s,%s,%zu,%d,%d", r->m->name, traffic_name(r),
			cfg->process ? "process" : "thread", r->size, r->npairs, r->pair);
		cpu_csv(f, r->skipped || r->pair < 0 ? &none : &r->where);
		cpu_csv(f, r->skipped || r->pair < 0 ? &none : &r->peer_where);
		fprintf(f, ",%llu", (unsigned long long)cfg->rounds);
		if (r->skipped) {
			/* The reason may hold commas and quotes: quoted. */
			fputs(",,,,,,,,,,,,,\"skipped: ", f);
			for (const char *p = r->why; *p; p++)
				fputs(*p == '"' ? "\"\"" : (char[2]){ *p, 0 }, f);
			fputs("\"\n", f);
			continue;
		}
		stat_csv(f, !r->stream, r->iters, &r->rtt);
		stat_csv(f, r->stream, r->iters, &r->rtt);
		fprintf(f, ",%.0f,%.0f,%.0f,", r->bw.median, r->bw.ci_lo, r->bw.ci_hi);
		if (!isnan(r->scaling))
			fprintf(f, "%.3f", r->scaling);
		fputs(",\n", f);
	}
}

static void cpu_json(json_writer_t *w, const char *name, const struct topo_ids *c)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_int_field(w, "cpu", c->cpu);
	jsonw_int_field(w, "package", c->package);
	jsonw_int_field(w, "die", c->die);
	jsonw_int_field(w, "llc", c->llc);
	jsonw_int_field(w, "node", c->node);
	jsonw_end_object(w);
}

static void stat_json(json_writer_t *w, const char *name, const char *unit,
		      const struct stats *s)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_string_field(w, "unit", unit);
	jsonw_float_field(w, "median", s->median);
	jsonw_float_field(w, "ci_lo", s->ci_lo);
	jsonw_float_field(w, "ci_hi", s->ci_hi);
	jsonw_float_field(w, "min", s->min);
	jsonw_float_field(w, "max", s->max);
	jsonw_float_field(w, "cv", s->cv);
	jsonw_end_object(w);
}

static void res_json(json_writer_t *w, const struct sweep_cfg *cfg, const struct sweep_res *r)
{
	jsonw_start_object(w);
	jsonw_string_field(w, "mechanism", r->m->name);
	jsonw_string_field(w, "over", r->m->what);
	jsonw_string_field(w, "traffic", traffic_name(r));
	jsonw_uint_field(w, "size_bytes", r->size);
	jsonw_int_field(w, "pairs", r->npairs);
	if (r->pair < 0)
		jsonw_string_field(w, "pair", "aggregate");
	else
		jsonw_int_field(w, "pair", r->pair);
	if (r->skipped) {
		jsonw_string_field(w, "skipped", r->why);
		jsonw_end_object(w);
		return;
	}
	if (r->pair >= 0) {
		cpu_json(w, "cpu", &r->where);
		cpu_json(w, "peer_cpu", &r->peer_where);
	}
	jsonw_uint_field(w, "rounds", cfg->rounds);
	jsonw_uint_field(w, r->stream ? "messages_per_round" : "round_trips_per_round", r->iters);
	stat_json(w, r->stream ? "per_message" : "round_trip", "ns", &r->rtt);
	stat_json(w, "bandwidth", "bytes/s", &r->bw);
	jsonw_string_field(w, "bandwidth_is", r->stream ? "stream" : "pingpong");
	jsonw_float_field(w, "scaling_vs_1_pair", r->scaling);
	jsonw_end_object(w);
}

void sweep_print_json(FILE *f, const struct sweep_cfg *cfg, int argc, char **argv)
{
	json_writer_t *w = jsonw_new(f);
	size_t i;

	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_string_field(w, "tool", "syslat ipc-sweep");
	jsonw_string_field(w, "version", SYSLAT_VERSION);
	jsonw_uint_field(w, "time", (uint64_t)time(NULL));
	jsonw_string_array_field(w, "argv", argv, argc);
	jsonw_string_field(w, "round_trip", "one round trip: size bytes there and size back");
	jsonw_string_field(w, "bandwidth", BW_DEF);
	jsonw_string_field(w, "per_message", "stream rows: ns per message of the stream");
	jsonw_string_field(w, "stream_bandwidth", STREAM_DEF);
	jsonw_string_field(w, "peers", cfg->process ? "processes" : "threads");
	jsonw_string_field(w, "statistics", "median over rounds, bootstrap 95 % CI of the median");
	jsonw_string_field(w, "placement", cfg->placement);
	jsonw_bool_field(w, "interrupted", cfg->interrupted);
	jsonw_uint_field(w, "round_ms", cfg->round_ms);
	jsonw_float_field(w, "tsc_khz", cfg->tsc->khz);
	jsonw_name(w, "results");
	jsonw_start_array(w);
	for (i = 0; i < cfg->nres; i++)
		res_json(w, cfg, &cfg->res[i]);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
}

/* The 1-pair rows of @m and one traffic as a gnuplot datablock "size ns MB/s". */
static int datablock(FILE *g, const struct sweep_cfg *cfg, int mi, int stream)
{
	size_t i;
	int n = 0;

	fprintf(g, "$d%d_%d << EOD\n", mi, stream);
	for (i = 0; i < cfg->nres; i++) {
		const struct sweep_res *r = &cfg->res[i];

		if (r->m != cfg->mech[mi] || r->stream != stream || r->npairs != 1 || r->skipped)
			continue;
		fprintf(g, "%zu %.1f %.3f\n", r->size, r->rtt.median, r->bw.median / 1e6);
		n++;
	}
	fputs("EOD\n", g);
	return n;
}

/* One panel; a mechanism keeps its colour (linetype) in every panel. */
static void plot(FILE *g, const struct sweep_cfg *cfg, int have[][2], int stream, int col)
{
	const char *sep = "plot ";
	int i;

	for (i = 0; i < cfg->nmech; i++) {
		if (!have[i][stream])
			continue;
		fprintf(g, "%s$d%d_%d using 1:%d with linespoints linetype %d title '%s'", sep, i,
			stream, col, i + 1, cfg->mech[i]->name);
		sep = ", ";
	}
	if (*sep == 'p')	/* nothing of this traffic: an empty panel, said so */
		fputs("set label 1 'not measured' at graph 0.4, 0.5\nplot [1:2] [1:2] NaN notitle\n"
		      "unset label 1", g);
	fputc('\n', g);
}

int sweep_svg(const struct sweep_cfg *cfg, const char *path)
{
	struct gnuplot gp;
	int have[16][2], i, any = 0, rc = gnuplot_open(&gp, path);

	if (rc)
		return rc;
	for (i = 0; i < cfg->nmech; i++) {
		any |= have[i][0] = datablock(gp.f, cfg, i, 0) > 0;
		any |= have[i][1] = datablock(gp.f, cfg, i, 1) > 0;
	}
	fprintf(gp.f, "set terminal svg size 1400,440 dynamic enhanced font 'sans,11'\n"
		"set logscale xy\nset grid\nset key left top\nset xlabel 'message size (bytes)'\n"
		"set multiplot layout 1,3 title 'syslat ipc-sweep, 1 pair, %s peers, median of "
		"rounds; MB/s = 10^6 bytes/s'\n"
		"set title 'ping-pong: round trip'\nset ylabel 'round trip (ns)'\n",
		cfg->process ? "process" : "thread");
	if (any) {
		plot(gp.f, cfg, have, 0, 2);
		fputs("set title 'ping-pong bandwidth: 2 x size / round trip'\n"
		      "set ylabel 'MB/s (both directions)'\n", gp.f);
		plot(gp.f, cfg, have, 0, 3);
		fputs("set title 'stream bandwidth: N x size / (N messages + ack)'\n"
		      "set ylabel 'MB/s (one direction)'\n", gp.f);
		plot(gp.f, cfg, have, 1, 3);
	}
	fputs("unset multiplot\n", gp.f);
	rc = gnuplot_close(&gp);
	return any ? rc : -ENODATA;
}
