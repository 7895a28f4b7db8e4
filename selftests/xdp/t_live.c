// SPDX-License-Identifier: GPL-2.0
/*
 * Real traffic through the XDP program, on the host kernel:
 *
 *   ns S: snd0 ──veth── xi<pid> (XDP here) ns R ──veth xo<pid>_k── rcv0 ns Ck, k = 0..3
 *         snd1 ──veth── xj<pid> (second instance: 2022-7 leg 1 on its own port)
 *
 * A sender socket in S sends multicast RTP; UDP sockets bound to each group
 * in every receiver namespace and in R count what arrives (and read the
 * TTL / hop limit). Every phase asserts the exact count on every socket
 * (the group's expected receivers get N, everybody else 0); the L3 phases
 * also read the frames on each receiver's rcv0 with a packet socket (source
 * MAC, TTL). The whole set runs once per libxdp load path (single, auto)
 * and once more in generic (skb) mode.
 *
 * Sockets keep the namespace they were created in, so the test creates them
 * all up front and then stays in R, where interface indexes (attach, egress
 * sets) must be resolved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "xdp_test.h"

#define NR_RCV		4
#define NR_NS		(NR_RCV + 2)	/* receivers, router, sender */
#define NS_ROUTER	NR_RCV
#define NS_SENDER	(NR_RCV + 1)
#define BURST		200
#define PORT		5004
#define PAYLOAD		1200

enum grp {
	G_FAN1, G_FAN2, G_FAN4, G_PASS, G_DROP, G_UNMATCHED, G_REDIR_PASS, G_V6_FAN2,
	G_L3, G_L3_PASS, G_V6_L3,	/* ttl dec + src-mac port */
	NR_GROUPS
};

static const char *const group_addr[NR_GROUPS] = {
	"239.10.0.1", "239.10.0.2", "239.10.0.3", "239.10.0.4",
	"239.10.0.5", "239.10.0.6", "239.10.0.7", "ff3e::10:1",
	"239.10.0.8", "239.10.0.9", "ff3e::10:2",
};

/* Egress sets: 1 {o0}, 2 {o0,o1}, 3 {o0..o3}, 4 {o1,o2}, 5 {o2} */
#define SET_O0		1
#define SET_O01		2
#define SET_ALL		3
#define SET_O12		4
#define SET_MOVE	5

#define NR_TRAFFIC_TESTS 16
/* per pass (single, auto, generic): attach, traffic, detach; plus double attach and dispatcher */
#define NR_SWITCH_TESTS	5	/* single pass only: switch, merge x2, two-port merge x2 */
#define NR_LIVE_TESTS	(3 * (NR_TRAFFIC_TESTS + 2) + 2 + NR_SWITCH_TESTS)
#define L3_TTL		64	/* the sender's TTL in the L3 phases */

struct rx {
	int fd;
	int ns;			/* 0..3 receivers, NS_ROUTER */
	enum grp g;
	unsigned long count;
	int ttl_min, ttl_max;	/* TTL / hop limit of what arrived (-1: none) */
};

static char ns_name[NR_NS][48];
static int ns_fd[NR_NS] = { -1, -1, -1, -1, -1, -1 };
static int home_ns = -1;
static char if_in[IF_NAMESIZE];
static char if_in2[IF_NAMESIZE];	/* second ingress: leg 1 of the two-port 2022-7 test */
static char if_out[NR_RCV][IF_NAMESIZE];
static bool topo_made;

static struct rx rxs[NR_GROUPS * (NR_RCV + 1)];
static unsigned int nr_rx;
static int tx4 = -1, tx6 = -1, tx4b = -1;	/* tx4b: out of snd1 */
static __u16 tx_seq[NR_GROUPS];
static struct st2110_xdp *lx;

unsigned int t_live_count(void)
{
	return NR_LIVE_TESTS;
}

static int run(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc)
		tap_msg("command failed (%d): %s\n", rc, cmd);
	return rc ? -1 : 0;
}

static int enter(int ns)
{
	return setns(ns < 0 ? home_ns : ns_fd[ns], CLONE_NEWNET) ? -errno : 0;
}

static void topo_destroy(void)
{
	int i;

	if (!topo_made)
		return;
	/* Detach first so that the pins go too; then the namespaces. */
	if (ns_fd[NS_ROUTER] >= 0 && !enter(NS_ROUTER)) {
		st2110_xdp_detach(if_in2, NULL);
		st2110_xdp_detach(if_in, NULL);
	}
	enter(-1);
	for (i = 0; i < NR_NS; i++) {
		if (ns_fd[i] >= 0)
			close(ns_fd[i]);
		ns_fd[i] = -1;
		if (ns_name[i][0])
			run("ip netns del %s 2>/dev/null", ns_name[i]);
	}
	topo_made = false;
}

