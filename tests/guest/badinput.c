// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the namespace, veth and rtnetlink interfaces: malformed and
 * hostile requests get the errno the 6.12 kernel documents, never success,
 * and leave nothing behind (no half-made device, no pinned namespace).
 * Runs inside the guest as root; every test runs in its own child process
 * (kselftest harness) and works in namespaces of its own.
 */
#include "nsutil.h"
#include <signal.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "kselftest_harness.h"

/* Under TCG and on the debug kernel 30 s is too short (see conformance.c). */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

#define PORT 7100

/* nl_raw(): the request went in, but the kernel sent nothing back. */
#define NO_REPLY 1

static int ifidx(const char *name)
{
	return (int)if_nametoindex(name);
}

/* -errno of a failed system call, the result otherwise. */
static int sys_err(int ret)
{
	return ret < 0 ? -errno : ret;
}

/*
 * Send the first @len bytes of @nh as they are, on @sk (or a fresh socket
 * when @sk < 0): the error of the ack, or NO_REPLY.  rtnetlink handles a
 * request inside sendmsg(), so any ack is queued by the time it returns
 * and nothing needs waiting for.
 */
static int nl_raw(int sk, struct nlmsghdr *nh, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	int fd = sk, ret;

	if (fd < 0)
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = 2;
	if (sendto(fd, nh, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	ret = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (ret < 0) {
		ret = (errno == EAGAIN) ? NO_REPLY : -errno;
		goto out;
	}
	nh = (struct nlmsghdr *)buf;
	ret = -EPROTO;
	if (nh->nlmsg_type == NLMSG_ERROR)
		ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
out:
	if (sk < 0)
		close(fd);
	return ret;
}

static int nl_send(struct nlreq *r)
{
	return nl_raw(-1, &r->nh, r->nh.nlmsg_len);
}

/* RTM_NEWLINK (create, exclusive) of a @kind named @name, nothing sent. */
static struct rtattr *newlink_init(struct nlreq *r, const char *name,
				   const char *kind)
{
	struct rtattr *li;

	nl_init(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(r->ifi));
	if (name)
		nla_put_str(r, IFLA_IFNAME, name);
	li = nla_nest(r, IFLA_LINKINFO);
	nla_put_str(r, IFLA_INFO_KIND, kind);
	return li;
}

/* A dummy @name with one extra attribute @type of @len bytes. */
static int dummy_add_attr(const char *name, int type, const void *val,
			  int len)
{
	struct rtattr *li;
	struct nlreq r;

	li = newlink_init(&r, name, "dummy");
	nla_nest_end(&r, li);
	nla_put(&r, type, val, len);
	return nl_send(&r);
}

/*
 * A veth @name whose peer @peer gets one extra attribute @type of @len
 * bytes in its ifinfomsg (none when @type is 0).
 */
static int veth_add_attr(const char *name, const char *peer, int type,
			 const void *val, int len)
{
	struct ifinfomsg pifi = { 0 };
	struct rtattr *li, *data, *pinfo;
	struct nlreq r;

	li = newlink_init(&r, name, "veth");
	data = nla_nest(&r, IFLA_INFO_DATA);
	pinfo = nla_put(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
	nla_put_str(&r, IFLA_IFNAME, peer);
	if (type)
		nla_put(&r, type, val, len);
	nla_nest_end(&r, pinfo);
	nla_nest_end(&r, data);
	nla_nest_end(&r, li);
	return nl_send(&r);
}

/* A request to move @name into the namespace of pid @pid. */
static int link_setns_pid(const char *name, pid_t pid)
{
	struct nlreq r;

	nl_init(&r, RTM_NEWLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, name);
	nla_put_u32(&r, IFLA_NET_NS_PID, pid);
	return nl_send(&r);
}

static int link_mtu(const char *name)
{
	struct ifreq ifr = { 0 };

	return link_ioctl(name, SIOCGIFMTU, &ifr) ?: ifr.ifr_mtu;
}

/* link_count() of namespace @ns; we stay where we are. */
static int link_count_in(int ns)
{
	int here = ns_self(), n = -1;

	if (here < 0)
		return -1;
	if (!ns_enter(ns))
		n = link_count();
	if (ns_enter(here))
		n = -1;
	close(here);
	return n;
}

/*
 * Close @ns, the last reference to a namespace: 1 once the namespace is
 * really gone, so that nothing done to it before kept it pinned.  A veth
 * pair between it and here is the witness: our end goes with it.
 */
static int ns_dies(int ns)
{
	int here = ns_self(), ok = 0;

	if (here < 0)
		return 0;
	if (!ns_enter(ns) && !link_add("wit0", "veth", "wit1", here) &&
	    !ns_enter(here) && ifidx("wit1")) {
		close(ns);
		ok = WAIT_FOR(60, ifidx("wit1") == 0);
	}
	ns_enter(here);
	close(here);
	return ok;
}

/*
 * A closed fd number that stays closed: far above the lowest free one,
 * which is all open() and socket() hand out here.
 */
static int stale_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), high;

	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 900);
	close(fd);
	if (high < 0)
		return -1;
	close(high);
	return high;
}

