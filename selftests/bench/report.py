#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py pacing|scale DIR - tables, JSON and histograms of a benchmark run.

Reads what pacing.sh / scale.sh left in DIR (one subdirectory per run: the
receiver's capture rx.pcap, the sender's statistics send.json, meta.json)
and writes DIR/results.json, DIR/table.txt and DIR/*.png (gnuplot).

Two judges look at every video capture:
  - st2110-analyze -j (the project's analyzer): strict peak CINST, VRX,
    late packets over the steady state (first and last frame left out:
    the sender process starting and exiting is not the pacer);
  - this script, per packet and per frame, with the same exact schedule
    (the analyzer's rationals: TFRAME, TRS, TROFFSET): release error
    t - TPR_j on the gapped schedule and, per frame, the Type N verdict
    (all NPACKETS packets, strict CINST <= CMAX, VRX <= VRXFULL, none
    after its TPR_j).  Exact integer/rational arithmetic throughout.
Audio has no ST 2110-21 schedule: its release error is the arrival minus
the time the pacer was asked for (sch_st2110: (k + 1) packet times +
TROFFSET; etf: the txtime = k packet times; the others: the write time
k packet times), and a packet is late when it arrives more than one packet
time after that.
"""
import json
import os
import struct
import subprocess
import sys
from fractions import Fraction as Fr

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("O", os.path.join(TOP, "build"))
ANALYZE = os.path.join(BUILD, "st2110-analyze")
NS = 10**9
ETH_IP_UDP = 14 + 20 + 8


def read_pcap(path):
    """(t_ns, dst_ip, dst_port, seq, ts, marker) of each RTP packet."""
    raw = open(path, "rb").read()
    if len(raw) < 24:
        return []
    magic = struct.unpack("<I", raw[:4])[0]
    nano = magic == 0xa1b23c4d
    out, off = [], 24
    while off + 16 <= len(raw):
        sec, frac, incl, _ = struct.unpack("<IIII", raw[off:off + 16])
        p = raw[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(p) < ETH_IP_UDP + 12 or p[12:14] != b"\x08\x00":
            continue
        ihl = (p[14] & 15) * 4
        u = 14 + ihl
        r = u + 8
        if len(p) < r + 12:
            continue
        dst = ".".join(str(b) for b in p[30:34])
        dport = struct.unpack(">H", p[u + 2:u + 4])[0]
        seq, ts = struct.unpack(">HI", p[r + 2:r + 8])
        t = sec * NS + (frac if nano else frac * 1000)
        out.append((t, dst, dport, seq, ts, p[r + 1] >> 7))
    return out


def write_pcap_subset(src, dst, keep):
    """Copy the records of src whose index is in keep (a range)."""
    raw = open(src, "rb").read()
    recs, off = [], 24
    while off + 16 <= len(raw):
        incl = struct.unpack("<I", raw[off + 8:off + 12])[0]
        recs.append(raw[off:off + 16 + incl])
        off += 16 + incl
    with open(dst, "wb") as f:
        f.write(raw[:24] + b"".join(recs[i] for i in keep))


def analyze(pcap, sdp, tai_s, extra=()):
    cmd = [ANALYZE, "-j", "--tai-offset", str(tai_s)]
    if sdp:
        cmd += ["--sdp", sdp]
    cmd += list(extra) + [pcap]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1) or not r.stdout.strip():
        return None
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


def pct(vals, p):
    """Nearest-rank percentile of a sorted list."""
    if not vals:
        return None
    k = max(0, -(-p * len(vals) // 100) - 1)
    return vals[min(k, len(vals) - 1)]


def rat(s):
    return Fr(s) if "/" in str(s) else Fr(int(s))


def unwrap(ts, ref, mod=1 << 32):
    """The value congruent to ts mod 2^32 nearest to ref."""
    d = (ts - ref) % mod
    if d >= mod // 2:
        d -= mod
    return ref + d


def video_judge(pkts, v, tai_ns):
    """Per-packet release error and per-frame Type N over one stream.

    pkts: (t_ns, seq, ts, marker) in arrival order; v: the analyzer's video
    object (its schedule and limits)."""
    sch = v["schedule"]
    tframe, trs, troff = rat(sch["tframe_ns"]), rat(sch["trs_gapped_ns"]), rat(sch["troffset_ns"])
    npk = v["npackets"]
    cmax, vrxfull = v["limits"]["cmax_n_pkts"], v["limits"]["vrx_full_n_pkts"]
    tdrain = tframe * 10 / (11 * npk)
    frames = {}
    for t, seq, ts, m in pkts:
        t += tai_ns
        ticks = unwrap(ts, t * 90000 // NS)
        n = int(round(Fr(ticks * NS, 90000) / tframe))
        frames.setdefault(n, []).append((t, seq, m))
    order = sorted(frames)
    if len(order) < 3:
        return None
    errs, late, nframes, n_ok = [], 0, 0, 0
    c, kprev = 0, None
    cpeak = 0
    for n in order:
        fr = frames[n]
        mk = [s for _, s, m in fr if m]
        last = mk[0] if mk else max(s for _, s, _ in fr)
        tvd = n * tframe + troff
        fpeak, vmax, flate, idx = 0, None, 0, set()
        for t, s, _ in fr:
            j = npk - 1 - ((last - s) % 65536)
            if j < 0:
                continue
            idx.add(j)
            tpr = tvd + j * trs
            e = t - tpr
            # CINST: the epoch drain grid, one continuous bucket
            k = int(Fr(t) / tdrain)
            c = 1 if kprev is None else max(0, c - (k - kprev)) + 1
            kprev = k
            fpeak = max(fpeak, c)
            reads = min(npk, max(0, int((Fr(t) - tvd) // trs) + 1))
            vrx = j + 1 - reads
            vmax = vrx if vmax is None else max(vmax, vrx)
            if e > 0:
                flate += 1
            if n not in (order[0], order[-1]):
                errs.append(int(e))
        cpeak = max(cpeak, fpeak)
        if n in (order[0], order[-1]):
            continue	# the sender starting and exiting: not the pacer
        nframes += 1
        late += flate
        if len(idx) == npk and fpeak <= cmax and vmax <= vrxfull and not flate:
            n_ok += 1
    errs.sort()
    return {"frames": nframes, "frames_type_n": n_ok,
            "pct_type_n": round(100.0 * n_ok / nframes, 1) if nframes else None,
            "late_pkts": late, "cinst_peak_pkts": cpeak,
            "err_ns": errs}


def audio_judge(pkts, rate_hz, spp, offset_ns, tai_ns):
    ptime = Fr(spp * NS, rate_hz)
    errs = []
    for t, seq, ts, m in pkts:
        t += tai_ns
        ticks = unwrap(ts, t * rate_hz // NS)
        target = Fr(ticks * NS, rate_hz) + offset_ns
        errs.append(int(t - target))
    errs.sort()
    late = sum(1 for e in errs if e > ptime)
    return {"late_pkts": late, "err_ns": errs}


def us(v):
    return "-" if v is None else "%.1f" % (v / 1000.0)


def cpu_per_pkt(meta, send, pkts):
    """(guest CPU ns outside idle less tcpdump's, the sender's own) per packet"""
    if not pkts:
        return None, None
    busy = None
    if "busy_ns" in meta:
        busy = (meta["busy_ns"] - meta["tcpdump_ns"]) // pkts
    snd = send["cpu_ns"] // pkts if send and "cpu_ns" in send else None
    return busy, snd


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def one_run(d):
    """Judge one run directory; a dict of figures (or a skip reason)."""
    meta = load_json(os.path.join(d, "meta.json"))
    skip = os.path.join(d, "skip")
    if os.path.exists(skip):
        return {"skip": open(skip).read().strip()}
    if not meta:
        return {"skip": "no meta.json (the run did not finish)"}
    send = load_json(os.path.join(d, "send.json")) or {}
    pcap = os.path.join(d, "rx.pcap")
    sdp = os.path.join(d, "stream.sdp")
    tai = meta["tai_offset_s"]
    pk = read_pcap(pcap)
    res = {"pacer": meta["pacer"], "media": meta["media"], "sent_pkts": send.get("packets"),
           "captured_pkts": len(pk), "sender_late_pkts": send.get("late_pkts"),
           "sender_skipped": send.get("skipped_frames"),
           "error": meta.get("error") or None}
    res["lost_pkts"] = (send.get("packets") or 0) - len(pk)
    busy, snd = cpu_per_pkt(meta, send, send.get("packets") or len(pk))
    res["cpu_ns_per_pkt"] = busy
    res["sender_cpu_ns_per_pkt"] = snd
    if meta["media"] == "video":
        # the steady state for the analyzer: without the first and last frame
        marks = [i for i, p in enumerate(pk) if p[5]]
        a_all = analyze(pcap, sdp, tai)
        if len(marks) >= 3:
            steady = os.path.join(d, "steady.pcap")
            write_pcap_subset(pcap, steady, range(marks[0] + 1, marks[-2] + 1))
            a = analyze(steady, sdp, tai)
            os.unlink(steady)
        else:
            a = a_all
        if not a or not a.get("streams"):
            res["skip"] = "st2110-analyze found no stream"
            return res
        v = a["streams"][0].get("video") or {}
        if not v.get("timing") or "strict" not in v:
            res["skip"] = "st2110-analyze: no timing analysis (%s)" % (
                v.get("timing_error") or "too few frames")
            return res
        res["analyzer"] = {"cinst_peak_pkts": v["strict"]["cinst_peak_pkts"],
                           "vrx_min_pkts": v["strict"]["gapped"]["vrx_min_pkts"],
                           "vrx_max_pkts": v["strict"]["gapped"]["vrx_max_pkts"],
                           "late_pkts": v["strict"]["gapped"]["late_pkts"],
                           "sched_err_ns": v["sched_err_ns"],
                           "verdict_n": v["verdict"]["n"]["result"],
                           "verdict_reason": v["verdict"]["n"]["reason"],
                           "frames_complete": v["frames"]["complete"],
                           "lost_pkts": v["sequence"]["lost_pkts"]}
        if a_all and a_all.get("streams"):
            va = a_all["streams"][0]["video"]
            res["analyzer_whole"] = {"cinst_peak_pkts": va["strict"]["cinst_peak_pkts"],
                                     "vrx_max_pkts": va["strict"]["gapped"]["vrx_max_pkts"],
                                     "late_pkts": va["strict"]["gapped"]["late_pkts"],
                                     "verdict_n": va["verdict"]["n"]["result"]}
        j = video_judge([(t, s, ts, m) for t, _, _, s, ts, m in pk], v, tai * NS)
        if j:
            errs = j.pop("err_ns")
            res.update(j)
            res["err_ns"] = {"p50": pct(errs, 50), "p99": pct(errs, 99),
                             "max": errs[-1] if errs else None, "min": errs[0] if errs else None,
                             "samples": len(errs)}
            res["_errs"] = errs
    else:
        off = 0
        if meta["pacer"] == "st2110":
            cls = {}
            for line in open(os.path.join(d, "class.txt")):
                f = line.split()
                if len(f) >= 2:
                    cls[f[0]] = f[1]
            tro = int(cls.get("troffset_ns", 0))
            # all ones: not configured, the class uses 0
            off = 125000 + (tro if tro < 1 << 63 else 0)
        j = audio_judge([(t, s, ts, m) for t, _, _, s, ts, m in pk], 48000, 6, off, tai * NS)
        errs = j.pop("err_ns")
        res.update(j)
        res["target_offset_ns"] = off
        res["err_ns"] = {"p50": pct(errs, 50), "p99": pct(errs, 99),
                         "max": errs[-1] if errs else None, "min": errs[0] if errs else None,
                         "samples": len(errs)}
        res["_errs"] = errs
    return res


def header(run, what):
    mode = run.get("mode", "?")
    desc = {"icount": "icount (virtual time, -icount shift=0,sleep=off, 1 vCPU)",
            "tcg": "TCG (multi-threaded, 2 vCPUs, host real time)"}.get(mode, mode)
    return ("%s -- mode: %s; guest kernel %s; host %s CPUs, load %s -> %s; wall %s s%s" % (
        what, desc, run.get("guest_kernel", run.get("kernel", "?")), run.get("host_nproc", "?"),
        run.get("host_load_start", "?"), run.get("host_load_end", "?"), run.get("wall_s", "?"),
        " (SMOKE: tiny size, figures not meaningful)" if run.get("smoke") else ""))


def histogram(png, title, series, unit_div=1000.0):
    """One panel per series (its own range: p1..p99 and a tenth more each
    side; the packets outside are counted in the title), gnuplot pngcairo."""
    series = [(n, e) for n, e in series if e]
    if not series:
        return
    dat = png[:-4] + ".dat"
    outs = []
    with open(dat, "w") as f:
        for idx, (name, e) in enumerate(series):
            lo, hi = pct(e, 1) if len(e) > 200 else e[0], pct(e, 99) if len(e) > 200 else e[-1]
            if hi <= lo:
                lo, hi = lo - 500, hi + 500
            pad = (hi - lo) // 10 + 1
            lo, hi = lo - pad, hi + pad
            nb = 60
            w = (hi - lo) / nb
            cnt = [0] * nb
            outside = 0
            for x in e:
                if lo <= x < hi:
                    cnt[min(nb - 1, int((x - lo) // w))] += 1
                else:
                    outside += 1
            outs.append(outside)
            f.write("# %s\n" % name)
            for b in range(nb):
                f.write("%.3f %d\n" % ((lo + (b + 0.5) * w) / unit_div, cnt[b]))
            f.write("\n\n")
    rows = (len(series) + 1) // 2
    gp = ["set terminal pngcairo size 1200,%d font ',9'" % (260 * rows),
          "set output '%s'" % png,
          "set multiplot layout %d,2 title '%s'" % (rows, title.replace("'", "")),
          "set style fill solid 0.6", "set ylabel 'packets'", "set xlabel 'release error t - target (us)'",
          "set grid", "unset key"]
    for idx, (name, e) in enumerate(series):
        gp.append("set title '%s: p50 %s p99 %s max %s us (%d pkts, %d outside the plot)'" % (
            name, us(pct(e, 50)), us(pct(e, 99)), us(e[-1]), len(e), outs[idx]))
        gp.append("plot '%s' index %d using 1:2 with boxes" % (dat, idx))
    gp.append("unset multiplot")
    try:
        subprocess.run(["gnuplot"], input="\n".join(gp), text=True, check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as ex:
        print("# no plot %s: %s" % (png, ex), file=sys.stderr)


def pacing(d):
    run = load_json(os.path.join(d, "run.json")) or {}
    results = []
    for name in sorted(os.listdir(d)):
        sub = os.path.join(d, name)
        if os.path.isdir(sub):
            results.append((name, one_run(sub)))
    order = {p: i for i, p in enumerate(["st2110", "fq", "etf", "paced", "none"])}
    results.sort(key=lambda r: (r[0].split("-")[1], order.get(r[0].split("-")[0], 9)))
    for _, r in results:
        if r.get("pacer"):
            run["guest_kernel"] = load_json(os.path.join(d, "%s-%s" % (r["pacer"], r["media"]), "meta.json"))["kernel"]
            break
    lines = [header(run, "Pacing benchmark")]
    for media in ("video", "audio"):
        if media == "video":
            lines.append("")
            lines.append("640x360p50 YCbCr-4:2:2 10 bit GPM, 720 packets/frame, 36000 packets/s (gapped TRS 26.667 us); "
                         "error = t - TPR_j (gapped), steady state (first and last frame left out)")
            cols = "%-7s %7s %7s %7s %6s %7s %9s %6s %9s %9s %9s %8s %8s"
            lines.append(cols % ("pacer", "sent", "skipped", "lost", "CINST", "VRXmax", "%frames N", "late",
                                 "err p50", "err p99", "err max", "CPU/pkt", "send/pkt"))
            lines.append(cols % ("", "pkts", "frames", "pkts", "peak", "pkts", "", "pkts", "us", "us", "us", "ns", "ns"))
        else:
            lines.append("")
            lines.append("ST 2110-30 audio 48 kHz 2 ch L24, 125 us packets (8000 packets/s); "
                         "error = t - target (sch_st2110: (k+1) x 125 us + TROFFSET; others: k x 125 us)")
            cols = "%-7s %7s %7s %7s %7s %9s %9s %9s %9s %8s %8s"
            lines.append(cols % ("pacer", "sent", "skipped", "lost", "late", "err p50", "err p99", "err max",
                                 "jit p99", "CPU/pkt", "send/pkt"))
            lines.append(cols % ("", "pkts", "pkts", "pkts", "pkts", "us", "us", "us", "us", "ns", "ns"))
        for name, r in results:
            if not name.endswith("-" + media):
                continue
            p = name.split("-")[0]
            if "skip" in r and "err_ns" not in r:
                if r.get("sent_pkts") is None:
                    lines.append("%-7s skipped: %s" % (p, r["skip"]))
                else:
                    lines.append("%-7s %7s %7s %7s  not judged: %s" % (
                        p, r["sent_pkts"], r["sender_skipped"], r["lost_pkts"], r["skip"]))
                continue
            e = r.get("err_ns", {})
            if media == "video":
                a = r.get("analyzer", {})
                lines.append(cols % (p, r["sent_pkts"], r["sender_skipped"], r["lost_pkts"],
                                     a.get("cinst_peak_pkts", "-"),
                                     a.get("vrx_max_pkts", "-"),
                                     "-" if r.get("pct_type_n") is None else "%.1f" % r["pct_type_n"],
                                     r.get("late_pkts", "-"), us(e.get("p50")), us(e.get("p99")),
                                     us(e.get("max")), r["cpu_ns_per_pkt"], r["sender_cpu_ns_per_pkt"]))
            else:
                errs = r.get("_errs", [])
                med = pct(errs, 50)
                dev = sorted(abs(x - med) for x in errs) if errs else []
                r["jitter_p99_ns"] = pct(dev, 99)
                lines.append(cols % (p, r["sent_pkts"], r["sender_skipped"], r["lost_pkts"],
                                     r.get("late_pkts", "-"),
                                     us(e.get("p50")), us(e.get("p99")), us(e.get("max")),
                                     us(r["jitter_p99_ns"]), r["cpu_ns_per_pkt"],
                                     r["sender_cpu_ns_per_pkt"]))
    lines.append("")
    lines.append("CPU/pkt: guest CPU time outside idle over the run (icount: /proc/timer_list idle_sleeptime, exact; "
                 "TCG: CPUs x uptime - /proc/stat idle+iowait, 10 ms units), less tcpdump's own runtime "
                 "(/proc/PID/schedstat), per packet sent: sender (including its start), qdisc, veth, receive path; "
                 "send/pkt: the sender's own getrusage (user+sys) per packet. lost = sent - captured "
                 "(etf drops packets it dequeues after their txtime). skipped: frames (audio: packets) the sender "
                 "did not send because it was too late for them. jit p99: p99 of |error - median error|.")
    mode = run.get("mode", "?")
    for media in ("video", "audio"):
        histogram(os.path.join(d, "hist-%s.png" % media),
                  "Release error per pacer, %s, %s mode" % (media, mode),
                  [(n.split("-")[0], r.get("_errs")) for n, r in results if n.endswith("-" + media)])
    text = "\n".join(lines)
    open(os.path.join(d, "table.txt"), "w").write(text + "\n")
    for _, r in results:
        r.pop("_errs", None)
    json.dump({"run": run, "results": {n: r for n, r in results}},
              open(os.path.join(d, "results.json"), "w"), indent=1)
    print(text)
    return 0


def scale(d):
    run = load_json(os.path.join(d, "run.json")) or {}
    lines = []
    rows, out = [], {}
    for name in sorted(os.listdir(d), key=lambda s: int(s[1:]) if s[1:].isdigit() else 0):
        sub = os.path.join(d, name)
        meta = load_json(os.path.join(sub, "meta.json"))
        if not os.path.isdir(sub) or not meta:
            continue
        run["guest_kernel"] = meta["kernel"]
        run["lead_trs"] = meta.get("lead_trs", 8)
        n = meta["streams"]
        pk = read_pcap(os.path.join(sub, "rx.pcap"))
        sent = 0
        for i in range(n):
            s = load_json(os.path.join(sub, "send%d.json" % i)) or {}
            sent += s.get("packets", 0)
        a = analyze(os.path.join(sub, "rx.pcap"), None, meta["tai_offset_s"], ["--video", meta["video"]])
        per = []
        streams = {}
        for t, dst, port, seq, ts, m in pk:
            streams.setdefault((dst, port), []).append((t, seq, ts, m))
        vref = None
        if a:
            for s in a["streams"]:
                if s.get("video", {}).get("schedule"):
                    vref = s["video"]
                    break
        ok_streams, frames, frames_n, late, errs = 0, 0, 0, 0, []
        for key, p in sorted(streams.items()):
            j = video_judge(p, vref, meta["tai_offset_s"] * NS) if vref else None
            if not j:
                continue
            frames += j["frames"]
            frames_n += j["frames_type_n"]
            late += j["late_pkts"]
            errs += j["err_ns"]
            if j["frames"] and j["frames_type_n"] == j["frames"]:
                ok_streams += 1
        errs.sort()
        # packets the qdisc got after their release time: the senders' lateness
        qlate = 0
        for i in range(1, n + 1):
            try:
                for line in open(os.path.join(sub, "class%d.txt" % i)):
                    f = line.split()
                    if len(f) == 2 and f[0] == "late_pkts":
                        qlate += int(f[1])
            except (OSError, ValueError):
                pass
        skipped = sum((load_json(os.path.join(sub, "send%d.json" % i)) or {}).get("skipped_frames", 0)
                      for i in range(n))
        firsts = [p[0][0] for p in streams.values() if p]
        lasts = [p[-1][0] for p in streams.values() if p]
        busy = (meta["busy_ns"] - meta["tcpdump_ns"]) // sent if sent else None
        r = {"streams": n, "sent_pkts": sent, "captured_pkts": len(pk),
             "streams_seen": len(streams), "streams_all_frames_type_n": ok_streams,
             "frames": frames, "frames_type_n": frames_n, "late_pkts": late,
             "err_ns": {"p50": pct(errs, 50), "p99": pct(errs, 99),
                        "max": errs[-1] if errs else None},
             "cpu_ns_per_pkt": busy, "watchdog_wakeups": meta.get("watchdogs"),
             "pps": n * 2250, "qdisc_late_pkts": qlate, "sender_skipped_frames": skipped,
             "start_spread_ns": max(firsts) - min(firsts) if firsts else None,
             "all_active_ns": max(0, min(lasts) - max(firsts)) if firsts else None}
        out[name] = r
        rows.append(r)
    lines.append(header(run, "Scale benchmark: streams per sch_st2110"))
    lines.append("")
    lines.append("each stream 160x90p25 YCbCr-4:2:2 10 bit GPM (90 packets/frame, 2250 packets/s, TRS 426.7 us), "
                 "one class per stream, one sender process per stream (bursts written %s TRS before TPR_0)" %
                 run.get("lead_trs", "8"))
    cols = "%7s %9s %8s %7s %8s %11s %9s %6s %6s %9s %9s %9s %8s %6s %7s"
    lines.append(cols % ("streams", "pkts/s", "sent", "skipped", "lost", "all-N strms", "%frames N", "late",
                         "q-late", "err p50", "err p99", "err max", "CPU/pkt", "spread", "overlap"))
    lines.append(cols % ("", "nominal", "pkts", "frames", "pkts", "", "", "pkts", "pkts", "us", "us", "us",
                         "ns", "ms", "ms"))
    for r in rows:
        e = r["err_ns"]
        lines.append(cols % (r["streams"], r["pps"], r["sent_pkts"], r["sender_skipped_frames"],
                             r["sent_pkts"] - r["captured_pkts"],
                             "%d/%d" % (r["streams_all_frames_type_n"], r["streams"]),
                             "%.1f" % (100.0 * r["frames_type_n"] / r["frames"]) if r["frames"] else "-",
                             r["late_pkts"], r["qdisc_late_pkts"], us(e["p50"]), us(e["p99"]), us(e["max"]),
                             r["cpu_ns_per_pkt"],
                             "-" if r["start_spread_ns"] is None else r["start_spread_ns"] // 1000000,
                             "-" if r["all_active_ns"] is None else r["all_active_ns"] // 1000000))
    lines.append("")
    lines.append("late: packets after their TPR_j at the receiver; q-late: packets that reached the qdisc after their "
                 "release time (the senders' lateness: the qdisc sends them at once). spread: first packet of the "
                 "last stream to start - of the first; overlap: time all streams were sending.")
    lines.append("all-N strms: streams whose every steady-state frame is Type N (strict CINST, VRX, no late packet);"
                 " CPU/pkt as in the pacing table (guest CPU time outside idle less tcpdump's, per packet sent)")
    text = "\n".join(lines)
    open(os.path.join(d, "table.txt"), "w").write(text + "\n")
    json.dump({"run": run, "results": out}, open(os.path.join(d, "results.json"), "w"), indent=1)
    print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("pacing", "scale"):
        print(__doc__.splitlines()[0], file=sys.stderr)
        sys.exit(2)
    sys.exit(pacing(sys.argv[2]) if sys.argv[1] == "pacing" else scale(sys.argv[2]))