static void on_signal(int sig)
{
	topo_destroy();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int topo_create(void)
{
	int pid = getpid(), i;
	char path[320];

	home_ns = open("/proc/self/ns/net", O_RDONLY);
	if (home_ns < 0)
		return -errno;
	snprintf(if_in, sizeof(if_in), "xi%d", pid);
	snprintf(if_in2, sizeof(if_in2), "xj%d", pid);
	for (i = 0; i < NR_NS; i++) {
		if (i < NR_RCV)
			snprintf(ns_name[i], sizeof(ns_name[i]), "st2110xdp-%d-c%d", pid, i);
		else
			snprintf(ns_name[i], sizeof(ns_name[i]), "st2110xdp-%d-%s", pid,
				 i == NS_ROUTER ? "r" : "s");
	}
	topo_made = true;
	atexit(topo_destroy);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	for (i = 0; i < NR_NS; i++) {
		if (run("ip netns add %s", ns_name[i]))
			return -1;
		snprintf(path, sizeof(path), "/run/netns/%s", ns_name[i]);
		ns_fd[i] = open(path, O_RDONLY);
		if (ns_fd[i] < 0)
			return -errno;
		if (run("ip -n %s link set lo up", ns_name[i]) ||
		    run("ip netns exec %s sysctl -qw net.ipv4.conf.all.rp_filter=0 "
			"net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.accept_dad=0 "
			"net.ipv6.conf.default.accept_dad=0", ns_name[i]))
			return -1;
	}
	if (run("ip link add snd0 netns %s type veth peer name %s netns %s",
		ns_name[NS_SENDER], if_in, ns_name[NS_ROUTER]) ||
	    run("ip -n %s addr add 10.99.0.1/24 dev snd0", ns_name[NS_SENDER]) ||
	    run("ip -n %s addr add 10.99.0.2/24 dev %s", ns_name[NS_ROUTER], if_in) ||
	    run("ip -n %s link set snd0 up", ns_name[NS_SENDER]) ||
	    run("ip -n %s link set %s up", ns_name[NS_ROUTER], if_in) ||
	    /* veth leaves the UDP checksum to offload; XDP would forward it unset */
	    run("ip netns exec %s ethtool -K snd0 tx off >/dev/null", ns_name[NS_SENDER]))
		return -1;
	if (run("ip link add snd1 netns %s type veth peer name %s netns %s",
		ns_name[NS_SENDER], if_in2, ns_name[NS_ROUTER]) ||
	    run("ip -n %s addr add 10.98.0.1/24 dev snd1", ns_name[NS_SENDER]) ||
	    run("ip -n %s addr add 10.98.0.2/24 dev %s", ns_name[NS_ROUTER], if_in2) ||
	    run("ip -n %s link set snd1 up", ns_name[NS_SENDER]) ||
	    run("ip -n %s link set %s up", ns_name[NS_ROUTER], if_in2) ||
	    run("ip netns exec %s ethtool -K snd1 tx off >/dev/null", ns_name[NS_SENDER]))
		return -1;
	for (i = 0; i < NR_RCV; i++) {
		snprintf(if_out[i], sizeof(if_out[i]), "xo%d_%d", pid, i);
		if (run("ip link add %s netns %s type veth peer name rcv0 netns %s",
			if_out[i], ns_name[NS_ROUTER], ns_name[i]) ||
		    run("ip -n %s addr add 10.99.%d.2/24 dev rcv0", ns_name[i], i + 1) ||
		    run("ip -n %s link set rcv0 up", ns_name[i]) ||
		    run("ip -n %s link set %s up", ns_name[NS_ROUTER], if_out[i]) ||
		    /* XDP redirect into a veth needs NAPI on its peer: GRO on */
		    run("ip netns exec %s ethtool -K rcv0 gro on >/dev/null", ns_name[i]))
			return -1;
	}
	return 0;
}

static int join(int fd, int af, const char *group, const char *ifname)
{
	unsigned int ifindex = if_nametoindex(ifname);

	if (!ifindex)
		return -ENODEV;
	if (af == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = ifindex };

		inet_pton(AF_INET, group, &m.imr_multiaddr);
		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) ? -errno : 0;
	} else {
		struct ipv6_mreq m = { .ipv6mr_interface = ifindex };

		inet_pton(AF_INET6, group, &m.ipv6mr_multiaddr);
		return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m, sizeof(m)) ? -errno : 0;
	}
}

static int group_af(enum grp g)
{
	return strchr(group_addr[g], ':') ? AF_INET6 : AF_INET;
}

/* A socket bound to the group, joined on ifname, in the current netns. */
static int rx_socket(enum grp g, const char *ifname)
{
	int af = group_af(g), fd, one = 1, rcvbuf = 4 << 20, err;
	struct sockaddr_storage ss = {};
	socklen_t sl;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* FORCE: beyond net.core.rmem_max (212992 on a fresh kernel: 98 packets) */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (af == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(PORT);
		inet_pton(AF_INET, group_addr[g], &a->sin_addr);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(PORT);
		inet_pton(AF_INET6, group_addr[g], &a->sin6_addr);
		sl = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		err = -errno;
		close(fd);
		return err;
	}
	err = join(fd, af, group_addr[g], ifname);
	if (!err && af == AF_INET &&
	    setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)))
		err = -errno;
	if (!err && af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static int sockets_create(void)
{
	unsigned int ifindex;
	int ns, g, fd;

	for (ns = 0; ns <= NS_ROUTER; ns++) {
		if (enter(ns))
			return -1;
		for (g = 0; g < NR_GROUPS; g++) {
			fd = rx_socket(g, ns == NS_ROUTER ? if_in : "rcv0");
			if (fd < 0) {
				tap_msg("rx socket ns %d group %s: %s\n", ns,
					       group_addr[g], strerror(-fd));
				return fd;
			}
			rxs[nr_rx++] = (struct rx){ .fd = fd, .ns = ns, .g = g };
		}
	}
	if (enter(NS_SENDER))
		return -1;
	ifindex = if_nametoindex("snd0");
	tx4 = socket(AF_INET, SOCK_DGRAM, 0);
	tx6 = socket(AF_INET6, SOCK_DGRAM, 0);
	if (tx4 < 0 || tx6 < 0 || !ifindex)
		return -1;
	tx4b = socket(AF_INET, SOCK_DGRAM, 0);
	if (tx4b < 0)
		return -1;
	{
		struct ip_mreqn m = { .imr_ifindex = ifindex },
				mb = { .imr_ifindex = if_nametoindex("snd1") };
		int zero = 0, one = 1;

		if (setsockopt(tx4b, IPPROTO_IP, IP_MULTICAST_IF, &mb, sizeof(mb)) ||
		    setsockopt(tx4b, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) ||
		    setsockopt(tx4b, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof(one)) ||
		    setsockopt(tx4, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) ||
		    setsockopt(tx4, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) ||
		    setsockopt(tx4, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof(one)) ||
		    setsockopt(tx6, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) ||
		    setsockopt(tx6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)))
			return -errno;
	}
	return enter(NS_ROUTER);
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static int send_burst(enum grp g, int n)
{
	__u8 buf[12 + PAYLOAD] = {};
	struct sockaddr_storage ss = {};
	int af = group_af(g), fd, i;
	socklen_t sl;

	if (af == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(PORT);
		inet_pton(AF_INET, group_addr[g], &a->sin_addr);
		sl = sizeof(*a);
		fd = tx4;
	} else {
		struct sockaddr_in6 *a = (void *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(PORT);
		inet_pton(AF_INET6, group_addr[g], &a->sin6_addr);
		a->sin6_scope_id = 0;
		sl = sizeof(*a);
		fd = tx6;
	}
	buf[0] = 0x80;
	buf[1] = 96;
	buf[8] = 0x21, buf[9] = 0x10, buf[11] = g;
	for (i = 0; i < n; i++) {
		/* 64 packets per "frame", as a video sender would stamp them */
		__u32 ts = (__u32)(tx_seq[g] / 64) * 1501;

		buf[2] = tx_seq[g] >> 8;
		buf[3] = tx_seq[g];
		buf[4] = ts >> 24, buf[5] = ts >> 16, buf[6] = ts >> 8, buf[7] = ts;
		tx_seq[g]++;
		if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, sl) != sizeof(buf))
			return -errno;
		/* veth rings hold 256 frames: stay well below */
		if (i % 16 == 15)
			sleep_us(2000);
	}
	return 0;
}

