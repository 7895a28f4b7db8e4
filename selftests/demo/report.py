#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make demo's verdict: read what chain.sh left in DIR and judge it.

  report.py DIR              print the tables, exit 0 only if everything passed
  report.py --local DEV DIR  the same for dev.sh's capture of what left DEV
  report.py decode PCAP GROUP PORT OUT   (internal: runs in a private netns)

Prints the sender's qdisc statistics per stream, the XDP flow tables of the
router and both receivers, st2110-analyze's verdict for video and audio at
each receiver, and the frames GStreamer's rtpvrawdepay decoded from each
receiver's capture. Every check that fails is listed at the end.
"""
import json
import os
import struct
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
B = os.environ.get("O", os.path.join(TOP, "build"))
ANALYZE = os.path.join(B, "st2110-analyze")
RX_CHECK = os.path.join(B, "selftests", "send", "rx_check")
RECEIVERS = [("A", "vra", "rx-a.pcap"), ("B", "vrb", "rx-b.pcap")]
# Audio pacing is judged where it is made: the qdisc's release error of the
# audio class, p99 within AUDIO_RELEASE_P99_NS (a power-of-two histogram
# bound, under 10 % of the 1 ms packet time).  Here the audio shares the
# guest's one vCPU with the video bursts, the router and both receivers (one
# 0.4 s smoke run: p99 16-33 us); the qdisc suite asserts p99 < 20 us for
# audio with best effort and video beside it under icount.
AUDIO_RELEASE_P99_NS = 65536
# At the receivers, two emulated hops later on the guest's one vCPU, the
# processing of a video burst can hold one audio packet back by ~100 us, so
# there each arrival interval only has to be within half a packet time of
# it: a packet merged with its neighbour or held for a slot is 100 % off.
AUDIO_INTERVAL_TOL = 0.50

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


def kv_file(path):
    """st2110_ctl's 'key value' lines as a dict."""
    d = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            d[k] = v
    return d


def flows_file(path):
    """demo_xdp's 'k=v k="v w"' lines as a list of dicts."""
    rows = []
    with open(path) as f:
        for line in f:
            row, rest = {}, line.strip()
            while rest:
                k, _, rest = rest.partition("=")
                if rest.startswith('"'):
                    v, _, rest = rest[1:].partition('"')
                else:
                    v, _, rest = rest.partition(" ")
                row[k.strip()] = v
                rest = rest.lstrip()
            rows.append(row)
    return rows


def us(ns):
    return "%.1f us" % (ns / 1000.0) if ns >= 1000 else "%d ns" % ns


def hist_bound(hist, q):
    """Upper bound of the bucket holding quantile q (bucket 0: 0 ns,
    bucket k: [2^(k-1), 2^k) ns)."""
    total = sum(hist)
    if not total:
        return None
    seen = 0
    for k, c in enumerate(hist):
        seen += c
        if seen * 1.0 >= q * total and c:
            return 0 if k == 0 else (1 << k)
    return 1 << (len(hist) - 1)


def hist_max(hist):
    for k in range(len(hist) - 1, -1, -1):
        if hist[k]:
            return 0 if k == 0 else (1 << k)
    return None


def fmt_bound(b):
    if b is None:
        return "-"
    return "0" if b == 0 else "<" + us(b)


def section(title):
    print("\n" + title)


def qdisc_classes(d):
    """{kind: (classid, xstats-like dict, drops)} from `st2110 -s -j stream
    show` when the CLI configured the qdisc, else from st2110_ctl's files."""
    res = {}
    path = os.path.join(d, "qdisc-streams.json")
    if os.path.exists(path):
        with open(path) as f:
            for c in json.load(f):
                kind = "video" if "video" in c else "audio" if "audio" in c else None
                if kind:
                    x = dict(c["xstats"])
                    x["err_hist"] = x.get("release_err_hist", [])
                    res[kind] = (c["classid"], x, int(c["stats"]["drops"]) + int(x["drops"]))
        return res, "st2110 -s stream show"
    for kind in ("video", "audio"):
        path = os.path.join(d, "qdisc-%s.txt" % kind)
        if os.path.exists(path):
            q = kv_file(path)
            q["err_hist"] = [int(x) for x in q.get("err_hist", "").split(",") if x]
            res[kind] = (q.get("classid", "?"), q,
                         int(q.get("class_drops", 0)) + int(q.get("dropped", 0)))
    return res, "st2110_ctl class-show"