/* A child that has exited (reaped unless @zombie): its pid. */
static pid_t dead_pid(int zombie)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(0);
	if (waitid(P_PID, pid, &si, WEXITED | (zombie ? WNOWAIT : 0)))
		return -1;
	return pid;
}

FIXTURE(bad) {
	int home;
};

FIXTURE_SETUP(bad)
{
	self->home = ns_self();
	ASSERT_LE(0, self->home);
}

FIXTURE_TEARDOWN(bad)
{
	ns_enter(self->home);
	close(self->home);
}

/* --- veth peer names ----------------------------------------------------- */

/*
 * A veth peer name of IFNAMSIZ or more characters is refused with ERANGE
 * (ifla_policy: IFLA_IFNAME is a string of at most IFNAMSIZ - 1), in the
 * same namespace and across; 15 characters is the longest that works.
 * Names dev_valid_name() refuses give EINVAL.  Nothing is left behind.
 */
TEST_F(bad, veth_peer_name_too_long)
{
	static const char *const invalid[] = { "a/b", "a:b", "a b", ".", ".." };
	int a = ns_new(), b = ns_new();
	unsigned int i;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));
	EXPECT_EQ(-ERANGE, link_add("v0", "veth", "p23456789abcdef0", -1));
	EXPECT_EQ(-ERANGE, link_add("v0", "veth", "p23456789abcdef0xyz", b));
	EXPECT_EQ(-ERANGE, link_add("v23456789abcdef0", "veth", "p0", b));
	for (i = 0; i < ARRAY_SIZE(invalid); i++) {
		EXPECT_EQ(-EINVAL, link_add("v0", "veth", invalid[i], b))
			TH_LOG("peer name '%s'", invalid[i]);
		EXPECT_EQ(-EINVAL, link_add("v0", "veth", invalid[i], -1))
			TH_LOG("peer name '%s'", invalid[i]);
	}
	EXPECT_EQ(0, ifidx("v0"));
	EXPECT_EQ(1, link_count());
	EXPECT_EQ(1, link_count_in(b));
	/* The boundary: IFNAMSIZ - 1 characters is a valid name. */
	EXPECT_EQ(0, link_add("v23456789abcdef", "veth", "p23456789abcdef", b));
	EXPECT_EQ(2, link_count());
	EXPECT_EQ(2, link_count_in(b));
	ASSERT_EQ(0, ns_enter(self->home));
	EXPECT_TRUE(ns_dies(b));
}

/*
 * A peer name already taken in the peer's namespace, or equal to the first
 * end's name in the same namespace, is EEXIST; a first end whose name is
 * invalid is refused (EINVAL) after the peer was registered in the other
 * namespace, and the peer is rolled back.  No half-made device remains in
 * either namespace, and the peer's namespace is not pinned.
 */
TEST_F(bad, veth_peer_name_taken)
{
	int a = ns_new(), b = ns_new();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(b));
	ASSERT_EQ(0, link_add("taken", "dummy", NULL, -1));
	ASSERT_EQ(0, ns_enter(a));
	ASSERT_EQ(0, link_add("mine", "dummy", NULL, -1));

	EXPECT_EQ(-EEXIST, link_add("v0", "veth", "taken", b));
	EXPECT_EQ(-EEXIST, link_add("v0", "veth", "mine", -1));
	EXPECT_EQ(-EEXIST, link_add("same", "veth", "same", -1));
	/* The peer is made first: the first end's clash must undo it. */
	EXPECT_EQ(-EINVAL, link_add("bad/name", "veth", "fresh", b));
	EXPECT_EQ(-EINVAL, link_add("bad name", "veth", "fresh", -1));

	EXPECT_EQ(0, ifidx("v0"));
	EXPECT_EQ(0, ifidx("same"));
	EXPECT_EQ(0, ifidx("fresh"));
	EXPECT_EQ(2, link_count());
	EXPECT_EQ(2, link_count_in(b));
	/* And the names are still free to use. */
	EXPECT_EQ(0, link_add("v0", "veth", "fresh", b));
	EXPECT_EQ(3, link_count());
	EXPECT_EQ(3, link_count_in(b));
	ASSERT_EQ(0, ns_enter(self->home));
	EXPECT_TRUE(ns_dies(b));
}

