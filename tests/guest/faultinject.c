// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection into the namespace operations (debug kernel).
 *
 * For each operation, fail its 1st, 2nd, ... Nth allocation (kmalloc
 * through failslab, pages through fail_page_alloc) with the task's
 * fail-nth counter, until the operation runs with no fault injected.  Every
 * failed attempt must return a clean errno and leave nothing half made;
 * afterwards the system must still be fully usable.  Leaks are caught by
 * the kmemleak scan at the end of the run (tests/guest/run.sh).
 *
 * Faults are limited to this task: fail-nth is per task, and failslab and
 * fail_page_alloc are set to task-filter with probability 0, so nothing
 * else in the guest ever sees an injected failure.
 */
#include "nsutil.h"
#include "kselftest_harness.h"

#define MAX_POINTS	20000
#define DBG		"/sys/kernel/debug"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

/* Set up failslab and fail_page_alloc for fail-nth; 0 or -errno. */
static int faults_setup(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	char path[128];
	unsigned int i;
	int ret;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), DBG "/%s/probability", attrs[i]);
		ret = write_str(path, "0");
		if (ret)
			return ret;
		snprintf(path, sizeof(path), DBG "/%s/task-filter", attrs[i]);
		write_str(path, "Y");
		snprintf(path, sizeof(path), DBG "/%s/ignore-gfp-wait", attrs[i]);
		write_str(path, "N");
		snprintf(path, sizeof(path), DBG "/%s/verbose", attrs[i]);
		write_str(path, "0");
	}
	write_str(DBG "/fail_page_alloc/ignore-gfp-highmem", "N");
	/* FAULT_VERBOSE=1 on the kernel command line: a stack per injection. */
	if (getenv("FAULT_VERBOSE")) {
		write_str("/proc/sys/kernel/printk", "8");
		write_str(DBG "/failslab/verbose", "2");
		write_str(DBG "/fail_page_alloc/verbose", "2");
		return write_str("/proc/self/make-it-fail", "1");
	}
	write_str(DBG "/fail_page_alloc/min-order", "0");
	return write_str("/proc/self/make-it-fail", "1");
}

static int nth_fd = -1;

/* Make the @n-th fault-injection point of this task fail. */
static void arm(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (nth_fd < 0)
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (pwrite(nth_fd, buf, len, 0) != len)
		abort();
}

/* Disarm; true when the armed fault was injected. */
static int disarm(void)
{
	char buf[16] = { 0 };

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		abort();
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		abort();
	return atoi(buf) == 0;
}

/*
 * Errnos an allocation failure may surface as.  ENFILE is __sock_create()'s
 * long-standing answer when it cannot allocate a socket inode ("not
 * exactly a match, but its the closest posix thing"): kernel sockets of a
 * new namespace (ndisc, tcpv6, ...) pass it on.
 */
static int clean_errno(int e)
{
	return e == ENOMEM || e == ENOBUFS || e == ENOSPC || e == ENFILE;
}

struct walk {
	int points;	/* allocations the operation made */
	int failed;	/* attempts that failed, each with a clean errno */
	int tolerated;	/* injected failures the operation absorbed */
	int unclean;	/* failures with an errno no allocation failure gives */
};

/* One attempt; returns 0 or -errno, *injected says whether it hit. */
typedef int (*attempt_fn)(void *arg, int n, int *injected);

/*
 * Point @n gave an errno no allocation failure should give: do it once more
 * with the fault injector verbose, so that the console shows where the
 * failure was injected (the report quotes it).
 */
static void trace_point(attempt_fn fn, int (*check)(void *arg, int ret),
			void *arg, int n)
{
	int injected, ret;

	check(arg, -ENOBUFS);
	write_str("/proc/sys/kernel/printk", "8");
	write_str(DBG "/failslab/verbose", "2");
	write_str(DBG "/fail_page_alloc/verbose", "2");
	ret = fn(arg, n, &injected);
	write_str(DBG "/failslab/verbose", "0");
	write_str(DBG "/fail_page_alloc/verbose", "0");
	write_str("/proc/sys/kernel/printk", "4");
	ksft_print_msg("traced failure point %d again: %d (%s)\n", n, ret, strerror(-ret));
}

/*
 * Walk the failure point from 1 up.  @check runs after every attempt with
 * its result and returns 0 when the state is consistent - done exactly
 * when the request succeeded, nothing half made - resetting it for the
 * next attempt.  -ENOBUFS is the one result that leaves either state: the
 * request may have been carried out and only its ack lost.
 */
static int walk(struct __test_metadata *_metadata, const char *what,
		attempt_fn fn, int (*check)(void *arg, int ret), void *arg,
		struct walk *w)
{
	int n, ret, injected;