/* The TTL (hop limit) of a received datagram from its cmsg; -1 if none. */
static int msg_ttl(struct msghdr *mh)
{
	struct cmsghdr *c;
	int v;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			return v;
		}
	}
	return -1;
}

static unsigned long drain(void)
{
	char buf[2048], cbuf[128];
	struct iovec iov = { buf, sizeof(buf) };
	unsigned long got = 0;
	unsigned int i;
	int ttl;

	for (i = 0; i < nr_rx; i++) {
		for (;;) {
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
					     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };

			if (recvmsg(rxs[i].fd, &mh, 0) <= 0)
				break;
			ttl = msg_ttl(&mh);
			if (rxs[i].ttl_min < 0 || ttl < rxs[i].ttl_min)
				rxs[i].ttl_min = ttl;
			if (ttl > rxs[i].ttl_max)
				rxs[i].ttl_max = ttl;
			rxs[i].count++;
			got++;
		}
	}
	return got;
}

/* Collect until nothing new has arrived for 200 ms. */
static void settle(void)
{
	int quiet_ms = 0, total_ms = 0;

	while (quiet_ms < 200 && total_ms < 3000) {
		sleep_us(20000);
		total_ms += 20;
		if (drain())
			quiet_ms = 0;
		else
			quiet_ms += 20;
	}
}

static void counts_reset(void)
{
	unsigned int i;

	settle();
	for (i = 0; i < nr_rx; i++) {
		rxs[i].count = 0;
		rxs[i].ttl_min = rxs[i].ttl_max = -1;
	}
}

/*
 * Send a burst to g; want[ns] is what each receiver namespace (0..3) and the
 * router stack (NS_ROUTER) must get for g; all other sockets must get 0.
 */
static bool phase(const char *what, enum grp g, const unsigned long want[NR_RCV + 1])
{
	unsigned int i;
	bool ok = true;
	int err;

	counts_reset();
	err = send_burst(g, BURST);
	if (err) {
		tap_msg("%s: send: %s\n", what, strerror(-err));
		return false;
	}
	settle();
	for (i = 0; i < nr_rx; i++) {
		unsigned long w = rxs[i].g == g ? want[rxs[i].ns] : 0;

		if (rxs[i].count != w) {
			tap_msg("%s: %s got %lu for %s, want %lu\n", what,
				       rxs[i].ns == NS_ROUTER ? "router" : ns_name[rxs[i].ns],
				       rxs[i].count, group_addr[rxs[i].g], w);
			ok = false;
		}
	}
	return ok;
}

static int set_ports(__u32 set, const int *outs, unsigned int n)
{
	__u32 idx[NR_RCV];
	unsigned int i;

	for (i = 0; i < n; i++) {
		idx[i] = if_nametoindex(if_out[outs[i]]);
		if (!idx[i])
			return -ENODEV;
	}
	return st2110_xdp_egress_set_ports(lx, set, idx, n);
}

static int route_f(enum grp g, __u32 action, __u32 set, bool change, __u32 flags)
{
	struct st2110_xdp_route r = { .action = action, .egress_set = set,
				      .rtp_clock_hz = 90000, .flags = flags };
	struct st2110_xdp_key k;
	int err;

	err = st2110_xdp_key_make(&k, group_addr[g], PORT, NULL);
	if (err)
		return err;
	return change ? st2110_xdp_route_change(lx, &k, &r) : st2110_xdp_route_add(lx, &k, &r);
}

static int route(enum grp g, __u32 action, __u32 set, bool change)
{
	return route_f(g, action, set, change, 0);
}

#define F_L3	(ST2110_XDP_ROUTE_F_TTL_DEC | ST2110_XDP_ROUTE_F_SRC_MAC)

static int configure(void)
{
	static const int o0[] = { 0 }, o01[] = { 0, 1 }, all[] = { 0, 1, 2, 3 },
			 o12[] = { 1, 2 }, o2[] = { 2 };
	int err;

	err = set_ports(SET_O0, o0, 1);
	err = err ?: set_ports(SET_O01, o01, 2);
	err = err ?: set_ports(SET_ALL, all, 4);
	err = err ?: set_ports(SET_O12, o12, 2);
	err = err ?: set_ports(SET_MOVE, o2, 1);
	err = err ?: route(G_FAN1, ST2110_XDP_ACT_REDIRECT, SET_O0, false);
	err = err ?: route(G_FAN2, ST2110_XDP_ACT_REDIRECT, SET_O01, false);
	err = err ?: route(G_FAN4, ST2110_XDP_ACT_REDIRECT, SET_ALL, false);
	err = err ?: route(G_PASS, ST2110_XDP_ACT_PASS, 0, false);
	err = err ?: route(G_DROP, ST2110_XDP_ACT_DROP, 0, false);
	err = err ?: route(G_REDIR_PASS, ST2110_XDP_ACT_REDIRECT_PASS, SET_O12, false);
	err = err ?: route(G_V6_FAN2, ST2110_XDP_ACT_REDIRECT, SET_O01, false);
	err = err ?: route_f(G_L3, ST2110_XDP_ACT_REDIRECT, SET_O01, false, F_L3);
	err = err ?: route_f(G_L3_PASS, ST2110_XDP_ACT_REDIRECT_PASS, SET_O12, false, F_L3);
	err = err ?: route_f(G_V6_L3, ST2110_XDP_ACT_REDIRECT, SET_O01, false, F_L3);
	if (err)
		tap_msg("configure: %s\n", st2110_xdp_errmsg());
	return err;
}

static bool pins_exist(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s/%s", ST2110_XDP_PIN_ROOT, if_in,
		 ST2110_XDP_PIN_ROUTES);
	return access(path, F_OK) == 0;
}

/* The program attached in that mode (native: DRV, generic: SKB). */
static __u32 xdp_prog_in(const char *ifname, __u32 mode_flag)
{
	__u32 id = 0;

	bpf_xdp_query_id(if_nametoindex(ifname), mode_flag, &id);
	return id;
}

static __u32 xdp_prog_on(const char *ifname)
{
	return xdp_prog_in(ifname, XDP_FLAGS_DRV_MODE) ?: xdp_prog_in(ifname, XDP_FLAGS_SKB_MODE);
}

/* Our tc filter and the clsact qdisc are both gone. */
static bool tc_clean(const char *ifname)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = if_nametoindex(ifname),
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = ST2110_XDP_TC_HANDLE,
		    .priority = ST2110_XDP_TC_PRIORITY);
	int err;

	if (bpf_tc_query(&hook, &opts) != -ENOENT && bpf_tc_query(&hook, &opts) != -EINVAL)
		return false;
	/* Creating clsact succeeds only if none was left behind. */
	err = bpf_tc_hook_create(&hook);
	if (err)
		return false;
	hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	bpf_tc_hook_destroy(&hook);
	return true;
}

