// SPDX-License-Identifier: GPL-2.0
/* capw.c - hand-written pcap/pcapng files for the tests (see capw.h). */
#include <string.h>

#include "capw.h"

#define DLT_EN10MB_	1
#define DLT_RAW_	101	/* LINKTYPE_RAW */
#define DLT_SLL_	113
#define DLT_SLL2_	276

static void put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* host order, or the other one: the magic tells readers which */
static void w32(struct capw *w, uint32_t v)
{
	if (w->o.swapped)
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, w->f);
}

static void w16(struct capw *w, uint16_t v)
{
	if (w->o.swapped)
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, w->f);
}

static uint32_t linktype(const struct capw_opts *o)
{
	switch (o->link) {
	case CAPW_SLL:	return DLT_SLL_;
	case CAPW_SLL2:	return DLT_SLL2_;
	case CAPW_RAW:	return DLT_RAW_;
	}
	return DLT_EN10MB_;
}

int capw_open(struct capw *w, const char *path, const struct capw_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = *o;
	w->f = fopen(path, "wb");
	if (!w->f)
		return -1;
	if (o->pcapng) {
		/* Section Header Block */
		w32(w, 0x0a0d0d0a);
		w32(w, 28);
		w32(w, 0x1a2b3c4d);
		w16(w, 1);
		w16(w, 0);
		w32(w, 0xffffffff);	/* section length unknown */
		w32(w, 0xffffffff);
		w32(w, 28);
		/* Interface Description Block with if_tsresol = 9 (ns) */
		w32(w, 1);
		w32(w, 32);
		w16(w, (uint16_t)linktype(o));
		w16(w, 0);
		w32(w, 262144);
		w16(w, 9);		/* if_tsresol */
		w16(w, 1);
		fputc(9, w->f);
		fputc(0, w->f);
		fputc(0, w->f);
		fputc(0, w->f);
		w16(w, 0);		/* opt_endofopt */
		w16(w, 0);
		w32(w, 32);
		return 0;
	}
	w32(w, o->usec ? 0xa1b2c3d4 : 0xa1b23c4d);
	w16(w, 2);
	w16(w, 4);
	w32(w, 0);
	w32(w, 0);
	w32(w, 262144);
	w32(w, linktype(o));
	return 0;
}

uint64_t capw_stored_ns(const struct capw_opts *o, uint64_t t_ns)
{
	return o->usec && !o->pcapng ? t_ns / 1000 * 1000 : t_ns;
}

void capw_frame(struct capw *w, uint64_t t_ns, const uint8_t *frame, uint32_t len,
		uint32_t wire_len)
{
	uint32_t cap = w->o.snaplen && len > w->o.snaplen ? w->o.snaplen : len;
	static const uint8_t zero[4];

	if (w->o.pcapng) {
		uint32_t pad = (4 - cap % 4) % 4, blen = 32 + cap + pad;

		w32(w, 6);		/* Enhanced Packet Block */
		w32(w, blen);
		w32(w, 0);
		w32(w, (uint32_t)(t_ns >> 32));
		w32(w, (uint32_t)t_ns);
		w32(w, cap);
		w32(w, wire_len);
		fwrite(frame, 1, cap, w->f);
		fwrite(zero, 1, pad, w->f);
		w32(w, blen);
	} else {
		w32(w, (uint32_t)(t_ns / 1000000000ULL));
		w32(w, (uint32_t)(w->o.usec ? t_ns % 1000000000ULL / 1000 : t_ns % 1000000000ULL));
		w32(w, cap);
		w32(w, wire_len);
		fwrite(frame, 1, cap, w->f);
	}
	w->records++;
}

static uint16_t ip_csum(const uint8_t *p, int n)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

void capw_udp(struct capw *w, uint64_t t_ns, const struct flow *fl,
	      const uint8_t *payload, uint32_t len)
{
	static uint8_t buf[70000];
	uint32_t off = 0, udp_len = 8 + len, ethertype = w->o.ipv6 ? 0x86dd : 0x0800;
	uint8_t *ip, *udp;

	switch (w->o.link) {
	case CAPW_ETH:
		memcpy(buf, "\x01\x00\x5e\x01\x02\x03", 6);
		memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
		off = 12;
		if (w->o.vlan_tags == 2) {
			put16be(buf + off, 0x88a8);
			put16be(buf + off + 2, 200);
			off += 4;
		}
		if (w->o.vlan_tags >= 1) {
			put16be(buf + off, 0x8100);
			put16be(buf + off + 2, 100);
			off += 4;
		}
		put16be(buf + off, (uint16_t)ethertype);
		off += 2;
		break;
	case CAPW_SLL:
		memset(buf, 0, 16);
		put16be(buf, 0);		/* to us */
		put16be(buf + 2, 1);		/* ARPHRD_ETHER */
		put16be(buf + 4, 6);
		memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
		put16be(buf + 14, (uint16_t)ethertype);
		off = 16;
		break;
	case CAPW_SLL2:
		memset(buf, 0, 20);
		put16be(buf, (uint16_t)ethertype);
		buf[7] = 2;			/* ifindex */
		put16be(buf + 8, 1);		/* ARPHRD_ETHER */
		buf[10] = 2;			/* multicast */
		buf[11] = 6;
		memcpy(buf + 12, "\x02\x00\x00\x00\x00\x01", 6);
		off = 20;
		break;
	case CAPW_RAW:
		break;
	}
	ip = buf + off;
	if (w->o.ipv6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16be(ip + 4, (uint16_t)udp_len);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, fl->src6, 16);
		memcpy(ip + 24, fl->dst6, 16);
		udp = ip + 40;
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16be(ip + 2, (uint16_t)(20 + udp_len));
		put16be(ip + 6, 0x4000);	/* DF */
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, fl->src4, 4);
		memcpy(ip + 16, fl->dst4, 4);
		put16be(ip + 10, ip_csum(ip, 20));
		udp = ip + 20;
	}
	put16be(udp, fl->sport);
	put16be(udp + 2, fl->dport);
	put16be(udp + 4, (uint16_t)udp_len);
	put16be(udp + 6, 0);
	memcpy(udp + 8, payload, len);
	off = (uint32_t)(udp + 8 + len - buf);
	capw_frame(w, t_ns, buf, off, off);
}

int capw_close(struct capw *w)
{
	int err = ferror(w->f);

	return fclose(w->f) || err ? -1 : 0;
}
