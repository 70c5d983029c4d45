// SPDX-License-Identifier: GPL-2.0
/*
 * nsbench: the guest side of scripts/bench.  Measures what network
 * namespaces cost on the running kernel and prints one line per figure:
 *
 *   BENCH <figure> <value> <unit>
 *   MAP <lo-state> <n> slab|alloc <name> <bytes per namespace>
 *
 * Time is the guest's CLOCK_MONOTONIC: under QEMU -icount shift=0 it
 * counts executed instructions (1 ns each), so a figure repeats across
 * boots.  Usage:
 *
 *   nsbench [--quick] [--only mem,create,veth,cross,capacity]
 *   nsbench --drain    (wait until every namespace let go of is freed)
 *   nsbench --hold N   (make N namespaces, let go of them together, drain)
 *
 * The helpers (namespaces as fds, rtnetlink, /proc readers) are the
 * series' selftest header, tools/testing/selftests/net/netns/nsutil.h.
 */
#include "nsutil.h"

#include <linux/membarrier.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static int quick;

static void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "nsbench: error: ");
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, " (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	fflush(stdout);
	exit(1);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void figure(const char *name, double v, const char *unit)
{
	printf("BENCH %s %.3f %s\n", name, v, unit);
	fflush(stdout);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* --- teardown, waited for exactly ------------------------------------- */

/*
 * One cleanup round of the kernel's netns workqueue, waited for without
 * polling: a throwaway namespace holds a veth whose peer is here; the
 * ordered workqueue dismantles it after every namespace let go of
 * before it, and the peer's RTM_DELLINK tells us when.
 */
static void cleanup_round(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	char buf[8192], peer[IFNAMSIZ];
	int sk, home, t, idx, done = 0;

	snprintf(peer, sizeof(peer), "bflush%d", getpid() % 100000);
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk < 0 || bind(sk, (struct sockaddr *)&sa, sizeof(sa)))
		fatal("rtnetlink monitor");
	home = ns_self();
	t = ns_new();
	if (home < 0 || t < 0 || ns_enter(t) || link_add("f0", "veth", peer, home) ||
	    ns_enter(home))
		fatal("throwaway namespace with a veth");
	idx = if_nametoindex(peer);
	if (!idx)
		fatal("veth peer %s", peer);
	close(t);
	while (!done) {
		struct nlmsghdr *nh;
		int len;

		if (!readable(sk, 120000))
			fatal("namespace cleanup did not finish within 120 s");
		len = recv(sk, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == ENOBUFS) {	/* lost events: look */
				done = !if_nametoindex(peer);
				continue;
			}
			fatal("recv rtnetlink");
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(nh);

			if (nh->nlmsg_type == RTM_DELLINK && ifi->ifi_index == idx)
				done = 1;
		}
	}
	close(home);
	close(sk);
}

/*
 * Everything let go of so far is dismantled and freed.  The peer's
 * RTM_DELLINK comes from the middle of a cleanup round, before its
 * rcu_barrier(); and a round frees the struct net of the round before it
 * (6.12.y: "net: defer final 'struct net' free in netns dismantle").  So
 * the third round's event means the first round's struct nets are
 * freed: only the throwaways of rounds two and three are left.
 */
static void drain(void)
{
	cleanup_round();
	cleanup_round();
	cleanup_round();
}

/* --- memory -------------------------------------------------------------- */

static const char *const mem_keys[] = {
	"Available", "Slab", "SUnreclaim", "SReclaimable", "Percpu", "KernelStack",
};
#define NKEYS (sizeof(mem_keys) / sizeof(mem_keys[0]))

struct entry {
	char name[160];
	double bytes;
};

struct table {
	struct entry *e;
	int n;
};

static double table_get(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			return t->e[i].bytes;
	return 0;
}

static void table_add(struct table *t, const char *name, double bytes)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name)) {
			t->e[i].bytes += bytes;
			return;
		}
	t->e = realloc(t->e, (t->n + 1) * sizeof(*t->e));
	if (!t->e)
		fatal("realloc");
	snprintf(t->e[t->n].name, sizeof(t->e[t->n].name), "%s", name);
	t->e[t->n++].bytes = bytes;
}