	memset(w, 0, sizeof(*w));
	for (n = 1; n < MAX_POINTS; n++) {
		ret = fn(arg, n, &injected);
		if (!injected) {
			EXPECT_EQ(0, ret) TH_LOG("%s: fails with no fault injected: %d", what, ret);
			EXPECT_EQ(0, check(arg, ret));
			w->points = n - 1;
			ksft_print_msg("%s: %d failure points, all walked (%d failed cleanly, %d absorbed, %d unclean)\n",
				       what, w->points, w->failed - w->unclean, w->tolerated, w->unclean);
			return w->unclean ? -1 : 0;
		}
		if (ret == 0) {
			w->tolerated++;
		} else {
			w->failed++;
			EXPECT_TRUE(clean_errno(-ret))
				TH_LOG("%s: failure point %d returned %d (%s)", what, n, ret,
				       strerror(-ret));
			if (!clean_errno(-ret)) {
				w->unclean++;
				trace_point(fn, check, arg, n);
			}
		}
		/*
		 * An unclean errno is reported (and traced) but the walk goes
		 * on, so that one run finds every such site; a half-made
		 * state ends it, as the next attempts would start from it.
		 */
		if (check(arg, ret)) {
			TH_LOG("%s: inconsistent state after failure point %d (ret %d)", what, n, ret);
			_metadata->exit_code = KSFT_FAIL;
			return -1;
		}
	}
	TH_LOG("%s: more than %d failure points", what, MAX_POINTS);
	return -1;
}

/* --- rtnetlink with the fault armed only around the request ---------------- */

/*
 * Send @r on a socket opened before arming, so that only the operation's
 * own allocations are walked.  The ack (or its loss, ENOBUFS) is read after.
 */
static int nl_armed(struct nlreq *r, int n, int *injected)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsgerr *err;
	char buf[4096];
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	arm(n);
	ret = sendto(fd, &r->nh, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
	ret = ret < 0 ? -errno : 0;
	*injected = disarm();
	if (!ret) {
		ret = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (ret < 0) {
			ret = -errno;
		} else {
			struct nlmsghdr *nh = (struct nlmsghdr *)buf;

			ret = -EPROTO;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				err = NLMSG_DATA(nh);
				ret = err->error;
			}
		}
	}
	close(fd);
	return ret;
}

/* --- the operations ------------------------------------------------------------- */

