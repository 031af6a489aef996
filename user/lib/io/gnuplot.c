// SPDX-License-Identifier: GPL-2.0
/* Running gnuplot for --svg without a shell (see util.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

int gnuplot_open(struct gnuplot *gp, const char *out_path)
{
	int fds[2], out, err;
	pid_t pid;

	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		return -errno;
	if (pipe2(fds, O_CLOEXEC)) {
		err = -errno;
		close(out);
		return err;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (dup2(fds[0], 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		fprintf(stderr, "cannot run gnuplot: %s (apt-get install gnuplot-nox)\n", strerror(errno));
		_exit(127);
	}
	err = pid < 0 ? -errno : 0;
	close(fds[0]);
	close(out);
	if (err) {
		close(fds[1]);
		return err;
	}
	gp->pid = pid;
	gp->f = fdopen(fds[1], "w");
	if (!gp->f) {
		close(fds[1]);
		waitpid(pid, NULL, 0);
		return -ENOMEM;
	}
	return 0;
}

int gnuplot_close(struct gnuplot *gp)
{
	int status = 0;

	fclose(gp->f);
	if (waitpid(gp->pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

void gnuplot_quote(char *buf, size_t len, const char *s)
{
	size_t k = 0;

	for (; *s && k + 3 < len; s++) {
		if (*s == '\n' || *s == '\r')
			continue;
		if (*s == '\'')
			buf[k++] = '\'';
		buf[k++] = *s;
	}
	buf[k] = '\0';
}