static bool nothing_left(void)
{
	return !xdp_prog_on(if_in) && !pins_exist() && tc_clean(if_in);
}

static void skip_n(int n, const char *why)
{
	while (n-- > 0)
		tap_skip("live: %s\n", why);
}

static void counters_now(struct st2110_xdp_counters *c)
{
	memset(c, 0, sizeof(*c));
	st2110_xdp_counters(lx, c);
}


/* The sender's TTL (hop limit) for multicast. */
static int sender_ttl(int ttl)
{
	if (setsockopt(tx4, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(tx6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)))
		return -errno;
	return 0;
}

/* Packet sockets on rcv0 of each receiver: what arrives, with its MACs. */
static int l2_fd[NR_RCV] = { -1, -1, -1, -1 };

static int l2_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int i, rcvbuf = 8 << 20, err = 0;

	for (i = 0; i < NR_RCV && !err; i++) {
		if (enter(i))
			return -1;
		l2_fd[i] = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
		sll.sll_ifindex = if_nametoindex("rcv0");
		if (l2_fd[i] < 0 ||
		    bind(l2_fd[i], (struct sockaddr *)&sll, sizeof(sll)))
			err = -errno;
		else if (setsockopt(l2_fd[i], SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
			setsockopt(l2_fd[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	}
	enter(NS_ROUTER);
	return err;
}

static void l2_close(void)
{
	int i;

	for (i = 0; i < NR_RCV; i++) {
		if (l2_fd[i] >= 0)
			close(l2_fd[i]);
		l2_fd[i] = -1;
	}
}

static void l2_flush(void)
{
	char buf[2048];
	int i;

	for (i = 0; i < NR_RCV; i++)
		while (recv(l2_fd[i], buf, sizeof(buf), 0) > 0)
			;
}

static int port_mac(const char *ifname, __u8 mac[6])
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (fd >= 0)
		close(fd);
	return err;
}

/*
 * Frames of group g that receiver k's rcv0 got: count them, and count those
 * whose source MAC is not the router port's (xo<pid>_k) or whose TTL (hop
 * limit) is not want_ttl.
 */
static unsigned long l2_check(int k, enum grp g, int want_ttl, unsigned long *bad)
{
	__u8 buf[2048], grp6[16], mac[6];
	struct in_addr grp4;
	unsigned long n = 0;
	bool v6 = group_af(g) == AF_INET6;
	ssize_t len;

	*bad = 0;
	if (port_mac(if_out[k], mac))
		return 0;
	inet_pton(AF_INET, group_addr[g], &grp4);
	inet_pton(AF_INET6, group_addr[g], grp6);
	while ((len = recv(l2_fd[k], buf, sizeof(buf), 0)) > 0) {
		__u16 type = buf[12] << 8 | buf[13];
		int ttl;

		if (!v6 && type == ETH_P_IP && len >= 14 + 20 && buf[14 + 9] == IPPROTO_UDP &&
		    !memcmp(buf + 14 + 16, &grp4, 4))
			ttl = buf[14 + 8];
		else if (v6 && type == ETH_P_IPV6 && len >= 14 + 40 && buf[14 + 6] == IPPROTO_UDP &&
			 !memcmp(buf + 14 + 24, grp6, 16))
			ttl = buf[14 + 7];
		else
			continue;
		n++;
		if (memcmp(buf + 6, mac, 6) || ttl != want_ttl)
			(*bad)++;
	}
	return n;
}

/* The phase's L2 view: each receiver in want got BURST frames, all right. */
static bool l2_phase_ok(const char *what, enum grp g, const unsigned long want[NR_RCV + 1])
{
	unsigned long n, bad;
	bool ok = true;
	int k;

	for (k = 0; k < NR_RCV; k++) {
		n = l2_check(k, g, L3_TTL - 1, &bad);
		if (n != want[k] || bad) {
			tap_msg("%s: %s: %lu frames on the wire (want %lu), %lu with the wrong source MAC or TTL\n",
				what, ns_name[k], n, want[k], bad);
			ok = false;
		}
	}
	return ok;
}

/* TTL seen by the UDP sockets of g in the namespaces with want[ns] != 0 */
static bool ttl_seen(enum grp g, const unsigned long want[NR_RCV + 1], int ns_only, int ttl)
{
	unsigned int i;

	for (i = 0; i < nr_rx; i++) {
		if (rxs[i].g != g || !want[rxs[i].ns] || (ns_only >= 0 && rxs[i].ns != ns_only))
			continue;
		if (rxs[i].ttl_min != ttl || rxs[i].ttl_max != ttl) {
			tap_msg("%s at %s: TTL %d..%d, want %d\n", group_addr[g],
				rxs[i].ns == NS_ROUTER ? "router" : ns_name[rxs[i].ns],
				rxs[i].ttl_min, rxs[i].ttl_max, ttl);
			return false;
		}
	}
	return true;
}

/* A ttl dec + src-mac redirect: exact counts, TTL - 1 on sockets and wire, port MACs. */
static bool l3_redirect_phase(const char *what, enum grp g, const unsigned long want[NR_RCV + 1])
{
	bool ok;

	counts_reset();
	l2_flush();
	ok = phase(what, g, want);
	ok = ttl_seen(g, want, -1, L3_TTL - 1) && ok;
	return l2_phase_ok(what, g, want) && ok;
}

static void l3_tests(const char *mode)
{
	static const unsigned long fan2[] = { BURST, BURST, 0, 0, 0 },
		rp[] = { 0, BURST, BURST, 0, BURST },
		to_router[] = { 0, 0, 0, 0, BURST },
		nobody[] = { 0, 0, 0, 0, 0 },
		rcv_only[] = { 0, BURST, BURST, 0, 0 };
	struct st2110_xdp_counters a, b;
	bool ok;

	if (l2_open() || sender_ttl(L3_TTL)) {
		l2_close();
		sender_ttl(1);
		skip_n(4, "packet sockets or sender TTL failed");
		return;
	}
	tap_result(l3_redirect_phase("l3 redirect", G_L3, fan2),
		   "live/%s: ttl dec + src-mac: 2 ports get TTL %d from their own port's MAC, exact counts\n",
		   mode, L3_TTL - 1);
	tap_result(l3_redirect_phase("l3 v6 redirect", G_V6_L3, fan2),
		   "live/%s: v6 hop limit dec + src-mac: 2 ports, hop limit %d, port MACs, exact counts\n",
		   mode, L3_TTL - 1);

	counts_reset();
	l2_flush();
	counters_now(&a);
	ok = phase("l3 redirect+pass", G_L3_PASS, rp);
	counters_now(&b);
	ok = ttl_seen(G_L3_PASS, rcv_only, -1, L3_TTL - 1) && ok;
	ok = ttl_seen(G_L3_PASS, rp, NS_ROUTER, L3_TTL) && ok;
	tap_result(l2_phase_ok("l3 redirect+pass", G_L3_PASS, rcv_only) && ok &&
		   b.tc_mirrored - a.tc_mirrored == 2 * BURST,
		   "live/%s: tc mirror with ttl dec + src-mac: copies TTL %d from their port's MAC, local stack TTL %d\n",
		   mode, L3_TTL - 1, L3_TTL);

	sender_ttl(1);
	counters_now(&a);
	ok = phase("l3 TTL 1", G_L3, nobody);
	ok = phase("l3 TTL 1 redirect+pass", G_L3_PASS, to_router) && ok;
	counters_now(&b);
	tap_result(ok && b.ttl_expired - a.ttl_expired == 2 * BURST &&
		   b.tc_mirrored == a.tc_mirrored,
		   "live/%s: TTL 1 is not forwarded (redirect, redirect+pass), the local stack still gets it (ttl_expired +%llu)\n",
		   mode, (unsigned long long)(b.ttl_expired - a.ttl_expired));
	l2_close();
}

static void traffic_tests(const char *mode)
{
	static const unsigned long fan1[] = { BURST, 0, 0, 0, 0 },
		fan2[] = { BURST, BURST, 0, 0, 0 },
		fan4[] = { BURST, BURST, BURST, BURST, 0 },
		to_router[] = { 0, 0, 0, 0, BURST },
		nobody[] = { 0, 0, 0, 0, 0 },
		to_c2[] = { 0, 0, BURST, 0, 0 },
		to_c3[] = { 0, 0, 0, BURST, 0 },
		redir_pass[] = { 0, BURST, BURST, 0, BURST };
	struct st2110_xdp_counters a, b;
	struct st2110_xdp_flow f = {};
	struct st2110_xdp_key k;
	static const int o3[] = { 3 };
	bool ok;

	tap_result(phase("fan-out 1", G_FAN1, fan1),
			 "live/%s: v4 redirect to 1 port, exact counts\n", mode);
	tap_result(phase("fan-out 2", G_FAN2, fan2),
			 "live/%s: v4 redirect to 2 ports, exact counts\n", mode);
	tap_result(phase("fan-out 4", G_FAN4, fan4),
			 "live/%s: v4 redirect to 4 ports, exact counts\n", mode);
	tap_result(phase("v6 fan-out 2", G_V6_FAN2, fan2),
			 "live/%s: v6 redirect to 2 ports, exact counts\n", mode);
	tap_result(phase("pass", G_PASS, to_router),
			 "live/%s: pass route reaches the router's stack only\n", mode);

	counters_now(&a);
	ok = phase("drop", G_DROP, nobody);
	counters_now(&b);
	tap_result(ok && b.route_drop - a.route_drop == BURST,
			 "live/%s: drop route delivers nowhere (route_drop +%llu)\n", mode,
			 (unsigned long long)(b.route_drop - a.route_drop));

	ok = phase("unmatched pass", G_UNMATCHED, to_router);
	st2110_xdp_set_unmatched(lx, ST2110_XDP_ACT_DROP);
	counters_now(&a);
	ok = phase("unmatched drop", G_UNMATCHED, nobody) && ok;
	counters_now(&b);
	st2110_xdp_set_unmatched(lx, ST2110_XDP_ACT_PASS);
	ok = ok && b.unmatched_drop - a.unmatched_drop == BURST;
	tap_result(ok, "live/%s: unmatched multicast follows the default (pass, then drop)\n",
			 mode);

	ok = route(G_FAN1, ST2110_XDP_ACT_REDIRECT, SET_MOVE, true) == 0 &&
	     phase("route change", G_FAN1, to_c2);
	tap_result(ok, "live/%s: route changed at run time moves the flow\n", mode);

	ok = set_ports(SET_MOVE, o3, 1) == 0 && phase("egress set change", G_FAN1, to_c3);
	route(G_FAN1, ST2110_XDP_ACT_REDIRECT, SET_O0, true);
	tap_result(ok, "live/%s: egress set replaced at run time\n", mode);

	counters_now(&a);
	ok = phase("redirect+pass", G_REDIR_PASS, redir_pass);
	counters_now(&b);
	tap_result(ok && b.tc_mirrored - a.tc_mirrored == 2 * BURST &&
			 b.tc_mirror_errors == a.tc_mirror_errors,
			 "live/%s: redirect+pass: stack and 2 ports (tc copies +%llu)\n", mode,
			 (unsigned long long)(b.tc_mirrored - a.tc_mirrored));

	/* What the CLI will do: find the instance again from its pins. */
	{
		struct st2110_xdp *y = NULL;
		struct st2110_xdp_route r = {};
		struct st2110_xdp_attach_info ia = {}, ib = {};

		counters_now(&a);
		ok = !st2110_xdp_open(if_in, NULL, &y) &&
		     !st2110_xdp_key_make(&k, group_addr[G_FAN2], PORT, NULL) &&
		     !st2110_xdp_route_get(y, &k, &r) && !st2110_xdp_counters(y, &b) &&
		     !st2110_xdp_info(y, &ia) && !st2110_xdp_info(lx, &ib);
		tap_result(ok && r.action == ST2110_XDP_ACT_REDIRECT && r.egress_set == SET_O01 &&
			   b.rx_packets >= a.rx_packets && b.route_drop == a.route_drop &&
			   ia.xdp_prog_id == ib.xdp_prog_id && st2110_xdp_prog_fd(y) >= 0,
			   "live/%s: a second handle opened from the pins sees the same maps (%s)\n",
			   mode, ok ? "ok" : st2110_xdp_errmsg());
		st2110_xdp_close(y);
	}

	l3_tests(mode);

	ok = !st2110_xdp_key_make(&k, group_addr[G_FAN4], PORT, "10.99.0.1") &&
	     !st2110_xdp_flow_get(lx, &k, &f);
	tap_result(ok && f.packets == BURST && f.rtp_packets == BURST && f.lost == 0 &&
			 f.duplicates == 0 && f.reordered == 0 && f.expected == BURST &&
			 f.bytes == (__u64)BURST * (14 + 20 + 8 + 12 + PAYLOAD),
			 "live/%s: flow counters of real traffic (pkts %llu lost %llu jitter %llu ns)\n",
			 mode, (unsigned long long)f.packets, (unsigned long long)f.lost,
			 (unsigned long long)(f.jitter_q4_ns >> 4));
}

/*
 * Clean switching and ST 2022-7 on real traffic: RTP frames from the sender
 * namespace, one receiver socket in c0 joined to every group on port
 * SW_PORT, and checks on what that socket got, in order.
 */
#define SW_PORT		5006
#define SW_FRAME_PKTS	16
#define SW_FRAMES	12
#define SW_PAYLOAD	200
#define SW_SET		SET_O0

#define SW_GROUPS	6
static const char *const sw_group[SW_GROUPS] = {
	"239.10.1.1", "239.10.1.2",	/* switch: A, B */
	"239.10.2.1", "239.10.2.2",	/* 2022-7: leg 0, leg 1 */
	"239.10.3.1", "239.10.3.2",	/* 2022-7 on two ports: leg 0 on xi, leg 1 on xj */
};

struct sw_pkt {
	__u32 ssrc;
	__u16 seq;
	bool marker;
};

static int sw_fd = -1;
static struct sw_pkt sw_got[1024];
static unsigned int sw_n;

static int sw_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SW_PORT) };
	int one = 1, rcvbuf = 4 << 20, i, err = 0;

	if (enter(0))
		return -1;
	sw_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (sw_fd < 0)
		err = -errno;
	if (!err) {
		setsockopt(sw_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (setsockopt(sw_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
			setsockopt(sw_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		if (bind(sw_fd, (struct sockaddr *)&a, sizeof(a)))
			err = -errno;
	}
	for (i = 0; !err && i < SW_GROUPS; i++)
		err = join(sw_fd, AF_INET, sw_group[i], "rcv0");
	enter(NS_ROUTER);
	return err;
}

static int sw_send_fd(int fd, unsigned int g, __u32 ssrc, __u16 seq, bool marker)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SW_PORT) };
	__u8 buf[12 + SW_PAYLOAD] = {};

	inet_pton(AF_INET, sw_group[g], &a.sin_addr);
	buf[0] = 0x80;
	buf[1] = (marker ? 0x80 : 0) | 96;
	buf[2] = seq >> 8, buf[3] = seq;
	buf[8] = ssrc >> 24, buf[9] = ssrc >> 16, buf[10] = ssrc >> 8, buf[11] = ssrc;
	buf[12] = seq >> 8, buf[13] = seq;	/* payload: same on both 2022-7 legs */
	return sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&a, sizeof(a)) == sizeof(buf) ?
	       0 : -errno;
}