/* --- veth peer namespace gone -------------------------------------------- */

/*
 * IFLA_NET_NS_FD that is not a network namespace: a closed fd number is
 * EBADF, a reused one, /dev/null, a socket or a UTS namespace is EINVAL
 * (for the peer and for the first end alike); no device is left in
 * either namespace, and the peer's would-be namespace is not pinned.
 */
TEST_F(bad, veth_peer_ns_stale_fd)
{
	int a = ns_new(), stale, reused, null, sock, uts, neg = -1;
	int home_links = link_count();

	ASSERT_LE(0, a);
	ASSERT_LE(1, home_links);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, null);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sock);
	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, uts);
	stale = stale_fd();
	ASSERT_LE(0, stale);

	ASSERT_EQ(0, ns_enter(a));
	EXPECT_EQ(-EBADF, link_add("v0", "veth", "p0", stale));
	/*
	 * A closed number that is reused before the kernel looks: link_add()
	 * opens its netlink socket first, and it takes the lowest free number,
	 * so the request names that socket.
	 */
	reused = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, reused);
	close(reused);
	EXPECT_EQ(-EINVAL, link_add("v0", "veth", "p0", reused));
	EXPECT_EQ(-EBADF, veth_add_attr("v0", "p0", IFLA_NET_NS_FD, &neg, 4));
	EXPECT_EQ(-EINVAL, link_add("v0", "veth", "p0", null));
	EXPECT_EQ(-EINVAL, link_add("v0", "veth", "p0", sock));
	EXPECT_EQ(-EINVAL, link_add("v0", "veth", "p0", uts));
	/* The same for the first end's own IFLA_NET_NS_FD. */
	EXPECT_EQ(-EBADF, dummy_add_attr("d0", IFLA_NET_NS_FD, &stale, 4));
	EXPECT_EQ(-EINVAL, dummy_add_attr("d0", IFLA_NET_NS_FD, &null, 4));
	EXPECT_EQ(-EINVAL, dummy_add_attr("d0", IFLA_NET_NS_FD, &uts, 4));

	EXPECT_EQ(0, ifidx("v0"));
	EXPECT_EQ(0, ifidx("p0"));
	EXPECT_EQ(1, link_count());
	EXPECT_EQ(home_links, link_count_in(self->home));
	ASSERT_EQ(0, ns_enter(self->home));
	EXPECT_TRUE(ns_dies(a));
}

/*
 * IFLA_NET_NS_PID of a process that is gone is ESRCH: reaped, or a zombie
 * (it dropped its namespaces on exit).  A live process in namespace b
 * works, and once it exits the same request is ESRCH again.  No device is
 * left behind, and b dies once nothing else holds it.
 */
TEST_F(bad, veth_peer_ns_dead_pid)
{
	int a = ns_new(), b = ns_new(), up[2], hold[2];
	pid_t reaped, zombie, live;
	int status;
	char c;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	reaped = dead_pid(0);
	ASSERT_LT(0, reaped);
	zombie = dead_pid(1);
	ASSERT_LT(0, zombie);

	ASSERT_EQ(0, ns_enter(a));
	EXPECT_EQ(-ESRCH, veth_add_attr("v0", "p0", IFLA_NET_NS_PID, &reaped, 4));
	EXPECT_EQ(-ESRCH, veth_add_attr("v0", "p0", IFLA_NET_NS_PID, &zombie, 4));
	EXPECT_EQ(-ESRCH, dummy_add_attr("d0", IFLA_NET_NS_PID, &reaped, 4));
	EXPECT_EQ(-ESRCH, dummy_add_attr("d0", IFLA_NET_NS_PID, &zombie, 4));
	EXPECT_EQ(1, link_count());
	ASSERT_EQ(zombie, waitpid(zombie, &status, 0));

	/* A live process in b: its pid names b. */
	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(hold, O_CLOEXEC));
	live = fork();
	ASSERT_LE(0, live);
	if (!live) {
		close(hold[1]);
		if (ns_enter(b) || write(up[1], "r", 1) != 1)
			_exit(1);
		read(hold[0], &c, 1);	/* until the parent closes hold[1] */
		_exit(0);
	}
	close(hold[0]);
	close(up[1]);
	ASSERT_EQ(1, read(up[0], &c, 1));
	EXPECT_EQ(0, veth_add_attr("v0", "p0", IFLA_NET_NS_PID, &live, 4));
	EXPECT_EQ(0, ifidx("p0"));
	EXPECT_EQ(2, link_count());
	EXPECT_EQ(2, link_count_in(b));
	close(hold[1]);
	ASSERT_EQ(live, waitpid(live, &status, 0));
	EXPECT_EQ(-ESRCH, veth_add_attr("v1", "p1", IFLA_NET_NS_PID, &live, 4));
	EXPECT_EQ(0, ifidx("v1"));
	EXPECT_EQ(2, link_count());
	EXPECT_EQ(2, link_count_in(b));
	ASSERT_EQ(0, ns_enter(self->home));
	EXPECT_TRUE(ns_dies(b));
}

