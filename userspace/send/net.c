// SPDX-License-Identifier: GPL-2.0
/*
 * net.c - the socket and the batched send path.
 *
 * One connected UDP socket (the route is looked up once, and a unicast
 * ICMP error shows up as ECONNREFUSED, which is counted and skipped).
 * Packets go out with sendmmsg() in batches; in GSO mode a run of equal
 * contiguous packets becomes one UDP_SEGMENT super-packet that the stack
 * (or the NIC) cuts back into the same datagrams; in txtime mode every
 * message carries its launch time in an SCM_TXTIME cmsg for sch_etf or
 * sch_st2110.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <time.h>

#include "send.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif
#ifndef SO_TXTIME
#define SO_TXTIME	61
#define SCM_TXTIME	SO_TXTIME
#endif

/* UDP_MAX_SEGMENTS is 64 before Linux 6.10 (128 after); one IP datagram */
#define TX_GSO_MAX_BYTES	65000

int net_is_multicast(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return IN_MULTICAST(ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr));
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)ss)->sin6_addr);
	return 0;
}

int net_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, a, buf, (socklen_t)len) ? 0 : -1;
}

int net_dev_mac(const char *dev, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	err = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (err)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int sockopt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) == 0)
		return 0;
	return send_err(SEND_EXIT_BADARG, "%s: %s", what, strerror(errno));
}

static int tx_set_options(struct tx *tx, const struct send_cfg *cfg)
{
	int fd = tx->fd, v6 = tx->family == AF_INET6, mc = net_is_multicast(&cfg->dst);
	unsigned int ifindex = cfg->dev ? if_nametoindex(cfg->dev) : 0;
	int sndbuf = 8 << 20;

	if (cfg->dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->dev,
				   (socklen_t)strlen(cfg->dev) + 1))
		return send_err(SEND_EXIT_BADARG, "--dev %s: SO_BINDTODEVICE: %s", cfg->dev,
				strerror(errno));
	/* a frame is written at once: let the socket hold a burst (root may exceed wmem_max) */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));

	if (v6) {
		if (sockopt(fd, IPPROTO_IPV6, mc ? IPV6_MULTICAST_HOPS : IPV6_UNICAST_HOPS,
			    cfg->ttl, "--ttl: IPV6 hop limit"))
			return SEND_EXIT_BADARG;
		if (cfg->dscp >= 0 &&
		    sockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, cfg->dscp << 2, "--dscp: IPV6_TCLASS"))
			return SEND_EXIT_BADARG;
		if (mc && ifindex &&
		    sockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex,
			    "--dev: IPV6_MULTICAST_IF"))
			return SEND_EXIT_BADARG;
	} else {
		if (sockopt(fd, IPPROTO_IP, mc ? IP_MULTICAST_TTL : IP_TTL, cfg->ttl,
			    "--ttl: IP TTL"))
			return SEND_EXIT_BADARG;
		if (cfg->dscp >= 0 &&
		    sockopt(fd, IPPROTO_IP, IP_TOS, cfg->dscp << 2, "--dscp: IP_TOS"))
			return SEND_EXIT_BADARG;
		if (mc && ifindex) {
			struct ip_mreqn mr = { .imr_ifindex = (int)ifindex };

			if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)))
				return send_err(SEND_EXIT_BADARG, "--dev %s: IP_MULTICAST_IF: %s",
						cfg->dev, strerror(errno));
		}
	}

	if (cfg->mode == SEND_MODE_TXTIME) {
		struct sock_txtime st = {
			.clockid = CLOCK_TAI,
			.flags = SOF_TXTIME_REPORT_ERRORS,
		};

		if (setsockopt(fd, SOL_SOCKET, SO_TXTIME, &st, sizeof(st))) {
			if (errno == EPERM)
				return send_err(SEND_EXIT_BADARG,
						"--mode txtime: SO_TXTIME with CLOCK_TAI needs CAP_NET_ADMIN (run as root or grant cap_net_admin)");
			return send_err(SEND_EXIT_BADARG, "--mode txtime: SO_TXTIME: %s",
					strerror(errno));
		}
	}
	return 0;
}

