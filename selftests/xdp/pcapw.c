// SPDX-License-Identifier: GPL-2.0
/*
 * Nanosecond pcap writer for the XDP selftests (libpcap). Apart from the
 * rest: <pcap/pcap.h> and <linux/bpf.h> both define struct bpf_insn.
 */
#include <stdlib.h>
#include <pcap/pcap.h>

#include "pcapw.h"

struct pcapw {
	pcap_t *dead;
	pcap_dumper_t *dump;
};

struct pcapw *pcapw_open(const char *path)
{
	struct pcapw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
						       PCAP_TSTAMP_PRECISION_NANO);
	w->dump = w->dead ? pcap_dump_open(w->dead, path) : NULL;
	if (!w->dump) {
		if (w->dead)
			pcap_close(w->dead);
		free(w);
		return NULL;
	}
	return w;
}

void pcapw_write(struct pcapw *w, unsigned long long t_ns, const void *frame, unsigned int len)
{
	struct pcap_pkthdr h;

	h.ts.tv_sec = t_ns / 1000000000ULL;
	h.ts.tv_usec = t_ns % 1000000000ULL;	/* ns: the dumper's precision */
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)w->dump, &h, frame);
}

void pcapw_close(struct pcapw *w)
{
	if (!w)
		return;
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
	free(w);
}