def have_qdisc(d):
    return any(os.path.exists(os.path.join(d, f))
               for f in ("qdisc-streams.json", "qdisc-video.txt"))


def qdisc_table(d, sent):
    classes, src = qdisc_classes(d)
    section("sch_st2110 on the sender's veth (vsnd), per stream class (%s):" % src)
    print("  %-6s %-5s %9s %7s %6s %6s  %s" % ("stream", "class", "packets", "frames", "late",
                                             "drops", "release error p50 / p99 / max"))
    for kind in ("video", "audio"):
        if not check(kind in classes, "qdisc: no statistics for the %s class" % kind):
            continue
        classid, q, drops = classes[kind]
        hist = [int(x) for x in q["err_hist"]]
        paced, late = int(q.get("paced_pkts", 0)), int(q.get("late_pkts", 0))
        print("  %-6s %-5s %9d %7s %6d %6d  %s / %s / %s" % (
            kind, classid, paced, q.get("frames", "?"), late, drops,
            fmt_bound(hist_bound(hist, 0.5)), fmt_bound(hist_bound(hist, 0.99)),
            fmt_bound(hist_max(hist))))
        want = sent.get(kind, {}).get("packets")
        check(paced == want, "qdisc %s class paced %d packets, the sender wrote %s" %
              (kind, paced, want))
        check(late == 0, "qdisc %s class: %d late packets" % (kind, late))
        p99 = hist_bound(hist, 0.99)
        if kind == "audio":
            check(p99 is not None and p99 <= AUDIO_RELEASE_P99_NS,
                  "qdisc audio class: release error p99 %s, want <= %s" %
                  (fmt_bound(p99), us(AUDIO_RELEASE_P99_NS)))
        check(drops == 0, "qdisc %s class: %d drops" % (kind, drops))
    print("  (release error: dequeue time - scheduled release time, as power-of-two"
          " histogram bounds)")


def xdp_flows(d, dev):
    """Flows measured on DEV: `st2110 -s -j flow show` JSON when the CLI
    ran the chain, else demo_xdp's key=value lines."""
    path = os.path.join(d, "xdp-%s.json" % dev)
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f), "st2110 -s flow show"
    path = os.path.join(d, "xdp-%s.txt" % dev)
    if not os.path.exists(path):
        return [], None
    rows = flows_file(path)
    for r in rows:
        r["group"] = r["flow"].split()[0]
        r["frames"] = r["markers"]
    return rows, "demo_xdp flows"


def xdp_tables(d, sent, groups):
    where = (("router rin (in)", "rin"), ("receiver A vra", "vra"), ("receiver B vrb", "vrb"))
    tables = [(label, dev) + xdp_flows(d, dev) for label, dev in where]
    src = [t[3] for t in tables if t[3]]
    section("XDP flows (st2110 XDP program, per-flow RTP measurement; %s):" %
            (src[0] if src else "no statistics"))
    print("  %-16s %-20s %8s %5s %5s %5s %6s %9s  %s" % (
        "where", "flow", "packets", "lost", "reord", "dups", "frames", "jitter",
        "ST 2110-21 at XDP: CINST/VRX peak, frames over N"))
    for label, dev, rows, _ in tables:
        check(rows, "XDP on %s: no flow measured" % dev)
        for kind in ("video", "audio"):
            r = [x for x in rows if x["group"] == groups[kind]]
            if not check(r, "XDP on %s: no %s flow" % (dev, kind)):
                continue
            r = r[0]
            rx = r.get("rx") if kind == "video" else None
            model = "-"
            if rx and rx.get("frames"):
                model = "%s/%s, %s" % (rx["cinst_peak"], rx["vrx_peak"],
                                       max(rx["frames_over_cmax"], rx["frames_over_vrx"]))
            print("  %-16s %-20s %8s %5s %5s %5s %6s %9s  %s" % (
                label, "%s %s" % (kind, groups[kind]), r["packets"], r["lost"], r["reordered"],
                r["duplicates"], r["frames"] if kind == "video" else "-",
                us(int(r["jitter_ns"])), model))
            want = sent.get(kind, {}).get("packets")
            check(int(r["packets"]) == want and int(r["lost"]) == 0,
                  "XDP on %s: %s flow %s packets, %s lost (sent %s)" %
                  (dev, kind, r["packets"], r["lost"], want))
            label = ""
    print("  (the router replicates both groups to ra and rb with one devmap broadcast;"
          " jitter: RFC 3550 on XDP arrival times)")