/* --- moving and deleting special devices --------------------------------- */

/*
 * lo is netns-immutable: moving it is EINVAL, by fd or by pid, and even
 * into the namespace it is already in (the immutable check comes first).
 * lo stays ifindex 1 at home; the target gets nothing.
 */
TEST_F(bad, move_lo)
{
	int a = ns_new(), b = ns_new();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));
	EXPECT_EQ(-EINVAL, link_setns("lo", b));
	EXPECT_EQ(-EINVAL, link_setns("lo", a));
	EXPECT_EQ(-EINVAL, link_setns("lo", self->home));
	EXPECT_EQ(-EINVAL, link_setns_pid("lo", getpid()));
	EXPECT_EQ(1, ifidx("lo"));
	EXPECT_EQ(1, link_count());
	EXPECT_EQ(1, link_count_in(b));
	EXPECT_NE(0, link_flags("lo"));
}

/*
 * Moving a device into the namespace it is already in succeeds as a no-op
 * (__dev_change_net_namespace: "nothing to do"), by fd and by pid: the
 * same ifindex, still up, and its address is kept (a real move would
 * have flushed it).
 */
TEST_F(bad, move_into_own_ns)
{
	int a = ns_new(), idx, flags, fd;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ns_enter(a));
	ASSERT_EQ(0, link_add("d0", "dummy", NULL, -1));
	ASSERT_EQ(0, link_up("d0"));
	ASSERT_EQ(0, addr_add("d0", "10.8.0.1", 24));
	idx = ifidx("d0");
	flags = link_flags("d0");
	ASSERT_LT(0, flags);

	EXPECT_EQ(0, link_setns("d0", a));
	EXPECT_EQ(0, link_setns_pid("d0", getpid()));

	EXPECT_EQ(idx, ifidx("d0"));
	EXPECT_EQ(flags, link_flags("d0"));
	EXPECT_EQ(2, link_count());
	fd = sock_bound(SOCK_DGRAM, "10.8.0.1", 0, 0);
	EXPECT_LE(0, fd);
	EXPECT_EQ(1, file_has("/proc/net/fib_trie", "10.8.0.1"));
}

/*
 * lo has no rtnl_link_ops: deleting it is EOPNOTSUPP, by name and by
 * ifindex; an absent device is ENODEV.  lo is still there afterwards.
 */
TEST_F(bad, delete_lo)
{
	int a = ns_new();
	struct nlreq r;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ns_enter(a));
	EXPECT_EQ(-EOPNOTSUPP, link_del("lo"));
	nl_init(&r, RTM_DELLINK, 0, sizeof(r.ifi));
	r.ifi.ifi_index = 1;
	EXPECT_EQ(-EOPNOTSUPP, nl_send(&r));
	EXPECT_EQ(-ENODEV, link_del("nosuchdev"));
	EXPECT_EQ(1, ifidx("lo"));
	EXPECT_EQ(1, link_count());
}

/* --- malformed RTM_NEWLINK ------------------------------------------------- */

/*
 * u32 attributes shorter than 4 bytes fail policy validation with ERANGE:
 * IFLA_NET_NS_FD (2 bytes) on a move and on a create, IFLA_NET_NS_PID (3),
 * IFLA_MTU (1), also nested in a veth peer.  Nothing moves, nothing is
 * made.  (A u32 that is too long is the documented legacy leniency of
 * non-strict parsing: a warning, and the first 4 bytes are used.)
 */
