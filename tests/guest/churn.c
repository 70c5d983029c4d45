// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded churn soak for network namespaces.  Two workers at once, each in
 * a loop for a time budget: a namespace, a veth pair with the peer in a
 * second namespace, addresses, routes, lo up, a listener with an accepted
 * client across the pair, a UDP socket with a datagram still queued, a
 * short TCP connection closed client-first so a TIME_WAIT socket is left;
 * then every fd is dropped, so the kernel destroys both namespaces
 * asynchronously while they still hold all of that.
 *
 * Afterwards (bounded waits, polling): the count of live namespaces comes
 * back to where it started, MemAvailable comes back within a tolerance,
 * and kmemleak (when the kernel has it) reports nothing.
 *
 *   churn [--seconds N | --long] [kselftest harness options]
 *
 * N defaults to 120; --long is 900.
 */
#include "nsutil.h"
#include <sys/mman.h>
#include "kselftest_harness.h"

#define DEFAULT_SECONDS	120
#define LONG_SECONDS	900
/* How long the namespaces and the memory get to come back, in total. */
#define SETTLE_SECONDS	120
#define NWORKERS	2
#define PORT		7000
#define A_ADDR		"10.0.0.1"
#define B_ADDR		"10.0.0.2"
/* MemAvailable must come back to within max(this, 25% of the growth). */
#define MEM_SLACK_KB	(8 * 1024)
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

struct worker_result {
	unsigned long cycles;	/* completed */
	int failed;
	int err;		/* errno of the failed step, 0 if none */
	char step[64];		/* what failed */
};

/* Shared by the tests (each runs in its own child) and their workers. */
struct churn_state {
	int ran;		/* the soak ran: the later checks have a baseline */
	int kmemleak;		/* kmemleak was on and cleared before the soak */
	int seconds;
	long mem_before, mem_low;
	long ns_before, ns_peak;
	time_t settle_deadline;	/* CLOCK_MONOTONIC */
	struct worker_result w[NWORKERS];
};

static struct churn_state *st;

static time_t now_sec(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* Seconds left until @deadline, at least 1. */
static int remaining(time_t deadline)
{
	time_t left = deadline - now_sec();

	return left > 0 ? left : 1;
}

/*
 * Poll @cond every @ms milliseconds until it is true or the monotonic
 * clock passes @deadline (seconds): 1 once true, 0 if not.
 */
#define WAIT_UNTIL(deadline, ms, cond) ({			\
	int __ok = 0;						\
	for (;;) {						\
		if (cond) {					\
			__ok = 1;				\
			break;					\
		}						\
		if (now_sec() >= (deadline))			\
			break;					\
		poll(NULL, 0, (ms));				\
	}							\
	__ok; })

/*
 * The namespace count once dismantled namespaces are freed (ns_drain()).
 * Poll briefly for the last throwaway's struct net to go: an upper bound
 * either way, the check built on it can only err towards passing by one.
 */
static long ns_settled(time_t deadline, long *raw)
{
	long n;

	if (ns_drain(remaining(deadline)))
		return -1;
	n = ns_count();
	if (raw)
		*raw = n;
	WAIT_FOR(2, ns_count() < n);
	return ns_count();
}

static long mem_tolerance(long before, long low)
{
	long growth = before - low;

	return growth / 4 > MEM_SLACK_KB ? growth / 4 : MEM_SLACK_KB;
}

/* --- kmemleak ---------------------------------------------------------------- */

/*
 * Reports now in the kmemleak file: their number, and the first one in
 * @first (for the log).  -errno if the file cannot be read.
 */
static int kmemleak_reports(char *first, size_t len)
{
	char line[512];
	size_t used = 0;
	int n = 0, in_first = 0;
	FILE *f = fopen(KMEMLEAK, "r");

	if (first && len)
		first[0] = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "unreferenced object")) {
			in_first = !n;
			n++;
		}
		if (in_first && first && used + strlen(line) < len) {
			strcpy(first + used, line);
			used += strlen(line);
		}
	}
	fclose(f);
	return n;
}

/* --- the workers ---------------------------------------------------------------- */

static void __attribute__((noreturn))
worker_fail(struct worker_result *r, const char *step, int err)
{
	snprintf(r->step, sizeof(r->step), "%s", step);
	r->err = err;
	r->failed = 1;
	_exit(1);
}

/* A syscall's result in the helpers' convention: the result, or -errno. */
#define SYS(expr) ({ long __s = (expr); __s < 0 ? -errno : __s; })