int tx_open(struct tx *tx, const struct send_cfg *cfg)
{
	struct sockaddr_storage src;
	socklen_t srclen;
	int err;

	memset(tx, 0, sizeof(*tx));
	tx->family = cfg->dst.ss_family;
	tx->gso = cfg->gso;
	tx->txtime = cfg->mode == SEND_MODE_TXTIME;
	tx->batch = cfg->batch;
	tx->fd = socket(tx->family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (tx->fd < 0)
		return send_err(SEND_EXIT_BADARG, "socket: %s", strerror(errno));
	err = tx_set_options(tx, cfg);
	if (err)
		goto fail;
	if (cfg->src_port) {
		memset(&src, 0, sizeof(src));
		src.ss_family = (sa_family_t)tx->family;
		if (tx->family == AF_INET) {
			((struct sockaddr_in *)&src)->sin_port = htons(cfg->src_port);
			srclen = sizeof(struct sockaddr_in);
		} else {
			((struct sockaddr_in6 *)&src)->sin6_port = htons(cfg->src_port);
			srclen = sizeof(struct sockaddr_in6);
		}
		if (bind(tx->fd, (struct sockaddr *)&src, srclen)) {
			err = send_err(SEND_EXIT_BADARG, "--src-port %u: bind: %s", cfg->src_port,
				       strerror(errno));
			goto fail;
		}
	}
	if (connect(tx->fd, (const struct sockaddr *)&cfg->dst, cfg->dst_len)) {
		char a[INET6_ADDRSTRLEN];

		net_addr_str(&cfg->dst, a, sizeof(a));
		err = send_err(SEND_EXIT_BADARG, "--dst %s: %s", a, strerror(errno));
		goto fail;
	}

	tx->ctl_len = CMSG_SPACE(sizeof(uint64_t)) + CMSG_SPACE(sizeof(uint16_t));
	tx->msg = calloc(tx->batch, sizeof(*tx->msg));
	tx->iov = calloc(tx->batch, sizeof(*tx->iov));
	tx->ctl = calloc(tx->batch, tx->ctl_len);
	if (!tx->msg || !tx->iov || !tx->ctl) {
		err = send_err(SEND_EXIT_BADARG, "out of memory");
		goto fail;
	}
	return 0;
fail:
	tx_close(tx);
	return err;
}

/* Packets that one message takes from p[0..n): a GSO run, or one. */
static uint32_t tx_run(const struct tx *tx, const struct tx_pkt *p, uint32_t n)
{
	uint32_t k = 1, bytes = p[0].len;

	if (!tx->gso)
		return 1;
	while (k < n && k < (uint32_t)tx->gso && p[k].len <= p[0].len &&
	       p[k].buf == p[k - 1].buf + p[k - 1].len &&
	       bytes + p[k].len <= TX_GSO_MAX_BYTES) {
		bytes += p[k].len;
		/* only the last segment may be shorter */
		if (p[k++].len < p[0].len)
			break;
	}
	return k;
}

int tx_send(struct tx *tx, const struct tx_pkt *p, uint32_t n, struct send_stats *st)
{
	uint32_t count[1024];
	uint32_t i = 0, m, k, total, done;
	int r;

	while (i < n) {
		for (m = 0; m < tx->batch && i < n; m++) {
			struct msghdr *mh = &tx->msg[m].msg_hdr;
			uint8_t *ctl = tx->ctl + m * tx->ctl_len;
			struct cmsghdr *cm;
			size_t clen = 0;

			count[m] = tx_run(tx, p + i, n - i);
			for (k = 0, total = 0; k < count[m]; k++)
				total += p[i + k].len;
			tx->iov[m].iov_base = (void *)p[i].buf;
			tx->iov[m].iov_len = total;
			memset(mh, 0, sizeof(*mh));
			mh->msg_iov = &tx->iov[m];
			mh->msg_iovlen = 1;
			if (count[m] > 1 || tx->txtime) {
				memset(ctl, 0, tx->ctl_len);
				mh->msg_control = ctl;
				mh->msg_controllen = tx->ctl_len;
				cm = CMSG_FIRSTHDR(mh);
				if (count[m] > 1) {
					uint16_t gso = (uint16_t)p[i].len;

					cm->cmsg_level = SOL_UDP;
					cm->cmsg_type = UDP_SEGMENT;
					cm->cmsg_len = CMSG_LEN(sizeof(gso));
					memcpy(CMSG_DATA(cm), &gso, sizeof(gso));
					clen += CMSG_SPACE(sizeof(gso));
					cm = CMSG_NXTHDR(mh, cm);
				}
				if (tx->txtime) {
					cm->cmsg_level = SOL_SOCKET;
					cm->cmsg_type = SCM_TXTIME;
					cm->cmsg_len = CMSG_LEN(sizeof(uint64_t));
					memcpy(CMSG_DATA(cm), &p[i].txtime_ns, sizeof(uint64_t));
					clen += CMSG_SPACE(sizeof(uint64_t));
				}
				mh->msg_controllen = clen;
			}
			i += count[m];
		}
		done = 0;
		while (done < m) {
			r = sendmmsg(tx->fd, tx->msg + done, m - done, 0);
			st->sendmmsg_calls++;
			if (r < 0) {
				if (errno == EINTR)
					continue;
				if (errno == ECONNREFUSED) {
					/* an earlier ICMP unreachable, not this message */
					st->send_errors++;
					st->last_errno = errno;
					continue;
				}
				if (errno == ENOBUFS || errno == EAGAIN) {
					st->send_errors++;
					st->last_errno = errno;
					done++;		/* dropped: move on */
					continue;
				}
				return -errno;
			}
			for (k = done; k < done + (uint32_t)r; k++) {
				st->packets += count[k];
				st->bytes += tx->iov[k].iov_len;
			}
			done += (uint32_t)r;
		}
	}
	return 0;
}

void tx_drain_errqueue(struct tx *tx, struct send_stats *st)
{
	uint8_t ctl[256], data[64];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh;
	struct cmsghdr *cm;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		if (recvmsg(tx->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			struct sock_extended_err ee;

			if (!((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
			      (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			if (ee.ee_origin == SO_EE_ORIGIN_TXTIME)
				st->txtime_errors++;
		}
	}
}

int tx_local_addr(const struct tx *tx, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(tx->fd, (struct sockaddr *)&ss, &sl))
		return -1;
	return net_addr_str(&ss, buf, len);
}

/*
 * The source address the route to dst would use (connect() on UDP sends
 * nothing); the unspecified address when there is no route, as for an SDP
 * written on a machine that is not on the media network.
 */
void net_probe_src(const struct send_cfg *cfg, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = socket(cfg->dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(buf, len, "%s", cfg->dst.ss_family == AF_INET6 ? "::" : "0.0.0.0");
	if (fd < 0)
		return;
	if (cfg->dev)
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->dev,
			   (socklen_t)strlen(cfg->dev) + 1);
	if (!connect(fd, (const struct sockaddr *)&cfg->dst, cfg->dst_len) &&
	    !getsockname(fd, (struct sockaddr *)&ss, &sl))
		net_addr_str(&ss, buf, len);
	close(fd);
}

void tx_close(struct tx *tx)
{
	if (tx->fd > 0)
		close(tx->fd);
	free(tx->msg);
	free(tx->iov);
	free(tx->ctl);
	memset(tx, 0, sizeof(*tx));
	tx->fd = -1;
}