/* Slab caches by the memory their slabs hold: num_slabs * pagesperslab pages. */
static void read_slabinfo(struct table *t)
{
	long active, num, objsize, perslab, pages, slabs;
	char line[512], name[128];
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		fatal("/proc/slabinfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %ld %ld %ld %ld %ld : tunables %*d %*d %*d : slabdata %*d %ld",
			   name, &active, &num, &objsize, &perslab, &pages, &slabs) == 7)
			table_add(t, name, (double)slabs * pages * sysconf(_SC_PAGESIZE));
	fclose(f);
}

/* /proc/allocinfo (CONFIG_MEM_ALLOC_PROFILING): bytes by call site. */
static int read_allocinfo(struct table *t)
{
	char line[512], site[400];
	long bytes, calls;
	FILE *f = fopen("/proc/allocinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (sscanf(line, " %ld %ld %399[^\n]", &bytes, &calls, site) != 3)
			continue;
		for (p = site; *p; p++)	/* one token for the host */
			if (*p == ' ')
				*p = '~';
		table_add(t, site, bytes);
	}
	fclose(f);
	return 1;
}

/*
 * Settled /proc/meminfo @key in kB: MemAvailable counts the per-CPU free
 * lists in ("Available", pcp_free_kb()); the others as they are.
 * mem_settled() first.
 */
static long mem_kb(const char *key)
{
	if (!strcmp(key, "Available"))
		return meminfo_kb("MemAvailable") + pcp_free_kb();
	return meminfo_kb(key);
}

/*
 * Let the kernel settle before reading memory: an RCU grace period, then
 * 6 s of (idle, so cheap) guest time, past KFREE_DRAIN_JIFFIES (5 s) that
 * kfree_rcu() batches wait, and another grace period; then dirty pages
 * written, caches dropped, every slab cache shrunk and the per-CPU vmstat
 * differentials folded (mem_settled()).
 */
static void settle(void)
{
	syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	sleep(6);
	syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	mem_settled();
}

struct snap {
	long kb[NKEYS];
	struct table slab, alloc;
	int has_alloc;
};

static void snapshot(struct snap *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	settle();
	for (i = 0; i < NKEYS; i++) {
		s->kb[i] = mem_kb(mem_keys[i]);
		if (s->kb[i] < 0)
			fatal("no %s in /proc/meminfo", mem_keys[i]);
	}
	read_slabinfo(&s->slab);
	s->has_alloc = read_allocinfo(&s->alloc);
}

static void snap_free(struct snap *s)
{
	free(s->slab.e);
	free(s->alloc.e);
}

static int cmp_entry(const void *a, const void *b)
{
	double x = ((const struct entry *)a)->bytes, y = ((const struct entry *)b)->bytes;

	return x > y ? -1 : x < y;
}

/* MAP lines: the @top entries that grew most, per namespace. */
static void print_map(const char *lo, int n, const char *kind,
		      const struct table *before, const struct table *after, int top)
{
	struct table d = { 0 };
	int i;

	for (i = 0; i < after->n; i++) {
		double delta = after->e[i].bytes - table_get(before, after->e[i].name);

		if (delta > 0)
			table_add(&d, after->e[i].name, delta);
	}
	qsort(d.e, d.n, sizeof(*d.e), cmp_entry);
	for (i = 0; i < d.n && i < top; i++)
		printf("MAP %s %d %s %s %.1f\n", lo, n, kind, d.e[i].name, d.e[i].bytes / n);
	fflush(stdout);
	free(d.e);
}

/*
 * A new namespace, held by the nsfs fd returned, and back @home (an fd
 * of the caller's namespace, held across the calls).  Opening and
 * closing one per namespace made and freed the home namespace's nsfs
 * inode and dentry each time; the frees wait for RCU, and when they
 * waited long the slab pages filled with freed and held objects in
 * turn, so that the held ones ended up spread over twice the pages: in
 * some runs and not in others, 0.75 KiB more reclaimable slab per
 * namespace, inode_cache at two inodes a namespace instead of one.
 */
static int new_held_ns(int lo_up, int home)
{
	int fd;

	if (unshare(CLONE_NEWNET))
		return -1;
	if (lo_up && link_up("lo"))
		fatal("lo up");
	fd = ns_self();
	if (ns_enter(home))
		fatal("setns home");
	return fd;
}