/* unshare(CLONE_NEWNET) in a child: it leaves with its namespace. */
static int try_unshare(void *arg, int n, int *injected)
{
	int pfd[2], status, res[2] = { 0, 0 };
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		close(pfd[0]);
		nth_fd = -1;
		arm(n);
		res[0] = unshare(CLONE_NEWNET) ? -errno : 0;
		res[1] = disarm();
		if (write(pfd[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		res[0] = -EPIPE;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	*injected = res[1];
	return res[0];
}

static int check_nothing(void *arg, int ret)
{
	return 0;
}

struct pair {
	int a, b;		/* namespace fds */
	int links_a, links_b;	/* link counts before */
};

static int links_in(int ns)
{
	int n;

	if (ns_enter(ns))
		return -1;
	n = link_count();
	return n;
}

/* veth created in a with its peer in b. */
static int try_veth(void *arg, int n, int *injected)
{
	struct pair *p = arg;
	struct rtattr *li, *data, *pinfo;
	struct ifinfomsg pifi = { 0 };
	struct nlreq r;

	if (ns_enter(p->a))
		return -errno;
	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, "fa");
	li = nla_nest(&r, IFLA_LINKINFO);
	nla_put_str(&r, IFLA_INFO_KIND, "veth");
	data = nla_nest(&r, IFLA_INFO_DATA);
	pinfo = nla_put(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
	nla_put_str(&r, IFLA_IFNAME, "fb");
	nla_put_u32(&r, IFLA_NET_NS_FD, p->b);
	nla_nest_end(&r, pinfo);
	nla_nest_end(&r, data);
	nla_nest_end(&r, li);
	return nl_armed(&r, n, injected);
}

/* Both ends or neither; then back to neither. */
static int check_veth(void *arg, int ret)
{
	int ok = ret == 0, lost_ack = ret == -ENOBUFS;
	struct pair *p = arg;
	int in_a, in_b;

	ns_enter(p->a);
	in_a = if_nametoindex("fa") != 0;
	ns_enter(p->b);
	in_b = if_nametoindex("fb") != 0;
	if (in_a != in_b || (ok && !in_a) || (!ok && !lost_ack && in_a))
		return -1;
	if (in_a) {
		ns_enter(p->a);
		if (link_del("fa"))
			return -1;
	}
	return links_in(p->a) == p->links_a && links_in(p->b) == p->links_b ? 0 : -1;
}

/* Move dummy "fm" from a to b. */
static int try_move(void *arg, int n, int *injected)
{
	struct pair *p = arg;
	struct nlreq r;

	if (ns_enter(p->a))
		return -errno;
	nl_init(&r, RTM_NEWLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, "fm");
	nla_put_u32(&r, IFLA_NET_NS_FD, p->b);
	return nl_armed(&r, n, injected);
}

/* fm is in exactly one namespace, where the result says; then back in a. */
static int check_move(void *arg, int ret)
{
	int ok = ret == 0, lost_ack = ret == -ENOBUFS;
	struct pair *p = arg;
	int in_a, in_b;

	ns_enter(p->a);
	in_a = if_nametoindex("fm") != 0;
	ns_enter(p->b);
	in_b = if_nametoindex("fm") != 0;
	if (in_a + in_b != 1 || (ok && !in_b) || (!ok && !lost_ack && in_b))
		return -1;
	if (in_b && link_setns("fm", p->a))
		return -1;
	return 0;
}

/* Address 10.5.0.1/24 on dummy "fd" in a fresh namespace a. */
static int try_addr(void *arg, int n, int *injected)
{
	struct pair *p = arg;
	struct in_addr ad;
	struct nlreq r;

	if (ns_enter(p->a))
		return -errno;
	inet_pton(AF_INET, "10.5.0.1", &ad);
	nl_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.ifa));
	r.ifa.ifa_family = AF_INET;
	r.ifa.ifa_prefixlen = 24;
	r.ifa.ifa_index = if_nametoindex("fd");
	nla_put(&r, IFA_LOCAL, &ad, sizeof(ad));
	nla_put(&r, IFA_ADDRESS, &ad, sizeof(ad));
	return nl_armed(&r, n, injected);
}

/* Is 10.5.0.1 configured on "fd" (SIOCGIFADDR)? */
static int addr_configured(void)
{
	struct ifreq ifr = { 0 };

	return !link_ioctl("fd", SIOCGIFADDR, &ifr) &&
	       ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr == inet_addr("10.5.0.1");
}

static int addr_without_route;

/*
 * The address is configured exactly when the request succeeded, and then
 * usable (bind); afterwards the device is made anew for the next attempt.
 * One known hole is counted, not failed: the local route is added by the
 * inetaddr notifier (fib_add_ifaddr), which cannot report an allocation
 * failure, so a successful RTM_NEWADDR can leave an address without its
 * local route.
 */
static int check_addr(void *arg, int ret)
{
	int ok = ret == 0, lost_ack = ret == -ENOBUFS;
	struct pair *p = arg;
	int fd, have, usable;

	ns_enter(p->a);
	have = addr_configured();
	fd = sock_bound(SOCK_DGRAM, "10.5.0.1", 0, 0);
	usable = fd >= 0;
	if (usable)
		close(fd);
	if ((ok && !have) || (!ok && !lost_ack && have) || (usable && !have))
		return -1;
	if (have && !usable)
		addr_without_route++;
	if (have && (link_del("fd") || link_add("fd", "dummy", NULL, -1) || link_up("fd")))
		return -1;
	return 0;
}

/* Route 10.70.0.0/16 via 10.6.0.254 on "fd" (10.6.0.1/24) in a. */
static int try_route(void *arg, int n, int *injected)
{
	struct pair *p = arg;
	struct in_addr d, g;
	struct nlreq r;

	if (ns_enter(p->a))
		return -errno;
	inet_pton(AF_INET, "10.70.0.0", &d);
	inet_pton(AF_INET, "10.6.0.254", &g);
	nl_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.rtm));
	r.rtm.rtm_family = AF_INET;
	r.rtm.rtm_dst_len = 16;
	r.rtm.rtm_table = RT_TABLE_MAIN;
	r.rtm.rtm_protocol = RTPROT_STATIC;
	r.rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	r.rtm.rtm_type = RTN_UNICAST;
	nla_put(&r, RTA_DST, &d, sizeof(d));
	nla_put_u32(&r, RTA_OIF, if_nametoindex("fd"));
	nla_put(&r, RTA_GATEWAY, &g, sizeof(g));
	return nl_armed(&r, n, injected);
}