static int sw_send(unsigned int g, __u32 ssrc, __u16 seq, bool marker)
{
	return sw_send_fd(tx4, g, ssrc, seq, marker);
}

/* Everything the receiver got, until nothing came for 200 ms. */
static void sw_collect(void)
{
	int quiet_ms = 0, total_ms = 0;
	__u8 buf[2048];
	ssize_t n;

	sw_n = 0;
	while (quiet_ms < 200 && total_ms < 5000) {
		bool any = false;

		while ((n = recv(sw_fd, buf, sizeof(buf), 0)) > 0) {
			any = true;
			if (n < 12 || sw_n == sizeof(sw_got) / sizeof(sw_got[0]))
				continue;
			sw_got[sw_n++] = (struct sw_pkt){
				.ssrc = (__u32)buf[8] << 24 | buf[9] << 16 | buf[10] << 8 | buf[11],
				.seq = (__u16)(buf[2] << 8 | buf[3]), .marker = buf[1] >> 7 };
		}
		if (any) {
			quiet_ms = 0;
		} else {
			sleep_us(20000);
			quiet_ms += 20;
			total_ms += 20;
		}
	}
}

static int sw_route(unsigned int g, __u32 action, __u32 merge, __u32 leg)
{
	struct st2110_xdp_route r = { .action = action, .rtp_clock_hz = 90000,
				      .egress_set = action == ST2110_XDP_ACT_REDIRECT ? SW_SET : 0,
				      .merge = merge, .merge_leg = leg };
	struct st2110_xdp_key k;
	int err = st2110_xdp_key_make(&k, sw_group[g], SW_PORT, NULL);

	return err ?: st2110_xdp_route_add(lx, &k, &r);
}

