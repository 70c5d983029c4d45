/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the guest tests: namespaces as file descriptors, a minimal
 * rtnetlink client (links, addresses, routes) that returns the kernel's
 * errno, and small socket helpers.  Every helper works in the network
 * namespace the calling thread is in; ns_enter() switches.
 */
#ifndef NSUTIL_H
#define NSUTIL_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

/* <net/if.h> stops at the 16 flags SIOCGIFFLAGS carries. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* --- namespaces ------------------------------------------------------- */

/* The current network namespace, as an fd. */
static inline int ns_self(void)
{
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

static inline int ns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET);
}

/* A new network namespace, as an fd; the caller stays where it was. */
static inline int ns_new(void)
{
	int cur = ns_self(), fd = -1;

	if (cur < 0)
		return -1;
	if (unshare(CLONE_NEWNET) == 0) {
		fd = ns_self();
		if (ns_enter(cur)) {
			close(fd);
			fd = -1;
		}
	}
	close(cur);
	return fd;
}

/* The nsfs inode of a namespace fd (or of ours, with fd < 0). */
static inline unsigned long ns_ino(int fd)
{
	struct stat st;

	if (fd < 0 ? stat("/proc/self/ns/net", &st) : fstat(fd, &st))
		return 0;
	return st.st_ino;
}

/* --- rtnetlink ---------------------------------------------------------- */

struct nlreq {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct rtmsg rtm;
	};
	char attrbuf[1024];
};

static inline struct rtattr *nla_put(struct nlreq *r, int type,
				     const void *data, int len)
{
	struct nlmsghdr *nh = &r->nh;
	struct rtattr *rta = (void *)((char *)r + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static inline void nla_put_str(struct nlreq *nh, int type, const char *s)
{
	nla_put(nh, type, s, strlen(s) + 1);
}

static inline void nla_put_u32(struct nlreq *nh, int type, unsigned int v)
{
	nla_put(nh, type, &v, sizeof(v));
}

static inline struct rtattr *nla_nest(struct nlreq *nh, int type)
{
	return nla_put(nh, type, NULL, 0);
}

static inline void nla_nest_end(struct nlreq *r, struct rtattr *nest)
{
	nest->rta_len = (char *)r + r->nh.nlmsg_len - (char *)nest;
}

/*
 * Send one request and receive the first reply into @buf (@len bytes):
 * its length, or -errno.  A request the kernel drops unanswered must not
 * hang the test, hence the receive timeout.
 */
static inline int nl_request(struct nlmsghdr *nh, void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 30 };
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nh->nlmsg_flags |= NLM_F_REQUEST;
	nh->nlmsg_seq = 1;
	ret = sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *)&sa,
		     sizeof(sa));
	if (ret >= 0)
		ret = recv(fd, buf, len, 0);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Send one request, wait for the ack: 0 or -errno. */
static inline int nl_talk(struct nlmsghdr *nh)
{
	char buf[4096];
	struct nlmsghdr *reply = (struct nlmsghdr *)buf;
	int ret;

	nh->nlmsg_flags |= NLM_F_ACK;
	ret = nl_request(nh, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (reply->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(reply))->error;
}

static inline void nl_init(struct nlreq *r, int type, int flags, size_t hdr)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(hdr);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = flags;
}

/*
 * Create a link of @kind named @name.  For veth, @peer names the other end
 * and @peer_ns (an fd, or -1 for here) is where it goes.
 */
static inline int link_add(const char *name, const char *kind,
			   const char *peer, int peer_ns)
{
	struct rtattr *li, *data, *pinfo;
	struct ifinfomsg pifi = { 0 };
	struct nlreq r;

	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, name);
	li = nla_nest(&r, IFLA_LINKINFO);
	nla_put_str(&r, IFLA_INFO_KIND, kind);
	if (peer) {
		data = nla_nest(&r, IFLA_INFO_DATA);
		pinfo = nla_put(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
		nla_put_str(&r, IFLA_IFNAME, peer);
		if (peer_ns >= 0)
			nla_put_u32(&r, IFLA_NET_NS_FD, peer_ns);
		nla_nest_end(&r, pinfo);
		nla_nest_end(&r, data);
	}
	nla_nest_end(&r, li);
	return nl_talk(&r.nh);
}

static inline int link_del(const char *name)
{
	struct nlreq r;

	nl_init(&r, RTM_DELLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, name);
	return nl_talk(&r.nh);
}

/* Move device @name into the namespace @ns_fd. */
static inline int link_setns(const char *name, int ns_fd)
{
	struct nlreq r;

	nl_init(&r, RTM_NEWLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, name);
	nla_put_u32(&r, IFLA_NET_NS_FD, ns_fd);
	return nl_talk(&r.nh);
}

