// SPDX-License-Identifier: GPL-2.0
/*
 * udp_send.c - UDP traffic for the st2110 qdisc tests.
 *
 *   udp_send [-I IFNAME] [-s SRC] [-n COUNT] [-l BYTES] [-t SECONDS]
 *            [-i USEC] DST PORT
 *
 * Sends COUNT datagrams of BYTES payload to DST:PORT (IPv4 or IPv6, unicast
 * or multicast) as fast as sendmmsg allows, or, with -t, keeps sending for
 * SECONDS with USEC between batches.  Prints "sent N" (datagrams the socket
 * accepted; a qdisc drop is not an error for UDP).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define BATCH 32

static void usage(void)
{
	fprintf(stderr, "usage: udp_send [-I IFNAME] [-s SRC] [-n COUNT] [-l BYTES] [-t SECONDS] [-i USEC] DST PORT\n");
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static socklen_t make_addr(const char *s, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, s, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
	fprintf(stderr, "udp_send: bad address %s\n", s);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *src = NULL;
	long count = 100, bytes = 200, interval_us = 0;
	double duration = 0, end;
	struct sockaddr_storage dst, sa;
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	static char buf[65536];
	socklen_t dlen;
	long sent = 0;
	int opt, fd, i;

	while ((opt = getopt(argc, argv, "I:s:n:l:t:i:")) != -1) {
		switch (opt) {
		case 'I': ifname = optarg; break;
		case 's': src = optarg; break;
		case 'n': count = atol(optarg); break;
		case 'l': bytes = atol(optarg); break;
		case 't': duration = atof(optarg); break;
		case 'i': interval_us = atol(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 2 || bytes < 0 || bytes > (long)sizeof(buf))
		usage();

	dlen = make_addr(argv[optind], atoi(argv[optind + 1]), &dst);
	fd = socket(dst.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp_send: socket");
		return 1;
	}
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
				 strlen(ifname) + 1)) {
		perror("udp_send: SO_BINDTODEVICE");
		return 1;
	}
	if (src) {
		socklen_t slen = make_addr(src, 0, &sa);

		if (bind(fd, (struct sockaddr *)&sa, slen)) {
			perror("udp_send: bind");
			return 1;
		}
	}
	if (connect(fd, (struct sockaddr *)&dst, dlen)) {
		perror("udp_send: connect");
		return 1;
	}

	memset(buf, 0x5a, sizeof(buf));
	iov.iov_base = buf;
	iov.iov_len = bytes;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	end = now_s() + duration;
	while (duration ? now_s() < end : sent < count) {
		int n = BATCH, ret;

		if (!duration && count - sent < n)
			n = count - sent;
		ret = sendmmsg(fd, msgs, n, 0);
		if (ret < 0) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED)
				continue;	/* counted by the qdisc */
			perror("udp_send: sendmmsg");
			return 1;
		}
		sent += ret;
		if (interval_us)
			usleep(interval_us);
	}
	printf("sent %ld\n", sent);
	close(fd);
	return 0;
}