/* The route is in the table exactly when it was added; then deleted. */
static int check_route(void *arg, int ret)
{
	int ok = ret == 0, lost_ack = ret == -ENOBUFS;
	struct pair *p = arg;
	struct nlreq r;
	struct in_addr d;
	int have;

	ns_enter(p->a);
	have = file_has("/proc/net/route", "0000460A") == 1;
	if ((ok && !have) || (!ok && !lost_ack && have))
		return -1;
	if (have) {
		inet_pton(AF_INET, "10.70.0.0", &d);
		nl_init(&r, RTM_DELROUTE, 0, sizeof(r.rtm));
		r.rtm.rtm_family = AF_INET;
		r.rtm.rtm_dst_len = 16;
		r.rtm.rtm_table = RT_TABLE_MAIN;
		nla_put(&r, RTA_DST, &d, sizeof(d));
		if (nl_talk(&r.nh))
			return -1;
	}
	return 0;
}

FIXTURE(fault) {
	int home;
	struct pair p;
};

FIXTURE_SETUP(fault)
{
	int ret;

	self->home = ns_self();
	ASSERT_LE(0, self->home);
	ret = faults_setup();
	if (ret == -ENOENT)
		SKIP(return, "no failslab/fail_page_alloc in debugfs (not the debug kernel)");
	ASSERT_EQ(0, ret);
	self->p.a = ns_new();
	self->p.b = ns_new();
	ASSERT_LE(0, self->p.a);
	ASSERT_LE(0, self->p.b);
	self->p.links_a = links_in(self->p.a);
	self->p.links_b = links_in(self->p.b);
	ASSERT_EQ(0, ns_enter(self->home));
}

FIXTURE_TEARDOWN(fault)
{
	ns_enter(self->home);
}

/* Still fully usable: a namespace, a veth pair across, a ping. */
static void usable(struct __test_metadata *_metadata)
{
	int a = ns_new(), b = ns_new();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));
	ASSERT_EQ(0, link_add("ua", "veth", "ub", b));
	ASSERT_EQ(0, addr_add("ua", "10.0.0.1", 24));
	ASSERT_EQ(0, link_up("ua"));
	ASSERT_EQ(0, ns_enter(b));
	ASSERT_EQ(0, addr_add("ub", "10.0.0.2", 24));
	ASSERT_EQ(0, link_up("ub"));
	ASSERT_EQ(0, ns_enter(a));
	/* ua's qdisc is active once linkwatch has run (see conformance.c). */
	ASSERT_TRUE(WAIT_FOR(60, link_nl_flags("ua") & IFF_RUNNING));
	EXPECT_EQ(0, ping("10.0.0.2"));
	close(a);
	close(b);
}

TEST_F_TIMEOUT(fault, unshare_newnet, 3600)
{
	struct walk w;

	ASSERT_EQ(0, walk(_metadata, "unshare(CLONE_NEWNET)", try_unshare,
			  check_nothing, NULL, &w));
	EXPECT_LT(10, w.points);
	usable(_metadata);
}

TEST_F_TIMEOUT(fault, veth_peer_in_other_ns, 3600)
{
	struct walk w;

	ASSERT_EQ(0, walk(_metadata, "veth with peer in another netns", try_veth,
			  check_veth, &self->p, &w));
	EXPECT_LT(2, w.points);
	usable(_metadata);
}

TEST_F_TIMEOUT(fault, move_device, 3600)
{
	struct walk w;

	ASSERT_EQ(0, ns_enter(self->p.a));
	ASSERT_EQ(0, link_add("fm", "dummy", NULL, -1));
	ASSERT_EQ(0, walk(_metadata, "move a device to another netns", try_move,
			  check_move, &self->p, &w));
	EXPECT_LT(2, w.points);
	usable(_metadata);
}

TEST_F_TIMEOUT(fault, address_and_route_in_new_ns, 3600)
{
	struct walk w;

	ASSERT_EQ(0, ns_enter(self->p.a));
	ASSERT_EQ(0, link_up("lo"));
	ASSERT_EQ(0, link_add("fd", "dummy", NULL, -1));
	ASSERT_EQ(0, link_up("fd"));
	ASSERT_EQ(0, walk(_metadata, "add an address", try_addr, check_addr,
			  &self->p, &w));
	if (addr_without_route)
		ksft_print_msg("known: %d absorbed failures left an address without its local route (fib_add_ifaddr cannot fail)\n",
			       addr_without_route);
	EXPECT_LT(1, w.points);
	ASSERT_EQ(0, ns_enter(self->p.a));
	ASSERT_EQ(0, addr_add("fd", "10.6.0.1", 24));
	ASSERT_EQ(0, walk(_metadata, "add a route", try_route, check_route,
			  &self->p, &w));
	EXPECT_LT(1, w.points);
	usable(_metadata);
}

TEST_HARNESS_MAIN