/* One SIOCGIF* or SIOCSIF* ioctl on @name, through @ifr: 0 or -errno. */
static inline int link_ioctl(const char *name, unsigned long req,
			     struct ifreq *ifr)
{
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, req, ifr) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int link_set_flags(const char *name, short set, short clear)
{
	struct ifreq ifr = { 0 };
	int ret = link_ioctl(name, SIOCGIFFLAGS, &ifr);

	if (ret)
		return ret;
	ifr.ifr_flags = (ifr.ifr_flags | set) & ~clear;
	return link_ioctl(name, SIOCSIFFLAGS, &ifr);
}

static inline int link_up(const char *name)
{
	return link_set_flags(name, IFF_UP, 0);
}

static inline int link_down(const char *name)
{
	return link_set_flags(name, 0, IFF_UP);
}

/* IFF_* flags of @name, or -errno. */
static inline int link_flags(const char *name)
{
	struct ifreq ifr = { 0 };

	return link_ioctl(name, SIOCGIFFLAGS, &ifr) ?: (ifr.ifr_flags & 0xffff);
}

/*
 * IFF_* flags of @name as rtnetlink reports them, or -errno.  Unlike
 * SIOCGIFFLAGS these include IFF_LOWER_UP, the carrier, which changes at
 * once; IFF_RUNNING follows the operstate, which the linkwatch work sets
 * later.
 */
static inline long link_nl_flags(const char *name)
{
	char buf[4096];
	struct nlmsghdr *reply = (struct nlmsghdr *)buf;
	struct nlreq r;
	int ret;

	nl_init(&r, RTM_GETLINK, 0, sizeof(r.ifi));
	nla_put_str(&r, IFLA_IFNAME, name);
	ret = nl_request(&r.nh, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (reply->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(reply))->error ?: -EPROTO;
	if (reply->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	return ((struct ifinfomsg *)NLMSG_DATA(reply))->ifi_flags;
}

static inline int addr_add(const char *dev, const char *addr, int plen)
{
	struct nlreq r;
	struct in_addr a;

	if (inet_pton(AF_INET, addr, &a) != 1)
		return -EINVAL;
	nl_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.ifa));
	r.ifa.ifa_family = AF_INET;
	r.ifa.ifa_prefixlen = plen;
	r.ifa.ifa_index = if_nametoindex(dev);
	if (!r.ifa.ifa_index)
		return -ENODEV;
	nla_put(&r, IFA_LOCAL, &a, sizeof(a));
	nla_put(&r, IFA_ADDRESS, &a, sizeof(a));
	return nl_talk(&r.nh);
}

/* Route @dst/@plen out of @dev, via @gw when not NULL, in the main table. */
static inline int route_add(const char *dst, int plen, const char *dev,
			    const char *gw)
{
	struct in_addr d, g;
	struct nlreq r;
	int oif;

	if (inet_pton(AF_INET, dst, &d) != 1 ||
	    (gw && inet_pton(AF_INET, gw, &g) != 1))
		return -EINVAL;
	oif = if_nametoindex(dev);
	if (!oif)
		return -ENODEV;
	nl_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(r.rtm));
	r.rtm.rtm_family = AF_INET;
	r.rtm.rtm_dst_len = plen;
	r.rtm.rtm_table = RT_TABLE_MAIN;
	r.rtm.rtm_protocol = RTPROT_STATIC;
	r.rtm.rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r.rtm.rtm_type = RTN_UNICAST;
	nla_put(&r, RTA_DST, &d, sizeof(d));
	nla_put_u32(&r, RTA_OIF, oif);
	if (gw)
		nla_put(&r, RTA_GATEWAY, &g, sizeof(g));
	return nl_talk(&r.nh);
}

/* --- sockets -------------------------------------------------------------- */

static inline struct sockaddr_in sin4(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	sa.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	return sa;
}

/* A socket of @type bound to @addr:@port (listening if TCP): fd or -errno. */
static inline int sock_bound(int type, const char *addr, int port, int reuse)
{
	struct sockaddr_in sa = sin4(addr, port);
	int fd, ret;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (type == SOCK_STREAM && port && listen(fd, 64))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Connect a TCP socket to @addr:@port, from @lport when non-zero. */
static inline int tcp_connect(const char *addr, int port, const char *laddr,
			      int lport)
{
	struct sockaddr_in sa = sin4(addr, port), la;
	int fd, ret, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (lport) {
		la = sin4(laddr, lport);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&la, sizeof(la)))
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	return fd;
fail:
	ret = -errno;
	close(fd);
	return ret;
}

/* Is there something to read (or accept) on @fd within @ms? */
static inline int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* --- views -------------------------------------------------------------------- */