static void bench_mem(int n, int lo_up)
{
	const char *lo = lo_up ? "lo_up" : "lo_down";
	struct snap a, b;
	char name[96];
	unsigned int k;
	int *fds, i, home = ns_self();

	fds = calloc(n, sizeof(*fds));
	if (!fds || home < 0)
		fatal("mem setup");
	drain();
	snapshot(&a);
	for (i = 0; i < n; i++) {
		fds[i] = new_held_ns(lo_up, home);
		if (fds[i] < 0)
			fatal("namespace %d of %d", i + 1, n);
	}
	snapshot(&b);
	for (k = 0; k < NKEYS; k++) {
		/* Available falls as namespaces take memory: report the cost. */
		double d = k == 0 ? a.kb[k] - b.kb[k] : b.kb[k] - a.kb[k];

		snprintf(name, sizeof(name), "mem.%s.n%d.%s", lo, n, mem_keys[k]);
		figure(name, d * 1024 / n / 1024, "KiB/ns");
	}
	print_map(lo, n, "slab", &a.slab, &b.slab, 12);
	if (b.has_alloc)
		print_map(lo, n, "alloc", &a.alloc, &b.alloc, 25);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(home);
	free(fds);
	drain();
	snap_free(&a);
	snap_free(&b);
}

/*
 * @n namespaces made and held, then let go of together, and drained:
 * for tests/guest/createprofile.sh --serial, whose trace wants the
 * teardown in as few cleanup_net() rounds as the kernel makes of it.
 */
static void hold_and_release(int n)
{
	int *fds = calloc(n, sizeof(int)), home = ns_self(), i;

	if (!fds || home < 0)
		fatal("hold setup");
	raise_nofile(n + 64);
	write_file("/proc/sys/user/max_net_namespaces", "1000000");
	drain();
	for (i = 0; i < n; i++) {
		fds[i] = new_held_ns(0, home);
		if (fds[i] < 0)
			fatal("namespace %d of %d", i + 1, n);
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(home);
	free(fds);
	drain();
}

/* --- create and destroy -------------------------------------------------- */

/*
 * The median unshare(CLONE_NEWNET) of @n, each namespace held (an nsfs
 * fd), so that no teardown runs meanwhile: what creating one costs.
 */
static void bench_create_held(int n)
{
	double *lat = calloc(n, sizeof(double)), t;
	int *fds = calloc(n, sizeof(int)), home = ns_self(), i;

	if (!lat || !fds || home < 0)
		fatal("create setup");
	drain();
	for (i = 0; i < n; i++) {
		t = now_us();
		if (unshare(CLONE_NEWNET))
			fatal("unshare %d", i);
		lat[i] = now_us() - t;
		fds[i] = ns_self();
		if (fds[i] < 0 || ns_enter(home))
			fatal("hold namespace %d", i);
	}
	figure("create.latency", median(lat, n), "us");
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(home);
	free(lat);
	free(fds);
	drain();
}

/* @n rounds of unshare(CLONE_NEWNET) and back: the median unshare, in us. */
static double churn(int n)
{
	double *lat = calloc(n, sizeof(double)), t, m;
	int home = ns_self(), i;

	if (!lat || home < 0)
		fatal("churn setup");
	for (i = 0; i < n; i++) {
		t = now_us();
		if (unshare(CLONE_NEWNET))
			fatal("unshare %d", i);
		lat[i] = now_us() - t;
		if (ns_enter(home))	/* the new one is let go of */
			fatal("setns home");
	}
	close(home);
	m = median(lat, n);
	free(lat);
	return m;
}

static void bench_create(int n, int procs)
{
	double t0, total, lat[2];
	int p[2][2], i, st;
	long base, left, held;
	char name[64];

	drain();
	base = ns_count();
	settle();
	held = mem_kb("Slab") + mem_kb("Percpu");
	t0 = now_us();
	for (i = 0; i < procs; i++)
		if (pipe(p[i]))
			fatal("pipe");
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fatal("fork");
		if (!pid) {
			double m;

			close(p[i][0]);
			m = churn(n / procs);	/* fatal() exits: EOF below */
			if (write(p[i][1], &m, sizeof(m)) != sizeof(m))
				_exit(1);
			_exit(0);
		}
		close(p[i][1]);
	}
	for (i = 0; i < procs; i++) {
		if (read(p[i][0], &lat[i], sizeof(lat[i])) != sizeof(lat[i]))
			fatal("churn process %d failed", i);
		close(p[i][0]);
	}
	while (wait(&st) > 0)
		;
	drain();
	total = now_us() - t0;
	left = ns_count();
	if (base >= 0 && left > base)
		fatal("%ld namespaces left after teardown, %ld before", left, base);
	snprintf(name, sizeof(name), "create.%dproc.mem_residue", procs);
	settle();
	figure(name, mem_kb("Slab") + mem_kb("Percpu") - held, "KiB");
	snprintf(name, sizeof(name), "create.%dproc.latency", procs);
	figure(name, procs == 1 ? lat[0] : (lat[0] + lat[1]) / 2, "us");
	snprintf(name, sizeof(name), "create.%dproc.churn", procs);
	figure(name, n / (total / 1e6), "ns/s");
}