TEST_F(bad, raw_short_u32)
{
	int a = ns_new(), b = ns_new();
	unsigned int mtu8[2] = { 1280, 9999 };
	unsigned int v = 0;
	struct nlreq r;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));
	ASSERT_EQ(0, link_add("d0", "dummy", NULL, -1));

	/* A move request with a 2-byte IFLA_NET_NS_FD. */
	v = b;
	nl_init(&r, RTM_NEWLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, "d0");
	nla_put(&r, IFLA_NET_NS_FD, &v, 2);
	EXPECT_EQ(-ERANGE, nl_send(&r));
	EXPECT_NE(0, ifidx("d0"));
	EXPECT_EQ(1, link_count_in(b));

	EXPECT_EQ(-ERANGE, dummy_add_attr("d1", IFLA_NET_NS_FD, &v, 2));
	EXPECT_EQ(-ERANGE, dummy_add_attr("d1", IFLA_NET_NS_PID, &v, 3));
	v = 1400;
	EXPECT_EQ(-ERANGE, dummy_add_attr("d1", IFLA_MTU, &v, 1));
	EXPECT_EQ(-ERANGE, dummy_add_attr("d1", IFLA_MTU, &v, 0));
	v = b;
	EXPECT_EQ(-ERANGE, veth_add_attr("v0", "p0", IFLA_NET_NS_FD, &v, 2));
	v = 1400;
	EXPECT_EQ(-ERANGE, veth_add_attr("v0", "p0", IFLA_MTU, &v, 1));
	EXPECT_EQ(0, ifidx("d1"));
	EXPECT_EQ(0, ifidx("v0"));
	EXPECT_EQ(2, link_count());
	EXPECT_EQ(1, link_count_in(b));

	/* A negative MTU, or one veth cannot carry, is EINVAL. */
	v = 0xffffffff;
	EXPECT_EQ(-EINVAL, dummy_add_attr("d1", IFLA_MTU, &v, 4));
	v = 0;
	EXPECT_EQ(-EINVAL, veth_add_attr("v0", "p0", IFLA_MTU, &v, 4));
	EXPECT_EQ(2, link_count());
	/* Over-long: accepted (with a console warning), low 4 bytes used. */
	EXPECT_EQ(0, dummy_add_attr("d1", IFLA_MTU, mtu8, sizeof(mtu8)));
	EXPECT_EQ(1280, link_mtu("d1"));
}

/*
 * IFLA_IFNAME: empty (0 bytes), IFNAMSIZ characters terminated or not,
 * are ERANGE; an empty string is EINVAL.  An unterminated name that fits
 * is taken for exactly its bytes, never the padding after it.
 */
TEST_F(bad, raw_ifname)
{
	int a = ns_new();
	struct rtattr *li, *name;
	struct nlreq r;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ns_enter(a));

	li = newlink_init(&r, NULL, "dummy");
	nla_nest_end(&r, li);
	nla_put(&r, IFLA_IFNAME, NULL, 0);
	EXPECT_EQ(-ERANGE, nl_send(&r));

	li = newlink_init(&r, NULL, "dummy");
	nla_nest_end(&r, li);
	nla_put(&r, IFLA_IFNAME, "n23456789abcdef0", IFNAMSIZ);
	EXPECT_EQ(-ERANGE, nl_send(&r));

	li = newlink_init(&r, "n23456789abcdef0", "dummy");
	nla_nest_end(&r, li);
	EXPECT_EQ(-ERANGE, nl_send(&r));

	li = newlink_init(&r, "", "dummy");
	nla_nest_end(&r, li);
	EXPECT_EQ(-EINVAL, nl_send(&r));
	EXPECT_EQ(1, link_count());

	/* 6 bytes, no NUL, and garbage in the 2 bytes of padding. */
	li = newlink_init(&r, NULL, "dummy");
	nla_nest_end(&r, li);
	name = nla_put(&r, IFLA_IFNAME, "unterm", 6);
	memset((char *)RTA_DATA(name) + 6, 'X', 2);
	EXPECT_EQ(0, nl_send(&r));
	EXPECT_NE(0, ifidx("unterm"));
	EXPECT_EQ(0, ifidx("untermXX"));
	/* IFNAMSIZ - 1 bytes without a NUL: still a whole name. */
	li = newlink_init(&r, NULL, "dummy");
	nla_nest_end(&r, li);
	nla_put(&r, IFLA_IFNAME, "u23456789abcdef", IFNAMSIZ - 1);
	EXPECT_EQ(0, nl_send(&r));
	EXPECT_NE(0, ifidx("u23456789abcdef"));
	EXPECT_EQ(3, link_count());
}

/*
 * Nested attributes that lie about their length.  IFLA_LINKINFO shorter
 * than an attribute header is ERANGE; a VETH_INFO_PEER shorter than its
 * ifinfomsg is ERANGE; an IFLA_INFO_KIND overrunning its nest is dropped
 * by the (non-strict) parser, so no kind: EOPNOTSUPP, as for an unknown
 * kind.  A peer IFLA_IFNAME overrunning VETH_INFO_PEER is dropped the same
 * way: the pair is made and the peer gets a kernel-chosen veth%d name.
 */