def analyze(d, pcap, tai):
    cmd = [ANALYZE, "-j", "--tai-offset", str(tai), "--sdp", os.path.join(d, "video.sdp"),
           "--sdp", os.path.join(d, "audio.sdp"), os.path.join(d, pcap)]
    txt = subprocess.run(cmd[:1] + cmd[2:], capture_output=True, text=True)
    with open(os.path.join(d, pcap.replace(".pcap", "-report.txt")), "w") as f:
        f.write(txt.stdout + txt.stderr)
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(d, pcap.replace(".pcap", "-report.json")), "w") as f:
        f.write(p.stdout)
    if p.returncode not in (0, 1) or not p.stdout:
        check(False, "st2110-analyze %s failed: %s" % (pcap, p.stderr.strip()))
        return None
    return json.loads(p.stdout)


def analyzer_table(d, sent, groups):
    section("st2110-analyze at each receiver (capture timestamps, strict ST 2110-21 model):")
    tai = int(open(os.path.join(d, "tai.txt")).read().strip() or 0)
    for name, dev, pcap in RECEIVERS:
        rep = analyze(d, pcap, tai)
        if not rep:
            continue
        streams = {s["dst"]: s for s in rep["streams"]}
        v = streams.get(groups["video"], {}).get("video")
        if check(v, "receiver %s: no video stream in %s" % (name, pcap)):
            fr = v["frames"]
            vd = v["verdict"]
            st = v["strict"]
            print("  %s video  %s: Type %s (declared %s: %s), CINST peak %d, VRX %d..%d,"
                  " frames %d/%d complete, lost %d" % (
                      name, groups["video"], vd["best_type"], vd["declared_tp"],
                      "met" if vd["meets_declared_tp"] else "NOT met", st["cinst_peak_pkts"],
                      st["gapped"]["vrx_min_pkts"], st["gapped"]["vrx_max_pkts"],
                      fr["complete"], sent["video"]["frames"], v["sequence"]["lost_pkts"]))
            check(vd["best_type"] == "N", "receiver %s video: verdict %s, not N" %
                  (name, vd["best_type"]))
            check(fr["complete"] == sent["video"]["frames"] and fr["incomplete"] == 0,
                  "receiver %s video: %d complete frames of %d sent" %
                  (name, fr["complete"], sent["video"]["frames"]))
        a = streams.get(groups["audio"], {}).get("audio")
        if check(a, "receiver %s: no audio stream in %s" % (name, pcap)):
            pt = a["packet_time_ns"]
            iv = a["interval_ns"]
            npk = streams[groups["audio"]]["packets"]
            dev_ns = max(abs(iv["max"] - pt), abs(pt - iv["min"])) if iv.get("samples") else 0
            ok = (a["sequence"]["lost_pkts"] == 0 and a["rtp_step_unexpected"] == 0 and
                  npk == sent["audio"]["packets"] and dev_ns <= pt * AUDIO_INTERVAL_TOL)
            print("  %s audio  %s: %s, %d/%d packets, lost %d, packet time %s, interval"
                  " %s..%s, RTP steps off %d" % (
                      name, groups["audio"], "paced (intervals within 50 % of the packet time)"
                      if ok else "FAIL", npk, sent["audio"]["packets"],
                      a["sequence"]["lost_pkts"], us(pt), us(iv.get("min", 0)),
                      us(iv.get("max", 0)), a["rtp_step_unexpected"]))
            check(ok, "receiver %s audio: lost %d, unexpected RTP steps %d, packets %d of %d,"
                  " interval off by up to %s" % (name, a["sequence"]["lost_pkts"],
                                                 a["rtp_step_unexpected"], npk,
                                                 sent["audio"]["packets"], us(dev_ns)))
    print("  (full reports: %s)" % ", ".join(p.replace(".pcap", "-report.txt")
                                            for _, _, p in RECEIVERS))