/* --- veth ---------------------------------------------------------------- */

static void bench_veth(int n)
{
	int child = ns_new(), i;
	double t0, *lat = calloc(n, sizeof(double)), t;

	if (child < 0 || !lat)
		fatal("veth setup");
	for (i = 0; i < 10; i++)	/* warm: first device of a kind */
		if (link_add("vb0", "veth", "vb1", child) || link_del("vb0"))
			fatal("veth warm-up");
	t0 = now_us();
	for (i = 0; i < n; i++) {
		t = now_us();
		if (link_add("vb0", "veth", "vb1", child))
			fatal("veth add %d", i);
		if (link_del("vb0"))
			fatal("veth del %d", i);
		lat[i] = now_us() - t;
	}
	figure("veth.pair.rate", n / ((now_us() - t0) / 1e6), "pairs/s");
	figure("veth.pair.latency", median(lat, n), "us");
	free(lat);
	close(child);
}

/* --- crossing ------------------------------------------------------------ */

enum { UDP_RR, TCP_RR, TCP_STREAM };
static const char *const xkind[] = { "udp_rr", "tcp_rr", "tcp_stream" };

static void in_ns(int fd)
{
	if (fd >= 0 && ns_enter(fd))
		fatal("setns");
}

static int xserve(int kind, int ns, int ready)
{
	char buf[65536];
	int s, c, one = 1;
	ssize_t r;

	in_ns(ns);
	s = sock_bound(kind == UDP_RR ? SOCK_DGRAM : SOCK_STREAM, "0.0.0.0", 5555, 1);
	if (s < 0)
		fatal("server socket");
	if (write(ready, "r", 1) != 1)
		fatal("ready");
	if (kind == UDP_RR) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);

		for (;;) {
			r = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (r <= 0 || sendto(s, buf, r, 0, (struct sockaddr *)&from, fl) != r)
				fatal("udp echo");
		}
	}
	c = accept(s, NULL, NULL);
	if (c < 0)
		fatal("accept");
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while ((r = read(c, buf, kind == TCP_RR ? 1 : sizeof(buf))) > 0) {
		if (kind == TCP_RR && write(c, buf, 1) != 1)
			fatal("tcp echo");
		if (kind == TCP_STREAM && buf[r - 1] == 'E' && write(c, "k", 1) != 1)
			fatal("tcp stream ack");
	}
	_exit(0);
}

