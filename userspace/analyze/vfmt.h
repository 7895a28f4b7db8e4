/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmt.h - the --video FMT syntax shared with st2110-send:
 *
 *   1080p59.94  576i50  2160p50  1080psf25  1280x720p60000/1001  3840x2160p50
 *
 * HEIGHT or WIDTHxHEIGHT, then the scan letter(s) p (progressive), i
 * (interlaced) or psf (segmented frame), then the rate: an integer, a
 * fraction N/D, or a decimal (a 1000/1001 rate when it is one written with
 * two decimals: 23.98, 29.97, 59.94, 119.88; else exact, 12.5 = 25/2).  As
 * in broadcast naming, the rate after 'i' is the FIELD rate (1080i59.94 is
 * 30000/1001 frames/s); after 'p' and 'psf' it is the frame rate.  Letters
 * may be upper case.  The same grammar as st2110-send's --video.
 */
#ifndef ANALYZE_VFMT_H
#define ANALYZE_VFMT_H

#include <linux/types.h>
#include <st2110/st2110.h>

struct vfmt {
	__u32 width_px;
	__u32 height_px;
	__u8 scan;			/* enum st2110_scan */
	struct st2110_rate rate;	/* FRAME rate, reduced */
};

/* 0, or -EINVAL with *reason set to a static explanation. */
int vfmt_parse(const char *s, struct vfmt *f, const char **reason);

/* "N" or "N/D" (SDP exactframerate); reduced; -EINVAL otherwise. */
int vfmt_parse_fraction(const char *s, size_t len, struct st2110_rate *r);

/* "1080p59.94" style name of a format, for reports. */
void vfmt_name(const struct vfmt *f, char *buf, size_t len);

#endif /* ANALYZE_VFMT_H */