/* @expr gives a result or -errno; an error ends the worker, naming @step. */
#define TRY(r, step, expr) ({						\
	long __v = (expr);						\
	if (__v < 0)							\
		worker_fail((r), (step), (int)-__v);			\
	(int)__v; })

/* @cond must hold; if not, the worker ends, naming @step. */
#define CHECK(r, step, cond) do {					\
	errno = 0;							\
	if (!(cond))							\
		worker_fail((r), (step), errno);			\
} while (0)

static int accept_within(struct worker_result *r, int l, const char *step)
{
	CHECK(r, step, readable(l, 10000));
	return TRY(r, step, SYS(accept4(l, NULL, NULL, SOCK_CLOEXEC)));
}

/* One cycle: build both namespaces up, use them, drop every reference. */
static void cycle(struct worker_result *r, int home)
{
	struct sockaddr_in to = sin4(B_ADDR, PORT);
	int a, b, l, u, o, c, s, c2, s2;
	char ch;

	a = TRY(r, "new namespace a", SYS(ns_new()));
	b = TRY(r, "new namespace b", SYS(ns_new()));

	TRY(r, "enter a", SYS(ns_enter(a)));
	TRY(r, "veth va in a, peer vb in b", link_add("va", "veth", "vb", b));
	TRY(r, "lo up in a", link_up("lo"));
	TRY(r, "address on va", addr_add("va", A_ADDR, 24));
	TRY(r, "va up", link_up("va"));
	TRY(r, "route in a", route_add("10.60.0.0", 16, "va", B_ADDR));

	TRY(r, "enter b", SYS(ns_enter(b)));
	TRY(r, "lo up in b", link_up("lo"));
	TRY(r, "address on vb", addr_add("vb", B_ADDR, 24));
	TRY(r, "vb up", link_up("vb"));
	TRY(r, "route in b", route_add("10.61.0.0", 16, "vb", A_ADDR));
	l = TRY(r, "TCP listener in b", sock_bound(SOCK_STREAM, B_ADDR, PORT, 0));
	u = TRY(r, "UDP socket in b", sock_bound(SOCK_DGRAM, B_ADDR, PORT, 0));

	/* A connected, accepted TCP pair across the veth; a byte each way. */
	TRY(r, "enter a again", SYS(ns_enter(a)));
	c = TRY(r, "TCP connect a->b", tcp_connect(B_ADDR, PORT, NULL, 0));
	s = accept_within(r, l, "accept in b");
	CHECK(r, "TCP write a->b", write(c, "x", 1) == 1);
	CHECK(r, "TCP data reaches b", readable(s, 10000) && read(s, &ch, 1) == 1);
	CHECK(r, "TCP write b->a", write(s, "y", 1) == 1);
	CHECK(r, "TCP data reaches a", readable(c, 10000) && read(c, &ch, 1) == 1);

	/* UDP: one datagram delivered, one left queued on the socket. */
	o = TRY(r, "UDP socket in a", SYS(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
	CHECK(r, "UDP send a->b",
	      sendto(o, "u", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1);
	CHECK(r, "UDP datagram reaches b", readable(u, 10000) && recv(u, &ch, 1, 0) == 1);
	CHECK(r, "UDP send to leave queued",
	      sendto(o, "q", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1);

	/* A short connection, closed client-first: TIME_WAIT in a. */
	c2 = TRY(r, "short TCP connect", tcp_connect(B_ADDR, PORT, A_ADDR, PORT + 1));
	s2 = accept_within(r, l, "accept short connection");
	close(c2);
	CHECK(r, "client FIN reaches b", readable(s2, 10000) && read(s2, &ch, 1) == 0);
	close(s2);
	CHECK(r, "TIME_WAIT socket in a", WAIT_FOR(30, tcp_state_on_port(PORT + 1, "06")));

	/* Drop everything: the kernel tears both namespaces down. */
	TRY(r, "back to the initial namespace", SYS(ns_enter(home)));
	close(o);
	close(c);
	close(s);
	close(u);
	close(l);
	close(b);
	close(a);
}

static void __attribute__((noreturn)) worker(struct worker_result *r, int seconds)
{
	time_t end = now_sec() + seconds;
	int home = TRY(r, "open the initial namespace", SYS(ns_self()));

	while (now_sec() < end) {
		cycle(r, home);
		r->cycles++;
	}
	_exit(0);
}

/* --- the tests ---------------------------------------------------------------------- */

FIXTURE(churn) {
	int unused;
};

FIXTURE_SETUP(churn)
{
}

FIXTURE_TEARDOWN(churn)
{
}

/* Two workers churn namespaces for the budget; neither hits an error. */
TEST_F_TIMEOUT(churn, soak, LONG_SECONDS + 600)
{
	struct pollfd pfd[NWORKERS];
	pid_t pid[NWORKERS];
	int i, j, fds[2], left, status;
	char first[2048];
	long n, m, raw;

	raw = ns_count();
	if (raw < 0) {
		ksft_print_msg("churn: no net_namespace line in /proc/slabinfo (cache merged? boot with slab_nomerge): namespaces not counted\n");
		st->ns_before = -1;
	} else {
		st->ns_before = ns_settled(now_sec() + 60, &raw);
		ASSERT_LE(0, st->ns_before)
			TH_LOG("a throwaway namespace was not dismantled within 60 s");
		ksft_print_msg("churn: namespaces before: %ld (net_namespace objects once a cleanup round completed; %ld before)\n",
			       st->ns_before, raw);
	}
	st->ns_peak = st->ns_before;
	st->mem_before = st->mem_low = mem_settled();
	ASSERT_LT(0, st->mem_before);
	if (!access(KMEMLEAK, F_OK)) {
		/* Reports from before the soak are not ours: note and clear them. */
		n = write_file(KMEMLEAK, "scan");
		if (n == -EPERM) {
			ksft_print_msg("churn: kmemleak is disabled: not checked\n");
		} else {
			ASSERT_EQ(0, n) TH_LOG("kmemleak scan: %s", strerror(-n));
			n = kmemleak_reports(first, sizeof(first));
			ASSERT_LE(0, n) TH_LOG("reading %s: %s", KMEMLEAK, strerror(-n));
			if (n)
				ksft_print_msg("churn: kmemleak: %ld reports from before the soak, cleared (not counted); the first:\n%s",
					       n, first);
			ASSERT_EQ(0, write_file(KMEMLEAK, "clear"));
			st->kmemleak = 1;
		}
	}
	ksft_print_msg("churn: %d workers for %d s; MemAvailable before: %ld kB\n",
		       NWORKERS, st->seconds, st->mem_before);

	for (i = 0; i < NWORKERS; i++) {
		ASSERT_EQ(0, pipe2(fds, O_CLOEXEC));
		fflush(stdout);
		fflush(stderr);
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			/* Keep only the write end: it closes when we exit. */
			for (j = 0; j < i; j++)
				close(pfd[j].fd);
			close(fds[0]);
			worker(&st->w[i], st->seconds);
		}
		close(fds[1]);
		pfd[i].fd = fds[0];
		pfd[i].events = POLLIN;
	}

	/* Sample the namespace count and memory until both workers are gone. */
	for (left = NWORKERS; left;) {
		poll(pfd, NWORKERS, 250);
		for (i = 0; i < NWORKERS; i++) {
			if (pfd[i].fd >= 0 && pfd[i].revents & (POLLHUP | POLLERR)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				left--;
			}
		}
		n = ns_count();
		if (n > st->ns_peak)
			st->ns_peak = n;
		m = meminfo("MemAvailable");
		if (m > 0 && m < st->mem_low)
			st->mem_low = m;
	}
	st->settle_deadline = now_sec() + SETTLE_SECONDS;
	st->ran = 1;

	for (i = 0; i < NWORKERS; i++) {
		struct worker_result *r = &st->w[i];

		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		ksft_print_msg("churn: worker %d: %lu cycles in %d s\n",
			       i, r->cycles, st->seconds);
		if (r->failed)
			TH_LOG("worker %d failed in cycle %lu at step \"%s\": %s",
			       i, r->cycles + 1, r->step,
			       r->err ? strerror(r->err) : "condition false");
		else if (WIFSIGNALED(status))
			TH_LOG("worker %d killed by signal %d in cycle %lu",
			       i, WTERMSIG(status), r->cycles + 1);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		EXPECT_FALSE(r->failed);
		EXPECT_LT(0UL, r->cycles);
	}
	ksft_print_msg("churn: peak: %ld namespaces; lowest MemAvailable %ld kB (%ld kB below the start)\n",
		       st->ns_peak, st->mem_low, st->mem_before - st->mem_low);
}

/* Every namespace the workers made is freed again. */
TEST_F_TIMEOUT(churn, namespaces_freed, SETTLE_SECONDS + 120)
{
	long n = -1, raw = -1;
	int ok;

	if (!st->ran)
		SKIP(return, "the soak did not run");
	if (st->ns_before < 0)
		SKIP(return, "no net_namespace line in /proc/slabinfo (cache merged; boot with slab_nomerge)");
	/*
	 * Each poll runs two throwaway rounds: the last batch gets freed.
	 * One namespace of slack: 6.12.117 frees a dismantled batch's struct
	 * net only when the next batch is dismantled ("net: defer final
	 * 'struct net' free in netns dismantle"), and which batch is last
	 * depends on timing.  A leak per cycle is hundreds, never one.
	 */
	ok = WAIT_UNTIL(st->settle_deadline, 250,
			(n = ns_settled(st->settle_deadline, &raw)) >= 0 &&
			n <= st->ns_before + 1);
	ksft_print_msg("churn: namespaces: before %ld, peak %ld, after %ld (%ld before the last cleanup round completed)\n",
		       st->ns_before, st->ns_peak, n, raw);
	EXPECT_TRUE(ok)
		TH_LOG("%ld namespaces %d s after the workers ended, %ld at the start: %s",
		       n, SETTLE_SECONDS, st->ns_before,
		       n < 0 ? "a throwaway namespace was not dismantled" : "not freed");
}

/* MemAvailable comes back to the start, within the stated tolerance. */
TEST_F_TIMEOUT(churn, memory_returns, SETTLE_SECONDS + 120)
{
	long tol, m = -1;
	int ok;

	if (!st->ran)
		SKIP(return, "the soak did not run");
	tol = mem_tolerance(st->mem_before, st->mem_low);
	ok = WAIT_UNTIL(st->settle_deadline, 250,
			(m = mem_settled()) >= st->mem_before - tol);
	ksft_print_msg("churn: MemAvailable kB: before %ld, lowest %ld (peak growth %ld), after %ld (%+ld)\n",
		       st->mem_before, st->mem_low, st->mem_before - st->mem_low,
		       m, m - st->mem_before);
	ksft_print_msg("churn: tolerance %ld kB: %s\n", tol,
		       tol == MEM_SLACK_KB ? "8 MiB (larger than 25% of the peak growth)"
					   : "25% of the peak growth (larger than 8 MiB)");
	EXPECT_TRUE(ok)
		TH_LOG("MemAvailable still %ld kB below the start %d s after the workers ended",
		       st->mem_before - m, SETTLE_SECONDS);
}

/* kmemleak finds nothing that the churn left behind. */
TEST_F_TIMEOUT(churn, kmemleak_clean, 900)
{
	char first[4096];
	int n, i, ret;

	if (access(KMEMLEAK, F_OK))
		SKIP(return, "no %s (kernel without CONFIG_DEBUG_KMEMLEAK)", KMEMLEAK);
	if (!st->ran)
		SKIP(return, "the soak did not run");
	if (!st->kmemleak)
		SKIP(return, "kmemleak is disabled");
	/*
	 * An object is reported only once its contents stayed the same
	 * since the scan before: scan twice.
	 */
	for (i = 0; i < 2; i++) {
		ret = write_file(KMEMLEAK, "scan");
		ASSERT_EQ(0, ret)
			TH_LOG("kmemleak scan: %s%s", strerror(-ret),
			       ret == -EPERM ? " (kmemleak turned itself off during the soak: see the console)" : "");
	}
	n = kmemleak_reports(first, sizeof(first));
	ASSERT_LE(0, n) TH_LOG("cannot read %s: %s", KMEMLEAK, strerror(-n));
	ksft_print_msg("churn: kmemleak: %d unreferenced objects\n", n);
	EXPECT_EQ(0, n) TH_LOG("the first report:\n%s", first);
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seconds N (1..%d, default %d) | --long (%d s)] [harness options]\n",
		prog, LONG_SECONDS, DEFAULT_SECONDS, LONG_SECONDS);
	return KSFT_FAIL;
}

int main(int argc, char **argv)
{
	char **hargv = calloc(argc + 1, sizeof(*hargv));
	int i, hargc = 0, seconds = DEFAULT_SECONDS;
	char *end;

	if (!hargv)
		return KSFT_FAIL;
	hargv[hargc++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--long")) {
			seconds = LONG_SECONDS;
		} else if (!strcmp(argv[i], "--seconds")) {
			if (++i == argc)
				return usage(argv[0]);
			seconds = strtol(argv[i], &end, 10);
			if (*end || seconds < 1 || seconds > LONG_SECONDS)
				return usage(argv[0]);
		} else {
			hargv[hargc++] = argv[i];
		}
	}
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		return KSFT_FAIL;
	st->seconds = seconds;
	return test_harness_run(hargc, hargv);
}
