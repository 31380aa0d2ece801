// SPDX-License-Identifier: GPL-2.0
/*
 * Connection load for bench/run, in C so that the load generator, not the
 * language runtime, is what the benchmark pays for.
 *
 *   loadgen hold N                      listen on 127.0.0.1, open N connections to it, print
 *                                       "ready PORT", keep them until SIGTERM
 *   loadgen serve-close PORT            listen on 127.0.0.1:PORT, close each accepted
 *                                       connection at once (the server end closes first)
 *   loadgen churn PORT RATE SECONDS     open connections to 127.0.0.1:PORT at RATE a second
 *                                       for SECONDS, each read to EOF and closed; print
 *                                       "made N seconds S"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listener(int port)
{
	struct sockaddr_in a = loopback(port);
	socklen_t len = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096))
		die("listen");
	if (getsockname(fd, (struct sockaddr *)&a, &len))
		die("getsockname");
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

static int connect_to(int port)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return fd;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Both ends of N connections in this process: 2N descriptors. */
static int hold(long n)
{
	struct rlimit nofile;
	int lfd = listener(0);

	getrlimit(RLIMIT_NOFILE, &nofile);
	nofile.rlim_cur = nofile.rlim_max;
	setrlimit(RLIMIT_NOFILE, &nofile);
	for (long i = 0; i < n; i++) {
		connect_to(port_of(lfd));
		if (accept(lfd, NULL, NULL) < 0)
			die("accept");
	}
	printf("ready %d\n", port_of(lfd));
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

static int serve_close(int port)
{
	int lfd = listener(port);

	printf("ready %d\n", port_of(lfd));
	fflush(stdout);
	while (!stop) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0)
			close(fd);
		else if (errno != EINTR)
			die("accept");
	}
	return 0;
}

/* Paced on an absolute schedule: a late connection is not made up by sleeping less later. */
static int churn(int port, double rate, double seconds)
{
	double start = now(), next = start;
	long made = 0;
	char buf[64];

	while (!stop && now() - start < seconds) {
		struct timespec wait;
		double left = next - now();
		int fd;

		if (left > 0) {
			wait.tv_sec = (time_t)left;
			wait.tv_nsec = (long)((left - wait.tv_sec) * 1e9);
			nanosleep(&wait, NULL);
		}
		next += 1 / rate;
		fd = connect_to(port);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		made++;
	}
	printf("made %ld seconds %.3f\n", made, now() - start);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return hold(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "serve-close"))
		return serve_close(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "churn"))
		return churn(atoi(argv[2]), atof(argv[3]), atof(argv[4]));
	fprintf(stderr, "usage: loadgen hold N | serve-close PORT | churn PORT RATE SECONDS\n");
	return 2;
}
