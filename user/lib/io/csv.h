/* SPDX-License-Identifier: GPL-2.0 */
/* RFC 4180 CSV output: fields quoted when they hold , " CR or LF. */
#ifndef SYSLAT_CSV_H
#define SYSLAT_CSV_H

#include <stdio.h>

/* schema 2: how the benchmark ran is on every row, so rows never mix silently */
#define CSV_HEADER "benchmark,mode,direction,placement,process,statistic,value,unit"
#define CSV_FIELDS 8

void csv_field(FILE *f, const char *s);
/* One row of n fields, CRLF-free ("\n" line ends, as awk expects). */
void csv_row(FILE *f, const char *const *fields, int n);

#endif
