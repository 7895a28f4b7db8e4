/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmt.h - the --video FMT syntax of st2110-send and st2110-analyze:
 *
 *   1080p59.94  576i50  2160p50  1080psf25  1280x720p60000/1001  3840x2160p50
 *
 * HEIGHT or WIDTHxHEIGHT, then the scan letter(s) p (progressive), i
 * (interlaced) or psf (segmented frame), then the rate: an integer, a
 * fraction N/D, or a decimal (a 1000/1001 rate when it is within 0.005 of
 * one: 23.98, 29.97, 59.94, 119.88; else exact, 12.5 = 25/2).  As in
 * broadcast naming, the rate after 'i' is the FIELD rate (1080i59.94 is
 * 30000/1001 frames/s); after 'p' and 'psf' it is the frame rate.  Letters
 * may be upper case.  A bare height takes the usual raster's width (720
 * for 480/486/576, 1280, 1920, 3840, 7680).
 */
#ifndef ST2110_LIB_VFMT_H
#define ST2110_LIB_VFMT_H

#include <stddef.h>

#include <st2110/st2110.h>

/*
 * Sets width_px, height_px, scan and the reduced FRAME rate of *f and
 * nothing else (sampling, depth, ... keep the caller's defaults).  0, or
 * -EINVAL with *reason set to a static explanation; *f is then unchanged.
 * Whether the format can be scheduled is the timing core's question.
 */
int st2110_vfmt_parse(const char *s, struct st2110_video_fmt *f, const char **reason);

/* "N" or "N/D" (SDP exactframerate style), reduced; -EINVAL otherwise. */
int st2110_vfmt_parse_fraction(const char *s, size_t len, struct st2110_rate *r);

/* "1920x1080p59.94" style name of a format, for reports. */
void st2110_vfmt_name(const struct st2110_video_fmt *f, char *buf, size_t len);

#endif /* ST2110_LIB_VFMT_H */
