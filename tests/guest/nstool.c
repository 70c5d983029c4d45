// SPDX-License-Identifier: GPL-2.0
/*
 * nstool: small helpers for the guest demo and tests.
 *
 *   nstool clone NAME        clone(CLONE_NEWNET) a child and pin its network
 *                            namespace at /run/netns/NAME (ip netns view)
 *   nstool serve PORT [FIFO] TCP server on 0.0.0.0:PORT: write "ready" to
 *                            FIFO once listening, accept one client, echo
 *                            its message back prefixed with "echo: "
 *   nstool send ADDR PORT MSG
 *                            connect, send MSG, print the reply
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "nstool: %s: %s\n", what, strerror(errno));
	return 1;
}

static char stack[64 * 1024];
static const char *pin_path;

static int pin_child(void *arg)
{
	int fd;

	(void)arg;
	fd = open(pin_path, O_RDONLY | O_CREAT | O_EXCL, 0444);
	if (fd < 0)
		return die(pin_path);
	close(fd);
	if (mount("/proc/self/ns/net", pin_path, "none", MS_BIND, NULL))
		return die("bind mount of /proc/self/ns/net");
	return 0;
}

static int do_clone(const char *name)
{
	static char path[256];
	int status;
	pid_t pid;

	mkdir("/run/netns", 0755);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	pin_path = path;
	pid = clone(pin_child, stack + sizeof(stack), CLONE_NEWNET | SIGCHLD, NULL);
	if (pid < 0)
		return die("clone(CLONE_NEWNET)");
	if (waitpid(pid, &status, 0) < 0)
		return die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("nstool: clone(CLONE_NEWNET) made namespace %s (child pid %d)\n",
	       name, pid);
	return 0;
}

static int do_serve(int port, const char *fifo)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char buf[512], out[600];
	int s, c, one = 1, fd;
	ssize_t n;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons(port);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 4))
		return die("bind/listen");
	if (fifo) {
		fd = open(fifo, O_WRONLY);
		if (fd < 0 || write(fd, "ready\n", 6) != 6)
			return die(fifo);
		close(fd);
	}
	c = accept(s, NULL, NULL);
	if (c < 0)
		return die("accept");
	n = read(c, buf, sizeof(buf) - 1);
	if (n < 0)
		return die("read");
	buf[n] = 0;
	printf("nstool: server got \"%s\"\n", buf);
	fflush(stdout);
	n = snprintf(out, sizeof(out), "echo: %s", buf);
	if (write(c, out, n) != n)
		return die("write");
	close(c);
	close(s);
	return 0;
}

static int do_send(const char *addr, int port, const char *msg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char buf[600];
	ssize_t n;
	int s;

	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "nstool: bad address %s\n", addr);
		return 1;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return die("socket");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		return die("connect");
	if (write(s, msg, strlen(msg)) != (ssize_t)strlen(msg))
		return die("write");
	shutdown(s, SHUT_WR);
	n = read(s, buf, sizeof(buf) - 1);
	if (n < 0)
		return die("read");
	buf[n] = 0;
	printf("%s\n", buf);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "clone"))
		return do_clone(argv[2]);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "serve"))
		return do_serve(atoi(argv[2]), argc == 4 ? argv[3] : NULL);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: nstool clone NAME | serve PORT [FIFO] | send ADDR PORT MSG\n");
	return 2;
}