/* One figure: a server in @sns, the client in @cns, to @addr. */
static void cross(const char *path, int kind, int cns, int sns, const char *addr, int n)
{
	int ready[2], s, one = 1, i, home = ns_self();
	char name[96], b = 'x', buf[65536];
	struct sockaddr_in sa = sin4(addr, 5555);
	struct timeval tmo = { .tv_sec = 30 };
	pid_t pid;
	double t0 = 0, t;

	if (pipe(ready))
		fatal("pipe");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (!pid) {
		close(ready[0]);
		xserve(kind, sns, ready[1]);
	}
	close(ready[1]);	/* a server that dies gives EOF, not a hang */
	if (read(ready[0], &b, 1) != 1)
		fatal("%s server did not start", xkind[kind]);
	close(ready[0]);
	in_ns(cns);
	s = socket(AF_INET, (kind == UDP_RR ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		fatal("connect %s", addr);
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A lost datagram or a dead server: an error, not a hang. */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	if (kind == TCP_STREAM) {
		long bytes = (long)n << 16, sent = 0;

		memset(buf, 'x', sizeof(buf));
		t0 = now_us();
		while (sent < bytes) {
			ssize_t w;

			if (sent + (long)sizeof(buf) >= bytes)
				buf[sizeof(buf) - 1] = 'E';
			w = write(s, buf, sizeof(buf));
			if (w != sizeof(buf))
				fatal("stream write");
			sent += w;
		}
		if (read(s, &b, 1) != 1)
			fatal("stream end");
		t = now_us() - t0;
		snprintf(name, sizeof(name), "cross.%s.%s", path, xkind[kind]);
		figure(name, bytes * 8 / t, "Mbit/s");
	} else {
		for (i = -200; i < n; i++) {	/* 200 to warm neighbours and caches */
			if (i == 0)
				t0 = now_us();
			if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1)
				fatal("%s round trip %d", xkind[kind], i);
		}
		t = (now_us() - t0) / n;
		snprintf(name, sizeof(name), "cross.%s.%s.rtt", path, xkind[kind]);
		figure(name, t, "us");
	}
	close(s);
	in_ns(home);
	close(home);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void sysctl_in(int ns, const char *path, const char *v)
{
	int home = ns_self();

	in_ns(ns);
	if (write_file(path, v))
		fatal("%s", path);
	in_ns(home);
	close(home);
}

/* veth @a here, @b in @ns; addresses and routes as given (NULL: none). */
static void wire(int here, const char *a, const char *aaddr, int ns, const char *b,
		 const char *baddr)
{
	int home = ns_self();

	in_ns(here);
	if (link_add(a, "veth", b, ns) || addr_add(a, aaddr, 24) || link_up(a))
		fatal("veth %s", a);
	in_ns(ns);
	if (addr_add(b, baddr, 24) || link_up(b) || link_up("lo"))
		fatal("veth %s", b);
	in_ns(home);
	close(home);
}

/*
 * Client and server on CPU 0: the figure is the path's cost, not the
 * cost of waking a task on the other vCPU (under TCG, a matter of how the
 * emulator takes turns between vCPUs).
 */
static void bench_cross(int n, int mb)
{
	int child = ns_new(), c = ns_new(), r = ns_new(), s = ns_new(), home = ns_self();
	const char *paths[] = { "lo", "veth", "routed" };
	cpu_set_t cpus, cpu0;
	int k, p;

	if (child < 0 || c < 0 || r < 0 || s < 0)
		fatal("namespaces for the crossing");
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_getaffinity(0, sizeof(cpus), &cpus) ||
	    sched_setaffinity(0, sizeof(cpu0), &cpu0))
		fatal("CPU affinity");
	link_up("lo");
	wire(home, "xv0", "10.9.1.1", child, "xv1", "10.9.1.2");
	wire(c, "xc0", "10.9.2.1", r, "xr0", "10.9.2.2");
	wire(s, "xs0", "10.9.3.2", r, "xr1", "10.9.3.1");
	sysctl_in(r, "/proc/sys/net/ipv4/ip_forward", "1");
	in_ns(c);
	if (route_add("10.9.3.0", 24, "xc0", "10.9.2.2"))
		fatal("route in client");
	in_ns(s);
	if (route_add("10.9.2.0", 24, "xs0", "10.9.3.1"))
		fatal("route in server");
	in_ns(home);
	for (p = 0; p < 3; p++)
		for (k = 0; k < 3; k++) {
			int cns = p == 2 ? c : -1, sns = p == 0 ? -1 : p == 1 ? child : s;
			const char *addr = p == 0 ? "127.0.0.1" : p == 1 ? "10.9.1.2" : "10.9.3.2";

			cross(paths[p], k, cns, sns, addr, k == TCP_STREAM ? mb * 16 : n);
		}
	link_del("xv0");
	sched_setaffinity(0, sizeof(cpus), &cpus);
	close(child);
	close(c);
	close(r);
	close(s);
	close(home);
}

/* --- capacity ------------------------------------------------------------ */

/*
 * What the capacity loop counts as free: MemAvailable without any of
 * SReclaimable.  MemAvailable counts reclaimable slab as free, but held
 * namespaces pin theirs (their proc dentries and inodes, their kernel
 * sockets' inodes in sock_inode_cache): at about 36,000 namespaces that
 * is 300 MiB that MemAvailable offered and reclaim could not give, and
 * the guest ran out of memory above a 256 MiB floor.
 */
static long capacity_avail_kb(void)
{
	return meminfo_kb("MemAvailable") - meminfo_kb("SReclaimable");
}

/*
 * Idle namespaces (lo down) created until capacity_avail_kb() falls under
 * @floor_kb or creation fails.  With @stop_at, stop there and extrapolate
 * from what those cost (--quick).
 */
static void bench_capacity(long floor_kb, long stop_at)
{
	long n = 0, avail, start = capacity_avail_kb();
	int home = ns_self();

	if (home < 0)
		fatal("capacity setup");
	for (;;) {
		if (n % 100 == 0) {
			avail = capacity_avail_kb();
			if (avail < floor_kb)
				break;
			if (stop_at && n == stop_at) {
				if (start <= avail)
					fatal("capacity: %ld namespaces took no memory", n);
				n += (avail - floor_kb) / ((double)(start - avail) / n);
				break;
			}
		}
		if (new_held_ns(0, home) < 0) {
			printf("nsbench: capacity: creation failed at %ld: %s\n", n, strerror(errno));
			break;
		}
		n++;
	}
	figure("capacity.namespaces", n, "ns");
	/* The namespaces stay: this is the last figure of the boot. */
}

/* --- main ------------------------------------------------------------------ */

static int want(const char *only, const char *what)
{
	char buf[256], *tok, *save;

	if (!only)
		return 1;
	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, what))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const known[] = { "mem", "create", "veth", "cross", "capacity" };
	const char *only = NULL;
	struct utsname u;
	unsigned int k;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--drain") && argc == 2) {
			drain();	/* for tests/guest/createprofile.sh */
			return 0;
		} else if (!strcmp(argv[i], "--hold") && argc == 3 && atoi(argv[2]) > 0) {
			hold_and_release(atoi(argv[2]));
			return 0;
		} else {
			fprintf(stderr, "usage: nsbench [--quick] [--only %s] | --drain | --hold N\n",
				"mem,create,veth,cross,capacity");
			return 2;
		}
	}
	if (only) {
		char buf[256], *tok, *save;

		snprintf(buf, sizeof(buf), "%s", only);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
				if (!strcmp(tok, known[k]))
					break;
			if (k == sizeof(known) / sizeof(known[0])) {
				fprintf(stderr, "nsbench: no figure group '%s'\n", tok);
				return 2;
			}
		}
	}
	raise_nofile(1 << 20);
	/* Defaults to half of threads-max: would cap figures 1 and 5. */
	write_file("/proc/sys/user/max_net_namespaces", "1000000");
	uname(&u);
	printf("nsbench: kernel %s %s, %ld CPUs, %s run\n", u.release, u.version,
	       sysconf(_SC_NPROCESSORS_ONLN), quick ? "quick" : "full");
	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		double t = now_us();

		if (!want(only, known[k]))
			continue;
		switch (k) {
		case 0:
			for (i = 0; i < (quick ? 1 : 2); i++) {
				bench_mem(quick ? 100 : i ? 10000 : 1000, 0);
				bench_mem(quick ? 100 : i ? 10000 : 1000, 1);
			}
			break;
		case 1:
			bench_create_held(quick ? 100 : 1000);
			bench_create(quick ? 100 : 2000, 1);
			bench_create(quick ? 100 : 2000, 2);
			break;
		case 2:
			bench_veth(quick ? 50 : 1000);
			break;
		case 3:
			bench_cross(quick ? 500 : 10000, quick ? 4 : 64);
			break;
		case 4:	/* last: it leaves its namespaces */
			bench_capacity(256 * 1024, quick ? 1000 : 0);
			break;
		}
		printf("nsbench: %s took %.1f s of guest time\n", known[k], (now_us() - t) / 1e6);
	}
	printf("nsbench: done\n");
	return 0;
}