/* Is there a TCP socket in state @state_hex (hex, as /proc/net/tcp) with local port @port? */
static inline int tcp_state_on_port(int port, const char *state_hex)
{
	char line[512];
	unsigned int p;
	int found = 0;
	FILE *f = fopen("/proc/net/tcp", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char la[64], ra[64], state[8], *colon;

		if (sscanf(line, " %*d: %63s %63s %7s", la, ra, state) != 3)
			continue;
		colon = strchr(la, ':');
		if (!colon || sscanf(colon + 1, "%x", &p) != 1)
			continue;
		if ((int)p == port && !strcmp(state, state_hex))
			found = 1;
	}
	fclose(f);
	return found;
}

/* Does the file @path (in this namespace's view) contain @needle? */
static inline int file_has(const char *path, const char *needle)
{
	char buf[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

/* Number of network devices visible here. */
static inline int link_count(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int n = 0;

	if (!ifs)
		return -errno;
	for (i = ifs; i->if_index; i++)
		n++;
	if_freenameindex(ifs);
	return n;
}

/* Run @argv in a child (it inherits our namespace); its exit status. */
static inline int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static inline int ping(const char *addr)
{
	char *argv[] = { "/bin/busybox", "ping", "-c", "1", "-W", "10",
			 (char *)addr, NULL };

	return run(argv);
}

/* Poll @cond every 20ms for at most @secs seconds: 1 once true, 0 if not. */
#define WAIT_FOR(secs, cond) ({					\
	struct timespec __t0, __t;					\
	int __ok = 0;							\
	clock_gettime(CLOCK_MONOTONIC, &__t0);				\
	for (;;) {							\
		if (cond) { __ok = 1; break; }				\
		clock_gettime(CLOCK_MONOTONIC, &__t);			\
		if (__t.tv_sec - __t0.tv_sec >= (secs))			\
			break;						\
		usleep(20000);						\
	}								\
	__ok; })

static inline long meminfo(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");
	size_t kl = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = atol(line + kl + 1);
			break;
		}
	fclose(f);
	return v;
}

static inline int write_file(const char *path, const char *s)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Network namespaces that exist: active objects of the net_namespace
 * cache, or -1 when /proc/slabinfo has no such line (the cache was merged
 * into another one; boot with slab_nomerge).  init_net is static, so it
 * is not counted.  SLUB counts every object of a per-CPU slab as active:
 * flush those first (shrink) to get an exact figure.
 */
static inline long ns_count(void)
{
	char line[512], name[64];
	long active, ret = -1;
	FILE *f;

	write_file("/sys/kernel/slab/net_namespace/shrink", "1");
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld", name, &active) == 2 &&
		    !strcmp(name, "net_namespace")) {
			ret = active;
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * Make the kernel run one more cleanup round and wait (at most @secs) until
 * it has dismantled our throwaway namespace: it holds a veth whose peer is
 * here, so the round is past the devices when the peer is gone.  0 or
 * -errno.
 */
static inline int ns_flush(int secs)
{
	char peer[IFNAMSIZ];
	int home, t, ret;

	snprintf(peer, sizeof(peer), "nsflush%d", getpid() % 100000);
	home = ns_self();
	if (home < 0)
		return -errno;
	t = ns_new();
	if (t < 0) {
		ret = -errno;
		close(home);
		return ret;
	}
	ret = ns_enter(t) ? -errno : link_add("f0", "veth", peer, home);
	if (ns_enter(home) && !ret)
		ret = -errno;
	close(t);
	close(home);
	if (!ret && !WAIT_FOR(secs, !if_nametoindex(peer)))
		ret = -ETIMEDOUT;
	return ret;
}

/*
 * Wait (at most @secs) until every namespace let go of so far is
 * dismantled: two cleanup rounds of a throwaway namespace each.  Two,
 * because sockets let go of their namespace only after an RCU grace
 * period, which the first round's rcu_barrier() covers; and because
 * since 6.12.y ("net: defer final 'struct net' free in netns dismantle")
 * a round frees the struct net of the round before it.  Afterwards only
 * the second throwaway's struct net may still be allocated.  0 or -errno.
 */
static inline int ns_drain(int secs)
{
	struct timespec t0, t;
	int i, left, ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2 && !ret; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = secs - (int)(t.tv_sec - t0.tv_sec);
		ret = ns_flush(left > 0 ? left : 1);
	}
	return ret;
}

/*
 * MemAvailable in kB once the kernel has let go of what it can: dirty
 * pages written, page cache and dentries dropped, and every slab cache
 * shrunk (which also empties KASAN's quarantine of that cache).
 */
static inline long mem_settled(void)
{
	char path[300];
	struct dirent *d;
	DIR *dir;

	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
	dir = opendir("/sys/kernel/slab");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", d->d_name);
		write_file(path, "1");
	}
	if (dir)
		closedir(dir);
	return meminfo("MemAvailable");
}

static inline void raise_nofile(rlim_t n)
{
	struct rlimit rl = { n, n };

	setrlimit(RLIMIT_NOFILE, &rl);
}

#endif