def read_pcap(path):
    """(ts, udp dst addr, dst port, payload) of each IPv4 UDP frame."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        et, l2 = struct.unpack("!H", pkt[12:14])[0], 14
        while et in (0x8100, 0x88a8):
            et, l2 = struct.unpack("!H", pkt[l2 + 2:l2 + 4])[0], l2 + 4
        if et != 0x0800 or pkt[l2 + 9] != 17:
            continue
        ihl = (pkt[l2] & 15) * 4
        dst = ".".join(str(b) for b in pkt[l2 + 16:l2 + 20])
        u = l2 + ihl
        dport, ulen = struct.unpack("!HH", pkt[u + 2:u + 6])
        yield dst, dport, pkt[u + 8:u + ulen]


def video_sdp(d):
    """(payload type, fmtp parameters) of the video SDP st2110-send wrote."""
    with open(os.path.join(d, "video.sdp")) as f:
        sdp = f.read()
    fmtp = dict(x.strip().split("=", 1) for x in sdp.split("a=fmtp:")[1].split(" ", 1)[1]
                .splitlines()[0].split(";") if "=" in x)
    return int(sdp.split("a=rtpmap:")[1].split()[0]), fmtp


def decode(pcap, group, port, out):
    """In a private netns: GStreamer receives the capture's video payloads
    on loopback and writes the frames rtpvrawdepay produces to OUT."""
    import socket
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    pt, fmtp = video_sdp(os.path.dirname(os.path.abspath(pcap)))
    payloads = [p for dst, dp, p in read_pcap(pcap) if dst == group and dp == int(port)]
    caps = ("application/x-rtp,media=(string)video,clock-rate=(int)90000,"
            "encoding-name=(string)RAW,sampling=(string)%s,depth=(string)%s,width=(string)%s,"
            "height=(string)%s,colorimetry=(string)%s,payload=(int)%d" % (
                fmtp["sampling"], fmtp["depth"], fmtp["width"], fmtp["height"],
                fmtp.get("colorimetry", "BT709"), pt))
    gst = subprocess.Popen(["gst-launch-1.0", "-q", "udpsrc", "port=%s" % port,
                            "buffer-size=4194304", "num-buffers=%d" % len(payloads),
                            "caps=" + caps, "!", "rtpvrawdepay", "!", "filesink",
                            "location=" + out], stdout=subprocess.DEVNULL)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(200):	# until udpsrc has bound its port
        if udp_queue(port) is not None:
            break
        time.sleep(0.05)
    for p in payloads:
        s.sendto(p, ("127.0.0.1", int(port)))
        # after each frame, wait until GStreamer has read it: a busy host
        # must not make the socket drop what the capture holds
        if p[1] & 0x80:
            for _ in range(2000):
                q = udp_queue(port)
                if not q or not q[0]:
                    break
                time.sleep(0.005)
    try:
        return gst.wait(timeout=30)
    except subprocess.TimeoutExpired:
        gst.kill()
        q = udp_queue(port)
        print("gst-launch did not finish; udpsrc socket drops %s" % (q and q[1]),
              file=sys.stderr)
        return 124


def udp_queue(port):
    """(rx_queue bytes, drops) of the UDP socket bound to PORT, or None."""
    with open("/proc/net/udp") as f:
        for line in f.readlines()[1:]:
            x = line.split()
            if x[1].endswith(":%04X" % int(port)):
                return int(x[4].split(":")[1], 16), int(x[-1])
    return None


def decoder_table(d, sent, groups):
    section("GStreamer (rtpvrawdepay, third-party decoder) on each receiver's captured video:")
    fmt = "unknown"
    have = subprocess.run(["gst-inspect-1.0", "rtpvrawdepay"], capture_output=True).returncode == 0
    if not check(have, "gst-inspect-1.0 rtpvrawdepay: GStreamer or its good plugins missing"):
        print("  gst-launch-1.0 or rtpvrawdepay missing (apt-get install gstreamer1.0-tools"
              " gstreamer1.0-plugins-good)")
        return
    for name, dev, pcap in RECEIVERS:
        raw = os.path.join(d, pcap.replace(".pcap", "-decoded.raw"))
        if os.path.exists(raw):
            os.unlink(raw)
        rc = subprocess.run(["unshare", "-n", "--", sys.executable, os.path.abspath(__file__),
                             "decode", os.path.join(d, pcap), groups["video"], "5004", raw],
                            capture_output=True, text=True)
        size = os.path.getsize(raw) if os.path.exists(raw) else 0
        # rtpvrawdepay writes 4:2:2 10 bit as UYVP (5 bytes per 2 pixels),
        # each row rounded up to 4 bytes
        _, fmtp = video_sdp(d)
        w, h = int(fmtp["width"]), int(fmtp["height"])
        rate = fmtp["exactframerate"] if "/" in fmtp["exactframerate"] else \
            fmtp["exactframerate"] + "/1"
        stride = (w // 2 * 5 + 3) & ~3
        frames = size // (stride * h)
        fmt = "UYVP %dx%d" % (w, h)
        extra = ""
        if frames and os.access(RX_CHECK, os.X_OK):
            c = subprocess.run([RX_CHECK, "--raw", raw, "--size", "%dx%d" % (w, h), "--rate", rate,
                                "--depth", "10", "--frames", str(frames)], capture_output=True,
                               text=True)
            bars = "ok" if "colour bars" in c.stdout and c.returncode == 0 else "NOT recognised"
            extra = ", test pattern %s (rx_check)" % bars
            check(c.returncode == 0, "receiver %s: decoded frames do not show the test pattern:"
                  " %s" % (name, c.stdout.strip().replace("\n", "; ")))
        print("  %s: %d frames decoded (%s, %d bytes, gst-launch exit %d)%s" % (
            name, frames, fmt, size, rc.returncode, extra))
        check(rc.returncode == 0, "receiver %s: gst-launch exit %d: %s" %
              (name, rc.returncode, rc.stderr.strip()))
        check(frames == sent["video"]["frames"], "receiver %s: GStreamer decoded %d frames of %d"
              " sent" % (name, frames, sent["video"]["frames"]))


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "decode":
        sys.exit(decode(*sys.argv[2:]))
    local = None
    if len(sys.argv) == 4 and sys.argv[1] == "--local":
        local = sys.argv[2]
        RECEIVERS[:] = [(local, local, "rx-a.pcap")]
        del sys.argv[1:3]
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    d = sys.argv[1]
    sent = {}
    for kind in ("video", "audio"):
        try:
            sent[kind] = json.load(open(os.path.join(d, "send-%s.json" % kind)))
        except (OSError, ValueError) as e:
            print("report: no sender statistics for %s: %s" % (kind, e), file=sys.stderr)
            sys.exit(1)
    groups = {}
    for kind in ("video", "audio"):
        sdp = open(os.path.join(d, "%s.sdp" % kind)).read()
        groups[kind] = sdp.split("c=IN IP4 ")[1].split("/")[0].split()[0]
    print("senders (st2110-send, burst mode): video %d frames = %d packets, audio %d packets" % (
        sent["video"]["frames"], sent["video"]["packets"], sent["audio"]["packets"]))
    if have_qdisc(d):
        qdisc_table(d, sent)
    else:
        section("sch_st2110: not on the path in this run (--qdisc none)")
    if not local:
        xdp_tables(d, sent, groups)
    analyzer_table(d, sent, groups)
    decoder_table(d, sent, groups)
    print()
    if failures:
        print("FAILED checks:")
        for f in failures:
            print("  - " + f)
        sys.exit(1)
    print("all checks passed: pacing, %s, audio paced, every frame decoded" %
          ("Type N on the capture of %s" % local if local else
           "replication, Type N at both receivers"))


if __name__ == "__main__":
    main()