TEST_F(bad, raw_nested_overrun)
{
	struct ifinfomsg pifi = { 0 };
	struct rtattr *li, *kind, *data, *pinfo, *pname;
	int a = ns_new(), b = ns_new();
	unsigned short two = 0;
	struct nlreq r;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));

	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, "d0");
	nla_put(&r, IFLA_LINKINFO, &two, 2);
	EXPECT_EQ(-ERANGE, nl_send(&r));

	/* IFLA_INFO_KIND claims 200 bytes inside a nest of 12. */
	li = newlink_init(&r, "d0", "dummy");
	kind = (struct rtattr *)RTA_DATA(li);
	nla_nest_end(&r, li);
	kind->rta_len = 200;
	EXPECT_EQ(-EOPNOTSUPP, nl_send(&r));

	li = newlink_init(&r, "d0", "nosuchkind");
	nla_nest_end(&r, li);
	EXPECT_EQ(-EOPNOTSUPP, nl_send(&r));

	li = newlink_init(&r, "v0", "veth");
	data = nla_nest(&r, IFLA_INFO_DATA);
	nla_put(&r, VETH_INFO_PEER, &pifi, 4);
	nla_nest_end(&r, data);
	nla_nest_end(&r, li);
	EXPECT_EQ(-ERANGE, nl_send(&r));

	/* The peer in b, but a negative ifindex for it. */
	pifi.ifi_index = -5;
	li = newlink_init(&r, "v0", "veth");
	data = nla_nest(&r, IFLA_INFO_DATA);
	pinfo = nla_put(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
	nla_put_str(&r, IFLA_IFNAME, "p0");
	nla_put_u32(&r, IFLA_NET_NS_FD, b);
	nla_nest_end(&r, pinfo);
	nla_nest_end(&r, data);
	nla_nest_end(&r, li);
	EXPECT_EQ(-EINVAL, nl_send(&r));
	EXPECT_EQ(1, link_count());
	EXPECT_EQ(1, link_count_in(b));

	/* The peer's name overruns VETH_INFO_PEER and the whole message. */
	pifi.ifi_index = 0;
	li = newlink_init(&r, "v0", "veth");
	data = nla_nest(&r, IFLA_INFO_DATA);
	pinfo = nla_put(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
	pname = nla_put(&r, IFLA_IFNAME, "p0", 3);
	nla_nest_end(&r, pinfo);
	nla_nest_end(&r, data);
	nla_nest_end(&r, li);
	pname->rta_len = 300;
	EXPECT_EQ(0, nl_send(&r));
	EXPECT_NE(0, ifidx("v0"));
	EXPECT_EQ(0, ifidx("p0"));
	EXPECT_NE(0, ifidx("veth0"));
	EXPECT_EQ(3, link_count());
}

/*
 * Broken headers and contradictory attributes: a body shorter than
 * ifinfomsg is EINVAL (an empty one is below rtnetlink's rtgenmsg check
 * and acked as a no-op); nlmsg_len beyond what was sent is dropped without
 * an answer; a negative ifi_index is EINVAL; IFLA_NET_NS_FD together with
 * IFLA_NET_NS_PID is EINVAL; an IFLA_ADDRESS of the wrong length is
 * EINVAL, a multicast one EADDRNOTAVAIL.  Nothing is made.
 */
TEST_F(bad, raw_header)
{
	static const unsigned char mcast[6] = { 1, 0, 0x5e, 0, 0, 1 };
	int a = ns_new(), b = ns_new(), sk;
	unsigned int v;
	struct rtattr *li;
	struct nlreq r;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));

	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	EXPECT_EQ(0, nl_send(&r));
	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 4);
	EXPECT_EQ(-EINVAL, nl_send(&r));

	/* Claims the whole request, but only the header is sent. */
	li = newlink_init(&r, "d0", "dummy");
	nla_nest_end(&r, li);
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ASSERT_LE(0, sk);
	EXPECT_EQ(NO_REPLY, nl_raw(sk, &r.nh, NLMSG_HDRLEN));
	/* The socket is still usable after that. */
	nl_init(&r, RTM_NEWLINK, 0, sizeof(r.ifi));
	r.ifi.ifi_index = -1;
	EXPECT_EQ(-EINVAL, nl_raw(sk, &r.nh, r.nh.nlmsg_len));
	close(sk);

	li = newlink_init(&r, "d0", "dummy");
	nla_nest_end(&r, li);
	nla_put_u32(&r, IFLA_NET_NS_FD, b);
	nla_put_u32(&r, IFLA_NET_NS_PID, getpid());
	EXPECT_EQ(-EINVAL, nl_send(&r));

	v = 0x00112233;
	EXPECT_EQ(-EINVAL, dummy_add_attr("d0", IFLA_ADDRESS, &v, 4));
	EXPECT_EQ(-EADDRNOTAVAIL, dummy_add_attr("d0", IFLA_ADDRESS, mcast, 6));
	EXPECT_EQ(-EINVAL, veth_add_attr("v0", "p0", IFLA_ADDRESS, &v, 4));
	EXPECT_EQ(-EADDRNOTAVAIL, veth_add_attr("v0", "p0", IFLA_ADDRESS, mcast, 6));
	EXPECT_EQ(1, link_count());
	EXPECT_EQ(1, link_count_in(b));
}

