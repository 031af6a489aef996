// SPDX-License-Identifier: GPL-2.0
/*
 * malloc for syslat-mini: a bump allocator over a static arena, replacing
 * musl's. Why: musl's mallocng takes all its memory from mmap, which
 * Unikraft 0.5's elfloader does not implement (its brk offers one 2 MB
 * heap). An arena in .bss needs no system call at all, so the program
 * allocates the same way on every system. The program allocates a few
 * hundred kB once (the timer window's samples, the round figures, the JSON
 * writer) and exits: free only gives back the latest block, which is what
 * the sampler's growing arrays need.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARENA_SIZE (4u << 20)
#define ALIGN 16

struct hdr {
	size_t size;
	size_t pad;		/* keeps the payload 16-byte aligned */
};

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(ALIGN)));
static size_t used;
static struct hdr *last;

void *malloc(size_t n)
{
	size_t need = (sizeof(struct hdr) + n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	struct hdr *h;

	if (n > ARENA_SIZE || need > ARENA_SIZE - used) {
		errno = ENOMEM;
		return NULL;
	}
	h = (struct hdr *)(arena + used);
	h->size = n;
	used += need;
	last = h;
	return h + 1;
}

void free(void *p)
{
	struct hdr *h = p ? (struct hdr *)p - 1 : NULL;

	if (h && h == last) {
		used = (size_t)((unsigned char *)h - arena);
		last = NULL;
	}
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);	/* a freed tail block may be reused */
	return p;
}

void *realloc(void *p, size_t n)
{
	struct hdr *h = p ? (struct hdr *)p - 1 : NULL;
	void *q;

	if (!p)
		return malloc(n);
	if (h == last) {	/* grow or shrink in place */
		size_t at = (size_t)((unsigned char *)h - arena);
		size_t need = (sizeof(*h) + n + ALIGN - 1) & ~(size_t)(ALIGN - 1);

		if (need > ARENA_SIZE - at) {
			errno = ENOMEM;
			return NULL;
		}
		h->size = n;
		used = at + need;
		return p;
	}
	q = malloc(n);
	if (q)
		memcpy(q, p, h->size < n ? h->size : n);
	return q;
}
