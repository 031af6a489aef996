// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *read_text_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && len < max) {
		ssize_t k;

		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		k = read(fd, buf + len, (cap - len < max - len) ? cap - len : max - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			buf = NULL;
		}
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

char *str_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int read_line_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	str_rtrim(buf);
	return 0;
}

void iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ensure_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return errno == EEXIST ? -ENOTDIR : -errno;
}

int atomic_open(struct atomic_file *af, const char *path)
{
	const char *slash = strrchr(path, '/');
	int fd, n;

	memset(af, 0, sizeof(*af));
	if (strlen(path) >= sizeof(af->path))
		return -ENAMETOOLONG;
	strcpy(af->path, path);
	/* The temp file lives beside the target so rename() stays atomic. */
	n = snprintf(af->tmp, sizeof(af->tmp), "%.*s.%s.tmp.XXXXXX",
		     slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path);
	if (n < 0 || (size_t)n >= sizeof(af->tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(af->tmp);
	if (fd < 0)
		return -errno;
	fchmod(fd, 0644);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		close(fd);
		unlink(af->tmp);
		return -ENOMEM;
	}
	return 0;
}

int atomic_commit(struct atomic_file *af, int ok)
{
	int err = 0;

	if (fflush(af->f) || fsync(fileno(af->f)))
		err = -errno;
	else if (ferror(af->f))	/* an earlier write failed: never rename a short file */
		err = -EIO;
	if (fclose(af->f) && !err)
		err = -errno;
	af->f = NULL;
	if (!ok || err) {
		unlink(af->tmp);
		return err ? err : 0;
	}
	if (rename(af->tmp, af->path)) {
		err = -errno;
		unlink(af->tmp);
	}
	return err;
}
