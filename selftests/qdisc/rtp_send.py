#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rtp_send.py - RTP packets whose timestamps are off the PTP schedule.

st2110-send always stamps the schedule; the fault tests need a sender that
falls behind or jumps in RTP time, so this one stamps what it is told:

  rtp_send.py DST PORT audio OFFSET_NS COUNT   48 kHz, 1 ms packets: COUNT
        packets back to back, the first stamped with the sampling instant
        now + OFFSET_NS (negative: behind), the next ones 1 ms apart; DST
        may be a comma-separated list: each packet goes to each in turn
  rtp_send.py DST PORT video OFFSET_FRAMES COUNT [SECS]   640x360p50
        frames of COUNT packets (marker on the last) stamped with frame
        floor(now / 20 ms) + OFFSET_FRAMES; with SECS, one such frame every
        20 ms for SECS seconds

  rtp_send.py DST PORT audio-clock PPM SECS   48 kHz, 1 ms packets from a
        sender whose sample clock is not PTP locked: random RTP origin, one
        packet every 1 ms / (1 + PPM / 1e6) of CLOCK_TAI (PPM > 0: the
        sender runs fast, < 0: slow) for SECS seconds

Times are CLOCK_TAI, as the qdisc's.  Prints "sent N" on success.
"""
import random
import socket
import struct
import sys
import time

AUDIO_HZ = 48000
AUDIO_SPP = 48			# 1 ms at 48 kHz
VIDEO_HZ = 90000
TFRAME_NS = 20000000		# 50 frames/s
PAYLOAD = 1200


def tai_ns():
    return time.clock_gettime_ns(time.CLOCK_TAI)


def rtp(seq, ts, marker, payload):
    return struct.pack("!BBHII", 0x80, 96 | (0x80 if marker else 0),
                       seq & 0xffff, ts & 0xffffffff, 0x2110) + payload


def main(argv):
    if len(argv) < 6:
        sys.exit(__doc__)
    dst, port, kind = argv[1], int(argv[2]), argv[3]
    off = int(argv[4])
    count = float(argv[5]) if kind == "audio-clock" else int(argv[5])
    secs = float(argv[6]) if len(argv) > 6 else 0
    dsts = dst.split(",")
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 24)
    sent = 0
    seq = 0
    if kind == "audio":
        k = (tai_ns() + off) * AUDIO_HZ // 10**9 // AUDIO_SPP
        for i in range(count):
            for d in dsts:
                s.sendto(rtp(seq, (k + i) * AUDIO_SPP, False, bytes(288)), (d, port))
                sent += 1
            seq += 1
    elif kind == "video":
        end = tai_ns() + int(secs * 1e9)
        while True:
            now = tai_ns()
            n = now // TFRAME_NS + off
            for j in range(count):
                # ST 2110-20 payload header: ESN, one SRD (length, row, offset)
                pay = struct.pack("!HHHH", seq >> 16, PAYLOAD, 0, 0) + bytes(PAYLOAD)
                s.sendto(rtp(seq, n * (TFRAME_NS * VIDEO_HZ // 10**9), j == count - 1,
                             pay), (dst, port))
                seq += 1
                sent += 1
            if not secs or tai_ns() >= end:
                break
            nxt = (now // TFRAME_NS + 1) * TFRAME_NS
            time.sleep(max(0, nxt - tai_ns()) / 1e9)
    elif kind == "audio-clock":
        # off: PPM, count: SECS
        period = 10**6 * 10**6 / (10**6 + off)	# ns per packet
        ts0 = random.getrandbits(32)
        start = tai_ns()
        n = int(count * 10**9 / period)
        for i in range(n):
            wait = start + int(i * period) - tai_ns()
            if wait > 0:
                time.sleep(wait / 1e9)
            s.sendto(rtp(seq, ts0 + i * AUDIO_SPP, False, bytes(288)), (dst, port))
            seq += 1
            sent += 1
    else:
        sys.exit("kind must be audio, audio-clock or video")
    print("sent %d" % sent)


if __name__ == "__main__":
    main(sys.argv)
