// SPDX-License-Identifier: GPL-2.0
/* mapread.c - classic pcap records read in place (see mapread.h). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapread.h"

#define PCAP_FILE_HDR_BYTES	24
#define PCAP_REC_HDR_BYTES	16
#define PCAP_MAGIC_US		0xa1b2c3d4U
#define PCAP_MAGIC_NS		0xa1b23c4dU
/*
 * Page tables are filled this far ahead in one call rather than by one
 * fault per 64 KiB (fault-around): a quarter of the CPU time on a page-
 * cached file.  A window, not the file: captures can be larger than RAM.
 */
#define POPULATE_WINDOW_BYTES	(32U << 20)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22	/* Linux 5.14; EINVAL before: ignored */
#endif
/* libpcap refuses larger records as corrupt; so do we */
#define PCAP_MAX_CAPLEN		262144U

static uint32_t rd32(const struct mapread *m, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return m->swapped ? __builtin_bswap32(v) : v;
}

uint32_t mapread_magic(const uint8_t *hdr, bool *swapped)
{
	uint32_t magic;

	memcpy(&magic, hdr, sizeof(magic));
	*swapped = magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS;
	if (*swapped)
		magic = __builtin_bswap32(magic);
	return magic == PCAP_MAGIC_US ? 1000 : magic == PCAP_MAGIC_NS ? 1 : 0;
}

int mapread_open(struct mapread *m, const char *path)
{
	struct stat st;
	void *map;
	int fd;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < PCAP_FILE_HDR_BYTES) {
		close(fd);
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	m->base = map;
	m->size = (size_t)st.st_size;
	m->subsec_ns = mapread_magic(m->base, &m->swapped);
	if (!m->subsec_ns) {
		mapread_close(m);	/* pcapng or not a capture: libpcap's */
		return -1;
	}
	m->off = PCAP_FILE_HDR_BYTES;
	madvise(map, m->size, MADV_SEQUENTIAL);
	return 0;
}

static void mapread_populate(struct mapread *m)
{
	size_t start = m->off & ~(size_t)(sysconf(_SC_PAGESIZE) - 1);
	size_t len = m->size - start < POPULATE_WINDOW_BYTES ? m->size - start :
		     POPULATE_WINDOW_BYTES;

	madvise((void *)(m->base + start), len, MADV_POPULATE_READ);
	m->populated = start + len;
}

int mapread_next(struct mapread *m, const struct pcap_pkthdr **h, const uint8_t **data)
{
	const uint8_t *r = m->base + m->off;
	size_t left = m->size - m->off;
	uint32_t caplen, subsec;

	if (!left)
		return 0;
	if (m->off >= m->populated)
		mapread_populate(m);
	if (left < PCAP_REC_HDR_BYTES) {
		snprintf(m->err, sizeof(m->err),
			 "truncated dump file; tried to read %d header bytes, only got %zu",
			 PCAP_REC_HDR_BYTES, left);
		return -1;
	}
	caplen = rd32(m, r + 8);
	if (caplen > PCAP_MAX_CAPLEN) {
		snprintf(m->err, sizeof(m->err),
			 "invalid packet capture length %u, bigger than maximum of %u",
			 caplen, PCAP_MAX_CAPLEN);
		return -1;
	}
	if (left - PCAP_REC_HDR_BYTES < caplen) {
		snprintf(m->err, sizeof(m->err),
			 "truncated dump file; tried to read %u captured bytes, only got %zu",
			 caplen, left - PCAP_REC_HDR_BYTES);
		return -1;
	}
	subsec = rd32(m, r + 4);
	m->hdr.ts.tv_sec = rd32(m, r);
	/* in ns, as libpcap gives it with PCAP_TSTAMP_PRECISION_NANO */
	m->hdr.ts.tv_usec = (suseconds_t)subsec * m->subsec_ns;
	m->hdr.caplen = caplen;
	m->hdr.len = rd32(m, r + 12);
	m->off += PCAP_REC_HDR_BYTES + caplen;
	*h = &m->hdr;
	*data = r + PCAP_REC_HDR_BYTES;
	return 1;
}

void mapread_close(struct mapread *m)
{
	if (m->base)
		munmap((void *)m->base, m->size);
	m->base = NULL;
}
