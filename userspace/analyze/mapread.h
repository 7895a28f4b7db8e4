/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mapread.h - classic pcap records read in place from a mapped file.
 *
 * libpcap's file reader copies every record twice (read() into a stdio
 * buffer, then fread() into its own buffer); on full-size video packets
 * that copying was more than half of the analyzer's CPU time, for bytes it
 * never looks at past the SRD headers.  For a regular file in the classic
 * pcap format (µs or ns, either byte order) the analyzer maps the file and
 * walks the records here: a record's data is a pointer into the mapping,
 * and only the cache lines the decoder reads are touched.
 *
 * libpcap still opens the file first (it validates the header and gives
 * the link type); pcapng, pipes and stdin stay with libpcap's reader.
 * Timestamps come back in ns, as libpcap gives them with
 * PCAP_TSTAMP_PRECISION_NANO; a record cut short by the end of the file
 * is an error with libpcap's wording.
 */
#ifndef ANALYZE_MAPREAD_H
#define ANALYZE_MAPREAD_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mapread {
	const uint8_t *base;
	size_t size;
	size_t off;			/* of the next record header */
	size_t populated;		/* page tables filled up to here */
	bool swapped;			/* file written in the other byte order */
	uint32_t subsec_ns;		/* ns per sub-second unit: 1000 (µs) or 1 */
	struct pcap_pkthdr hdr;
	char err[PCAP_ERRBUF_SIZE];
};

/*
 * The classic pcap magic in a file's first 4 bytes: ns per timestamp
 * sub-second unit (1000 for µs, 1 for ns), *swapped if the file was
 * written in the other byte order; 0 if it is not classic pcap (pcapng).
 */
uint32_t mapread_magic(const uint8_t *hdr, bool *swapped);

/* 0 if path is a classic pcap regular file now mapped, else -1 (use libpcap). */
int mapread_open(struct mapread *m, const char *path);

/*
 * The next record: 1 with *h and *data (valid until mapread_close()), 0 at
 * the end of the file, -1 with m->err set for a truncated or corrupt record.
 */
int mapread_next(struct mapread *m, const struct pcap_pkthdr **h, const uint8_t **data);

void mapread_close(struct mapread *m);

#endif /* ANALYZE_MAPREAD_H */
