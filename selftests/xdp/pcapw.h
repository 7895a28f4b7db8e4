/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ST2110_XDP_PCAPW_H
#define ST2110_XDP_PCAPW_H

struct pcapw;

struct pcapw *pcapw_open(const char *path);
void pcapw_write(struct pcapw *w, unsigned long long t_ns, const void *frame, unsigned int len);
void pcapw_close(struct pcapw *w);

#endif