static void live_switch_test(void)
{
	struct st2110_xdp_route pass = { .action = ST2110_XDP_ACT_REDIRECT, .egress_set = SW_SET },
				drop = { .action = ST2110_XDP_ACT_DROP }, ra = {}, rb = {};
	unsigned int i, f, run = 0, frames[2] = { 0, 0 }, bad = 0;
	struct st2110_xdp_key ka, kb;
	__u32 run_ssrc = 0;
	bool seen_b = false;
	int err;

	err = sw_route(0, ST2110_XDP_ACT_REDIRECT, 0, 0);
	err = err ?: sw_route(1, ST2110_XDP_ACT_DROP, 0, 0);
	err = err ?: st2110_xdp_key_make(&ka, sw_group[0], SW_PORT, NULL);
	err = err ?: st2110_xdp_key_make(&kb, sw_group[1], SW_PORT, NULL);
	/* A and B send frames of 16 packets, B's boundaries 5 packets later */
	for (f = 0; !err && f < SW_FRAMES; f++) {
		for (i = 0; !err && i < SW_FRAME_PKTS; i++) {
			__u32 nb = f * SW_FRAME_PKTS + i;

			if (f == 4 && i == 7)
				err = st2110_xdp_route_switch(lx, &ka, &drop, &kb, &pass, 0);
			err = err ?: sw_send(0, 0xa, (__u16)nb, i == SW_FRAME_PKTS - 1);
			err = err ?: sw_send(1, 0xb, (__u16)(nb + 5),
					     (nb + 5) % SW_FRAME_PKTS == SW_FRAME_PKTS - 1);
			if (i % 8 == 7)
				sleep_us(2000);
		}
	}
	if (err) {
		tap_fail("live: clean switch: %d %s\n", err, st2110_xdp_errmsg());
		return;
	}
	sw_collect();
	for (i = 0; i < sw_n; i++) {
		if (sw_got[i].ssrc == 0xb)
			seen_b = true;
		else if (seen_b)
			bad++;				/* A after B */
		if (!run)
			run_ssrc = sw_got[i].ssrc;
		else if (sw_got[i].ssrc != run_ssrc ||
			 sw_got[i].seq != (__u16)(sw_got[i - 1].seq + 1))
			bad++;				/* mixed, or a hole */
		run++;
		if (sw_got[i].marker) {
			if (run != SW_FRAME_PKTS)
				bad++;			/* incomplete frame */
			frames[run_ssrc == 0xb]++;
			run = 0;
		}
	}
	st2110_xdp_route_get(lx, &ka, &ra);
	st2110_xdp_route_get(lx, &kb, &rb);
	/* A: frames 0..4 (the switch came in frame 4); B: every later whole frame */
	tap_result(!bad && frames[0] == 5 && frames[1] >= 5 && ra.switches_clean == 1 &&
		   rb.switches_clean == 1,
		   "live: clean switch A->B on the receiver: %u frames of A then %u of B, complete, none mixed (%u violations, %u packets)\n",
		   frames[0], frames[1], bad, sw_n);
}

