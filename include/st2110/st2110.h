/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * st2110.h - the ST 2110 timing core in one include.
 *
 *   rational.h  exact 64-bit helpers, frame rates, st2110_div64()
 *   rtp.h       RTP clock and header layout (ST 2110-10, RFC 3550/4175)
 *   video.h     formats, pgroups, GPM/BPM packetization (ST 2110-20)
 *   schedule.h  read schedule, drain grid, CMAX/VRXFULL (ST 2110-21)
 *   audio.h     PCM packet size and schedule (ST 2110-30)
 *
 * See Documentation/timing.md for the model and the arithmetic.
 */
#ifndef _ST2110_ST2110_H
#define _ST2110_ST2110_H

#include "rational.h"
#include "rtp.h"
#include "video.h"
#include "schedule.h"
#include "audio.h"

#endif /* _ST2110_ST2110_H */