/* --- setns() with the wrong fds --------------------------------------------- */

/*
 * setns() with an fd that is neither a namespace nor a pidfd (a regular
 * file, a socket) is EINVAL, a closed fd EBADF; a namespace of another
 * type than asked for is EINVAL either way round; a pidfd of a process
 * that is gone is ESRCH.  After each failure we are where we were.
 */
TEST_F(bad, setns_wrong_fd)
{
	int a = ns_new(), file, sock, uts, stale, pidfd, hold[2];
	unsigned long here = ns_ino(-1);
	int status;
	pid_t pid;
	char c;

	ASSERT_LE(0, a);
	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, file);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sock);
	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, uts);
	stale = stale_fd();
	ASSERT_LE(0, stale);

	EXPECT_EQ(-EINVAL, sys_err(setns(file, CLONE_NEWNET)));
	EXPECT_EQ(-EINVAL, sys_err(setns(file, 0)));
	EXPECT_EQ(-EINVAL, sys_err(setns(sock, CLONE_NEWNET)));
	EXPECT_EQ(-EBADF, sys_err(setns(stale, CLONE_NEWNET)));
	EXPECT_EQ(-EBADF, sys_err(setns(-1, CLONE_NEWNET)));
	EXPECT_EQ(-EINVAL, sys_err(setns(uts, CLONE_NEWNET)));
	EXPECT_EQ(-EINVAL, sys_err(setns(a, CLONE_NEWUTS)));
	EXPECT_EQ(-EINVAL, sys_err(setns(a, CLONE_NEWNET | CLONE_NEWUTS)));
	EXPECT_EQ(here, ns_ino(-1));

	/* A pidfd whose process has exited and been reaped. */
	ASSERT_EQ(0, pipe2(hold, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(hold[1]);
		read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ASSERT_LE(0, pidfd);
	close(hold[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(-ESRCH, sys_err(setns(pidfd, CLONE_NEWNET)));
	EXPECT_EQ(here, ns_ino(-1));

	/* The right fd and type still works. */
	EXPECT_EQ(0, sys_err(setns(a, CLONE_NEWNET)));
	EXPECT_EQ(ns_ino(a), ns_ino(-1));
}

/* --- without privileges --------------------------------------------------- */

enum drop { DROP_CAPSET, DROP_SETUID };

FIXTURE(unpriv) {
	int home, a, b;
};

FIXTURE_VARIANT(unpriv) {
	enum drop how;
};

/* uid 0, but every capability cleared with capset(). */
FIXTURE_VARIANT_ADD(unpriv, capset) {
	.how = DROP_CAPSET,
};

/* setresuid() to nobody: the kernel clears the capabilities itself. */
FIXTURE_VARIANT_ADD(unpriv, setuid) {
	.how = DROP_SETUID,
};

/* a holds d0 (down, no address), b is empty: the targets. */
FIXTURE_SETUP(unpriv)
{
	self->home = ns_self();
	ASSERT_LE(0, self->home);
	self->a = ns_new();
	ASSERT_LE(0, self->a);
	self->b = ns_new();
	ASSERT_LE(0, self->b);
	ASSERT_EQ(0, ns_enter(self->a));
	ASSERT_EQ(0, link_add("d0", "dummy", NULL, -1));
	ASSERT_EQ(0, ns_enter(self->home));
}

FIXTURE_TEARDOWN(unpriv)
{
	ns_enter(self->home);
	close(self->home);
}

static int drop_privileges(enum drop how)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (how == DROP_CAPSET)
		return syscall(SYS_capset, &hdr, data);
	if (setresgid(65534, 65534, 65534))
		return -1;
	return setresuid(65534, 65534, 65534);
}

/*
 * Without CAP_NET_ADMIN and CAP_SYS_ADMIN every privileged step is EPERM:
 * unshare(CLONE_NEWNET), setns() into another namespace, creating a dummy
 * or a veth, moving, deleting or raising a device, adding an address or a
 * route, even on a netlink socket opened while still privileged.  The
 * parent (still root) then finds a and b exactly as they were.
 */
TEST_F(unpriv, privileged_steps_eperm)
{
	unsigned long in_a = ns_ino(self->a);
	struct nlreq r;
	int status, pre;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fails = 0;

#define UNPRIV_EXPECT(want, expr) do {				\
		int __r = (expr);					\
		EXPECT_EQ(want, __r) TH_LOG("%s", #expr);		\
		if (__r != (want))					\
			fails++;					\
	} while (0)

		if (ns_enter(self->a))
			_exit(2);
		pre = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (pre < 0 || drop_privileges(variant->how))
			_exit(3);
		UNPRIV_EXPECT(1, file_has("/proc/self/status",
					  "CapEff:\t0000000000000000"));
		UNPRIV_EXPECT(-EPERM, sys_err(unshare(CLONE_NEWNET)));
		UNPRIV_EXPECT(-EPERM, sys_err(setns(self->b, CLONE_NEWNET)));
		UNPRIV_EXPECT(-EPERM, sys_err(setns(self->home, 0)));
		UNPRIV_EXPECT(1, ns_ino(-1) == in_a);
		UNPRIV_EXPECT(-EPERM, link_add("x0", "dummy", NULL, -1));
		UNPRIV_EXPECT(-EPERM, link_add("v0", "veth", "p0", -1));
		UNPRIV_EXPECT(-EPERM, link_add("v0", "veth", "p0", self->b));
		UNPRIV_EXPECT(-EPERM, link_setns("d0", self->b));
		UNPRIV_EXPECT(-EPERM, link_del("d0"));
		UNPRIV_EXPECT(-EPERM, link_up("d0"));
		UNPRIV_EXPECT(-EPERM, addr_add("d0", "10.9.0.1", 24));
		UNPRIV_EXPECT(-EPERM, route_add("10.9.0.0", 16, "d0", NULL));
		UNPRIV_EXPECT(-EPERM, route_add("10.10.0.0", 16, "lo", NULL));
		newlink_init(&r, "x1", "dummy");
		UNPRIV_EXPECT(-EPERM, nl_raw(pre, &r.nh, r.nh.nlmsg_len));
		_exit(fails ? 1 : 0);
#undef UNPRIV_EXPECT
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	ASSERT_EQ(0, ns_enter(self->a));
	EXPECT_EQ(2, link_count());
	EXPECT_NE(0, ifidx("d0"));
	EXPECT_EQ(0, link_flags("d0") & IFF_UP);
	EXPECT_EQ(0, file_has("/proc/net/fib_trie", "10.9.0"));
	EXPECT_EQ(0, file_has("/proc/net/route", "0000090A"));
	EXPECT_EQ(1, link_count_in(self->b));
}

/* --- still usable ------------------------------------------------------------- */

/* Fixtures run in the order they are defined: this one runs last. */
FIXTURE(after) {
};

/* Each test runs in a child of its own: its namespace moves die with it. */
FIXTURE_SETUP(after)
{
}

FIXTURE_TEARDOWN(after)
{
}

/*
 * After all of the above the system works: a new namespace, a veth pair
 * across, addresses, and a TCP exchange over it.
 */
TEST_F(after, still_usable)
{
	int a = ns_new(), b = ns_new(), l, c, s;
	char buf[8] = { 0 };

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ns_enter(a));
	ASSERT_EQ(0, link_add("va", "veth", "vb", b));
	ASSERT_EQ(0, link_up("lo"));
	ASSERT_EQ(0, addr_add("va", "10.0.0.1", 24));
	ASSERT_EQ(0, link_up("va"));
	ASSERT_EQ(0, ns_enter(b));
	ASSERT_EQ(0, link_up("lo"));
	ASSERT_EQ(0, addr_add("vb", "10.0.0.2", 24));
	ASSERT_EQ(0, link_up("vb"));
	l = sock_bound(SOCK_STREAM, "10.0.0.2", PORT, 0);
	ASSERT_LE(0, l);

	ASSERT_EQ(0, ns_enter(a));
	c = tcp_connect("10.0.0.2", PORT, NULL, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(4, write(c, "ping", 4));
	ASSERT_TRUE(readable(l, 5000));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	ASSERT_TRUE(readable(s, 5000));
	EXPECT_EQ(4, read(s, buf, sizeof(buf)));
	EXPECT_STREQ("ping", buf);
	ASSERT_EQ(4, write(s, "pong", 4));
	memset(buf, 0, sizeof(buf));
	ASSERT_TRUE(readable(c, 5000));
	EXPECT_EQ(4, read(c, buf, sizeof(buf)));
	EXPECT_STREQ("pong", buf);
}

TEST_HARNESS_MAIN