static bool sw_lost(unsigned int leg, unsigned int i)
{
	return i % 17 == 9 || (leg == 0 ? i % 5 == 2 : i % 7 == 4);
}

typedef bool (*leg_lost_fn)(unsigned int leg, unsigned int i);

/*
 * Numbers seq0 .. seq0 + n - 1 on both legs (leg l: socket fd[l], group
 * sw_group[g0 + l]) except what lost() drops; what the merge must judge.
 */
static int merge_send(leg_lost_fn lost, const int fd[2], unsigned int g0, __u32 ssrc,
		      __u16 seq0, unsigned int n, unsigned long long want_rec[2],
		      unsigned long long *want_lost)
{
	unsigned int i, leg;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		for (leg = 0; leg < 2; leg++)
			if (!lost(leg, i))
				err = err ?: sw_send_fd(fd[leg], g0 + leg, ssrc, (__u16)(seq0 + i),
							false);
		if (lost(0, i) && lost(1, i))
			(*want_lost)++;
		else if (lost(0, i))
			want_rec[1]++;
		else if (lost(1, i))
			want_rec[0]++;
		if (i % 8 == 7)
			sleep_us(2000);
	}
	return err;
}

/* What the receiver got that it should not: a number twice, or lost on both legs. */
static unsigned long long merge_wrong(leg_lost_fn lost, __u32 ssrc, __u16 seq0, unsigned int n)
{
	static unsigned char once[1024];
	unsigned long long wrong = 0;
	unsigned int i;

	memset(once, 0, sizeof(once));
	for (i = 0; i < sw_n; i++) {
		__u16 k = (__u16)(sw_got[i].seq - seq0);

		if (sw_got[i].ssrc != ssrc || k >= n || (lost(0, k) && lost(1, k)) || once[k]++)
			wrong++;
	}
	return wrong;
}

static void live_merge_test(void)
{
	unsigned long long want_rec[2] = { 0, 0 }, want_lost = 0, twice;
	const int fd[2] = { tx4, tx4 };
	struct st2110_xdp_merge m = {};
	unsigned int n = 400;
	int err;

	err = st2110_xdp_merge_set(lx, 9, 0);
	err = err ?: sw_route(2, ST2110_XDP_ACT_REDIRECT, 9, 0);
	err = err ?: sw_route(3, ST2110_XDP_ACT_REDIRECT, 9, 1);
	err = err ?: merge_send(sw_lost, fd, 2, 0x2022, 65500, n, want_rec, &want_lost);
	if (err) {
		tap_fail("live: 2022-7 merge: %d %s\n", err, st2110_xdp_errmsg());
		tap_fail("live: 2022-7 merge: no counters\n");
		return;
	}
	sw_collect();
	twice = merge_wrong(sw_lost, 0x2022, 65500, n);
	tap_result(!twice && sw_n == n - want_lost,
		   "live: 2022-7 merge on the receiver: %u of %u numbers, each once (%llu wrong)\n",
		   sw_n, n, twice);
	err = st2110_xdp_merge_get(lx, 9, &m);
	tap_result(!err && m.recovered[0] == want_rec[0] && m.recovered[1] == want_rec[1] &&
		   m.lost_both == want_lost && m.forwarded == sw_n,
		   "live: 2022-7 counters: recovered from leg 0 %llu/%llu, leg 1 %llu/%llu, lost on both %llu/%llu\n",
		   (unsigned long long)m.recovered[0], want_rec[0],
		   (unsigned long long)m.recovered[1], want_rec[1],
		   (unsigned long long)m.lost_both, want_lost);
}


/* Two-port 2022-7: which packets each leg loses (i % 13 == 6: both). */
static bool sw2_lost(unsigned int leg, unsigned int i)
{
	return i % 13 == 6 || (leg == 0 ? i % 11 == 3 : i % 7 == 5);
}

/*
 * ST 2022-7 with the legs on two interfaces, as a real receiver gets them:
 * leg 0 from snd0 into xi (instance lx), leg 1 from snd1 into xj, a second
 * instance attached with share_merges = xi, so both programs use one merges
 * map. Each leg loses its own packets (and some are lost on both); the
 * receiver must get every number once that either leg carried.
 */
static void live_merge_two_ports_test(void)
{
	struct st2110_xdp_opts opts = { .load_mode = ST2110_XDP_LOAD_SINGLE, .share_merges = if_in };
	unsigned long long want_rec[2] = { 0, 0 }, want_lost = 0, wrong = 0;
	struct st2110_xdp_route r = { .action = ST2110_XDP_ACT_REDIRECT, .egress_set = SW_SET,
				      .merge = 10 };
	struct st2110_xdp_attach_info info = {};
	struct st2110_xdp_merge m = {};
	struct st2110_xdp *x2 = NULL;
	const int fd[2] = { tx4, tx4b };
	unsigned int n = 400;
	__u32 o0 = if_nametoindex(if_out[0]), id1 = 0, id2 = 0;
	struct st2110_xdp_key k;
	int err;

	err = st2110_xdp_attach(if_in2, &opts, &x2);
	err = err ?: st2110_xdp_info(x2, &info);
	err = err ?: st2110_xdp_merges_map_id(lx, &id1);
	err = err ?: st2110_xdp_merges_map_id(x2, &id2);
	err = err ?: st2110_xdp_egress_set_ports(x2, SW_SET, &o0, 1);
	err = err ?: st2110_xdp_merge_set(lx, 10, 0);
	err = err ?: st2110_xdp_key_make(&k, sw_group[4], SW_PORT, NULL);
	err = err ?: st2110_xdp_route_add(lx, &k, &r);
	r.merge_leg = 1;
	err = err ?: st2110_xdp_key_make(&k, sw_group[5], SW_PORT, NULL);
	err = err ?: st2110_xdp_route_add(x2, &k, &r);
	err = err ?: merge_send(sw2_lost, fd, 4, 0x7022, 65400, n, want_rec, &want_lost);
	if (err) {
		tap_fail("live: 2022-7 on two ports: %d %s\n", err, st2110_xdp_errmsg());
		tap_fail("live: 2022-7 on two ports: no counters\n");
		st2110_xdp_close(x2);
		st2110_xdp_detach(if_in2, NULL);
		return;
	}
	sw_collect();
	wrong = merge_wrong(sw2_lost, 0x7022, 65400, n);
	tap_result(!wrong && sw_n == n - want_lost && id1 == id2 &&
		   (info.flags & ST2110_XDP_INFO_F_SHARED_MERGES),
		   "live: 2022-7 with leg 0 on %s and leg 1 on %s (one shared merges map, id %u/%u): receiver got %u of %u numbers, each once (%llu wrong)\n",
		   if_in, if_in2, id1, id2, sw_n, n, wrong);
	err = st2110_xdp_merge_get(x2, 10, &m);
	tap_result(!err && m.recovered[0] == want_rec[0] && m.recovered[1] == want_rec[1] &&
		   m.lost_both == want_lost && m.forwarded == sw_n &&
		   m.packets[0] + m.packets[1] == 2 * n - want_rec[0] - want_rec[1] - 2 * want_lost,
		   "live: 2022-7 on two ports, counters: recovered from leg 0 %llu/%llu, leg 1 %llu/%llu, lost on both %llu/%llu\n",
		   (unsigned long long)m.recovered[0], want_rec[0],
		   (unsigned long long)m.recovered[1], want_rec[1],
		   (unsigned long long)m.lost_both, want_lost);
	st2110_xdp_close(x2);
	st2110_xdp_detach(if_in2, NULL);
}

static void run_pass(enum st2110_xdp_load_mode mode, enum st2110_xdp_mode xmode,
		     const char *name)
{
	struct st2110_xdp_opts opts = { .load_mode = mode, .xdp_mode = xmode };
	bool generic = xmode == ST2110_XDP_MODE_GENERIC;
	struct st2110_xdp_attach_info info = {};
	static const unsigned long fan_none_router[] = { 0, 0, 0, 0, BURST };
	int err;

	err = st2110_xdp_attach(if_in, &opts, &lx);
	if (!err)
		err = st2110_xdp_info(lx, &info);
	if (err) {
		tap_fail("live/%s: attach: %s\n", name, st2110_xdp_errmsg());
		skip_n((mode == ST2110_XDP_LOAD_SINGLE) * (1 + NR_SWITCH_TESTS) + NR_TRAFFIC_TESTS + 1,
		       "attach failed");
		return;
	}
	tap_result((xdp_prog_in(if_in, generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE) ==
		    info.xdp_prog_id || (info.flags & ST2110_XDP_INFO_F_DISPATCHER)) &&
		   !xdp_prog_in(if_in, generic ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE) &&
		   !!(info.flags & ST2110_XDP_INFO_F_GENERIC) == generic,
			 "live/%s: attached %s, %s, tc mirror %s, pins in %s/%s\n", name,
			 generic ? "in generic (skb) mode" : "natively",
			 info.flags & ST2110_XDP_INFO_F_DISPATCHER ? "behind the libxdp dispatcher" :
								      "single program (no dispatcher)",
			 info.flags & ST2110_XDP_INFO_F_TC_MIRROR ? "on" : "off",
			 ST2110_XDP_PIN_ROOT, if_in);

	if (mode == ST2110_XDP_LOAD_SINGLE) {
		struct st2110_xdp *again = NULL;

		err = st2110_xdp_attach(if_in, &opts, &again);
		tap_result(err == -EEXIST && !again && pins_exist() &&
				 xdp_prog_on(if_in) == info.xdp_prog_id,
				 "live: a second attach is refused and changes nothing (%d: %s)\n",
				 err, st2110_xdp_errmsg());
		st2110_xdp_close(again);
	}

	if (configure()) {
		skip_n(NR_TRAFFIC_TESTS + (mode == ST2110_XDP_LOAD_SINGLE) * NR_SWITCH_TESTS,
		       "configure failed");
	} else {
		traffic_tests(name);
		if (mode == ST2110_XDP_LOAD_SINGLE && sw_socket()) {
			skip_n(NR_SWITCH_TESTS, "receiver socket for switch tests failed");
		} else if (mode == ST2110_XDP_LOAD_SINGLE) {
			live_switch_test();
			live_merge_test();
			live_merge_two_ports_test();
		}
	}
	st2110_xdp_close(lx);
	lx = NULL;

	err = st2110_xdp_detach(if_in, NULL);
	tap_result(!err && nothing_left() && phase("after detach", G_FAN4, fan_none_router),
			 "live/%s: detach leaves no program, tc filter, clsact or pin (%s)\n",
			 name, err ? st2110_xdp_errmsg() : "ok");
}

static void dispatcher_test(void)
{
	struct st2110_xdp_opts opts = { .load_mode = ST2110_XDP_LOAD_DISPATCHER };
	struct st2110_xdp *x = NULL;
	int err;

	err = st2110_xdp_attach(if_in, &opts, &x);
	if (!err) {
		st2110_xdp_close(x);
		err = st2110_xdp_detach(if_in, NULL);
		tap_result(!err && nothing_left(),
				 "live: libxdp dispatcher path attaches and detaches cleanly\n");
		return;
	}
	if (err == -EOPNOTSUPP && nothing_left()) {
		tap_skip("live: libxdp dispatcher refused by this kernel (%s); refusal left nothing behind\n",
				      st2110_xdp_errmsg());
		return;
	}
	tap_fail("live: dispatcher attach: %d %s; clean %d\n", err,
			      st2110_xdp_errmsg(), nothing_left());
}

void t_live_run(void)
{
	int i;

	if (xdp_test_live_skip_reason) {
		for (i = 0; i < NR_LIVE_TESTS; i++)
			tap_skip("live: %s\n", xdp_test_live_skip_reason);
		return;
	}
	if (topo_create() || sockets_create()) {
		for (i = 0; i < NR_LIVE_TESTS; i++)
			tap_fail("live: network namespace setup failed\n");
		topo_destroy();
		return;
	}
	run_pass(ST2110_XDP_LOAD_SINGLE, ST2110_XDP_MODE_NATIVE, "single");
	dispatcher_test();
	run_pass(ST2110_XDP_LOAD_AUTO, ST2110_XDP_MODE_NATIVE, "auto");
	run_pass(ST2110_XDP_LOAD_AUTO, ST2110_XDP_MODE_GENERIC, "generic");
	if (sw_fd >= 0)
		close(sw_fd);
	if (tx4b >= 0)
		close(tx4b);
	tx4b = -1;
	sw_fd = -1;
	topo_destroy();
}
