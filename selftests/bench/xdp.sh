#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xdp.sh - "make bench" part 3: multicast replication on the host kernel.
#
#   selftests/bench/xdp.sh [--smoke] [--rounds N] [--seconds S] [--size BYTES]
#
# Network namespaces joined by veth (root):
#
#   bxs:bxs0 ──veth── bxr:bxin   router   bxr:bxo1..4 ──veth── bx{a,b,c,d}:bx{a,b,c,d}0
#
# The generator (build/selftests/cli-xdp/xdp_gen) hands 1342-byte RTP frames
# to bxs0 through BPF_PROG_TEST_RUN live frames: the router's and the
# receivers' work runs on the generator's CPU inside the same call, so one
# core carries the whole chain and packets/second is its throughput. Modes:
#
#   drop               st2110 XDP on bxin, route "drop": the floor (generator,
#                      veth, parse, lookup, measurement; nothing delivered)
#   pass[-nomeas]      st2110 XDP on bxin, route "pass": to the router's stack
#   mroute-2, -4       no XDP; kernel multicast routing (ipmr) set up by
#                      smcroute, copies to 2 or 4 ports
#   xdp-2[-nomeas], xdp-4[-nomeas]
#                      st2110 XDP on bxin, route "to bxo1,bxo2[,bxo3,bxo4]",
#                      with and without the per-flow measurement
#
# "delivered" is counted where the packets arrive: the receivers' rx_packets
# (each receiver; the table shows the lowest), for pass the router's IpExt
# InMcastPkts, for drop the program's route_drop. The host is shared, so
# wall-clock rates move with other people's load; the generator thread's
# CPU time (which includes the softirq work of router and receivers run in
# its context; steal time excluded) is the steadier cost per packet. Rounds are interleaved (every mode once per round, the
# order rotated each round) and the table shows medians. Results:
# build/bench/xdp.txt and build/bench/xdp.json. --smoke: one tiny round of
# every mode, to prove the script works (< 20 s), figures meaningless.
# ST2110_NO_BUILD=1 uses the binaries in build/ as they are. Exit status 4:
# not run, because the kernel refuses the generator's live frames.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${O:-$TOP/build}
ST=$B/st2110
GEN=$TOP/build/selftests/cli-xdp/xdp_gen	# selftests/cli-xdp/Makefile
OUT=$B/bench
ROUNDS=5
SECONDS_PER_RUN=2
SIZE=1342
REPEAT=262144		# frames per BPF_PROG_TEST_RUN call (~20 ms set-up each)
CPU=0			# the generator, and so the whole chain, on this CPU
SMOKE=0
G=239.212.1.1
SRC=10.212.0.1
PORT=5004
MODES="drop pass pass-nomeas mroute-2 mroute-4 xdp-2 xdp-2-nomeas xdp-4 xdp-4-nomeas"
NSS="bxs bxr bxa bxb bxc bxd"
RX="a b c d"

while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--rounds) ROUNDS=$2; shift ;;
	--seconds) SECONDS_PER_RUN=$2; shift ;;
	--size) SIZE=$2; shift ;;
	-h|--help) sed -n '3,30p' "$0"; exit 0 ;;
	*) echo "xdp.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
	esac
	shift
done
if [ $SMOKE = 1 ]; then
	ROUNDS=1
	SECONDS_PER_RUN=0.05
	REPEAT=4096
	OUT=$B/bench/smoke
fi

die() { echo "xdp.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, XDP)"
# one run at a time: the namespace and interface names are fixed
exec 9>/tmp/st2110-xdp-bench.lock
flock 9
for t in smcrouted smcroutectl ethtool python3 jq nsenter; do
	command -v $t >/dev/null || die "$t missing (make deps)"
done
[ "${ST2110_NO_BUILD:-0}" = 1 ] ||
	flock /tmp/st2110-build.lock make -s --no-print-directory -C userspace/st2110 >&2 &&
	flock /tmp/st2110-build.lock make -s --no-print-directory -C selftests/cli-xdp >&2 ||
	die "build failed"
mount | grep -q ' /sys/fs/bpf type bpf ' || mount -t bpf bpf /sys/fs/bpf

RUN=
SMC=

smc_stop()
{
	local pid

	[ -n "$RUN" ] && [ -f "$RUN/smc.pid" ] || return 0
	pid=$(cat "$RUN/smc.pid")
	kill "$pid" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	rm -f "$RUN/smc.pid" "$RUN/smc.sock"
}

cleanup()
{
	local ns

	smc_stop
	[ -d /sys/fs/bpf/st2110/bxin ] && "$ST" -n bxr xdp detach dev bxin >/dev/null 2>&1
	for ns in $NSS; do
		ip netns del $ns 2>/dev/null
	done
	[ -z "$RUN" ] || rm -rf "$RUN"
}
trap cleanup EXIT
cleanup
RUN=$(mktemp -d /tmp/st2110-xdp-bench.XXXXXX)
SMC="-u $RUN/smc.sock"
# the tree is shared: a rebuild in the middle must not change what is measured
cp "$ST" "$GEN" "$RUN/" || die "cannot copy the binaries"
ST=$RUN/st2110
GEN=$RUN/xdp_gen

setup()
{
	local i=1 r ns

	for ns in $NSS; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
		# no IPv6 ND/MLD packets in the receivers' counters
		ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add bxs0 netns bxs type veth peer name bxin netns bxr || return 1
	ip -n bxs addr add $SRC/24 dev bxs0
	ip -n bxr addr add 10.212.0.2/24 dev bxin
	ip -n bxs link set bxs0 up && ip -n bxr link set bxin up || return 1
	# a veth drops redirected frames unless its peer has XDP or GRO on
	ip netns exec bxr ethtool -K bxin gro on >/dev/null
	# ipmr's reverse path check: the source is on bxin
	ip netns exec bxr sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.bxin.rp_filter=0
	for r in $RX; do
		ip link add bxo$i netns bxr type veth peer name bx${r}0 netns bx$r || return 1
		ip -n bxr link set bxo$i up && ip -n bx$r link set bx${r}0 up || return 1
		ip netns exec bx$r ethtool -K bx${r}0 gro on >/dev/null
		i=$((i + 1))
	done
}
setup || die "cannot create the namespaces and veth pairs"
# Some hosts refuse live-frames BPF_PROG_TEST_RUN even to root (EPERM):
# then there is no generator and nothing to measure (exit 4, "not run").
probe=$(nsenter --net=/run/netns/bxs "$GEN" --dev bxs0 --src $SRC --dst $G --port $PORT \
	--size "$SIZE" --seconds 0.001 --repeat 1 2>&1 >/dev/null)
case $? in
0) ;;
4) echo "xdp.sh: not run: ${probe##*xdp_gen: }" >&2; exit 4 ;;
*) die "generator: $probe" ;;
esac

ports() { [ "$1" = 2 ] && echo bxo1,bxo2 || echo bxo1,bxo2,bxo3,bxo4; }

xdp_on()
{
	[ -d /sys/fs/bpf/st2110/bxin ] || "$ST" -n bxr xdp attach dev bxin || return 1
	"$ST" -n bxr route del group $G port $PORT dev bxin 2>/dev/null
	"$ST" -n bxr route add group $G port $PORT dev bxin "$@"
}

# mode_on MODE: leave the router in MODE and nothing of the others
mode_on()
{
	local meas=on

	case $1 in *-nomeas) meas=off ;; esac
	# only "pass" joins the group: ipmr would also deliver locally
	ip -n bxr addr del $G/32 dev bxin 2>/dev/null
	case $1 in
	mroute-*)
		[ -d /sys/fs/bpf/st2110/bxin ] && { "$ST" -n bxr xdp detach dev bxin || return 1; }
		smc_stop
		: >"$RUN/smc.conf"
		ip netns exec bxr smcrouted -n -f "$RUN/smc.conf" $SMC -P "$RUN/smc.pid" -l err \
			</dev/null >/dev/null 2>&1 9>&- &
		for _ in $(seq 100); do
			[ -S "$RUN/smc.sock" ] && break
			sleep 0.05
		done
		ip netns exec bxr smcroutectl $SMC add bxin $SRC $G $(ports ${1#mroute-} | tr , ' ') \
			>/dev/null
		;;
	drop)
		smc_stop
		xdp_on drop measure on
		;;
	pass*)
		smc_stop
		# a member of the group, or the stack drops it before counting
		ip -n bxr addr replace $G/32 dev bxin autojoin || return 1
		xdp_on pass measure $meas
		;;
	xdp-*)
		smc_stop
		local n=${1#xdp-}

		xdp_on to "$(ports ${n%%-*})" measure $meas
		;;
	esac
}

rx_count()
{
	ip -n bx$1 -s -j link show bx${1}0 | jq '.[0].stats64.rx.packets'
}

mcast_in()
{
	nsenter --net=/run/netns/bxr awk '/^IpExt:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InMcastPkts") c = i; h = 1 } else print $c }' /proc/net/netstat
}

# counters MODE: what "delivered" means for MODE, one number per receiver
counters()
{
	local r

	case $1 in
	drop) "$ST" -n bxr -j -s xdp show dev bxin | jq '.[0].stats.route_drop' ;;
	pass*) mcast_in ;;
	*-2*) for r in a b; do rx_count $r; done ;;
	*) for r in $RX; do rx_count $r; done ;;
	esac
}

# run MODE ROUND: one measurement, a JSON line on stdout
run()
{
	local before after gen

	mode_on "$1" || { echo "xdp.sh: cannot set up $1" >&2; return 1; }
	before=$(counters "$1" | tr '\n' ' ')
	gen=$(nsenter --net=/run/netns/bxs taskset -c "$CPU" "$GEN" --dev bxs0 --src $SRC --dst $G \
	      --port $PORT --size "$SIZE" --seconds "$SECONDS_PER_RUN" --repeat $REPEAT) || return 1
	sleep 0.05	# the last batch's NAPI
	after=$(counters "$1" | tr '\n' ' ')
	echo "{\"mode\":\"$1\",\"round\":$2,\"gen\":$gen,\"before\":[${before// /,}0],\"after\":[${after// /,}0]}"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
RAW=$RUN/raw.jsonl
: >"$RAW"
set -- $MODES
NMODES=$#
for round in $(seq 1 "$ROUNDS"); do
	# rotate the order so that no mode always runs first or after the same one
	order=()
	for i in $(seq 0 $((NMODES - 1))); do
		j=$(( (i + round - 1) % NMODES + 1 ))
		order+=("${!j}")
	done
	for m in "${order[@]}"; do
		echo "# $(date +%T.%N | cut -c1-12) round $round/$ROUNDS $m" >&2
		run "$m" "$round" >>"$RAW" || die "run $m failed"
	done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$OUT"
python3 - "$RAW" "$OUT" "$(uname -r)" "$LOAD0" "$LOAD1" "$(nproc)" "$SMOKE" "$CPU" <<'EOF'
import json, sys, statistics as st

raw, out, kver, load0, load1, ncpu, smoke, cpu = sys.argv[1:]
runs = [json.loads(l) for l in open(raw)]
modes = []
for r in runs:
    if r["mode"] not in modes:
        modes.append(r["mode"])
modes.sort(key=lambda m: ["drop", "pass", "pass-nomeas", "mroute-2", "xdp-2", "xdp-2-nomeas",
                          "mroute-4", "xdp-4", "xdp-4-nomeas"].index(m))
res = {}
for m in modes:
    rs = [r for r in runs if r["mode"] == m]
    pin, pout, nspp, cpupp, loss = [], [], [], [], []
    for r in rs:
        sec = r["gen"]["elapsed_ns"] / 1e9
        sent = r["gen"]["packets"]
        got = min(a - b for a, b in zip(r["after"][:-1], r["before"][:-1]))
        pin.append(sent / sec)
        pout.append(got / sec)
        nspp.append(r["gen"]["elapsed_ns"] / sent)
        cpupp.append(r["gen"]["cpu_ns"] / sent)
        loss.append(1 - got / sent if sent else 0)
    res[m] = {"rounds": len(rs), "mpps_in": st.median(pin) / 1e6,
              "mpps_delivered": st.median(pout) / 1e6, "ns_per_pkt": st.median(nspp),
              "cpu_ns_per_pkt": st.median(cpupp), "cpu_ns_per_pkt_best": min(cpupp),
              "loss_pct": 100 * st.median(loss),
              "mpps_delivered_all": [round(x / 1e6, 4) for x in pout]}

def ratio(a, b):
    return res[a]["mpps_delivered"] / res[b]["mpps_delivered"] \
        if a in res and b in res and res[b]["mpps_delivered"] else None

def cpu_ratio(a, b):
    # how many more packets one CPU carries: inverse ratio of CPU time per packet
    return res[b]["cpu_ns_per_pkt"] / res[a]["cpu_ns_per_pkt"] \
        if a in res and b in res and res[a]["cpu_ns_per_pkt"] else None

summary = {
    "xdp_vs_mroute_2": ratio("xdp-2", "mroute-2"),
    "xdp_vs_mroute_4": ratio("xdp-4", "mroute-4"),
    "xdp_vs_mroute_2_cpu": cpu_ratio("xdp-2", "mroute-2"),
    "xdp_vs_mroute_4_cpu": cpu_ratio("xdp-4", "mroute-4"),
    "measure_overhead_2_pct": None, "measure_overhead_4_pct": None,
    "measure_overhead_pass_pct": None,
}
def above_floor(a, b):
    # the same, counting only what the router and receivers add to the drop floor
    if a not in res or b not in res or "drop" not in res:
        return None
    fl = res["drop"]["cpu_ns_per_pkt"]
    return (res[b]["cpu_ns_per_pkt"] - fl) / (res[a]["cpu_ns_per_pkt"] - fl) \
        if res[a]["cpu_ns_per_pkt"] > fl else None

summary["xdp_vs_mroute_2_above_floor"] = above_floor("xdp-2", "mroute-2")
summary["xdp_vs_mroute_4_above_floor"] = above_floor("xdp-4", "mroute-4")
for k, a, b in (("measure_overhead_2_pct", "xdp-2", "xdp-2-nomeas"),
                ("measure_overhead_4_pct", "xdp-4", "xdp-4-nomeas"),
                ("measure_overhead_pass_pct", "pass", "pass-nomeas")):
    if a in res and b in res:
        # extra CPU per packet that the measurement adds, in % of the chain without it
        summary[k] = 100 * (res[a]["cpu_ns_per_pkt"] / res[b]["cpu_ns_per_pkt"] - 1)
meta = {"mode": "host kernel " + kver, "cpus": int(ncpu), "cpu": int(cpu), "loadavg_before": load0,
        "loadavg_after": load1, "frame_bytes": runs[0]["gen"]["size"],
        "rounds": max(r["round"] for r in runs), "smoke": smoke == "1",
        "generator": "BPF_PROG_TEST_RUN live frames, whole chain on one CPU"}
json.dump({"meta": meta, "modes": res, "summary": summary},
          open(out + "/xdp.json", "w"), indent=2)

lines = ["XDP multicast replication, %s (%s CPUs, loadavg %s -> %s), %d-byte frames,"
         % (meta["mode"], ncpu, load0, load1, meta["frame_bytes"]),
         "median of %d interleaved rounds%s; generator: %s" %
         (meta["rounds"], " (SMOKE: tiny runs, figures meaningless)" if meta["smoke"] else "",
          meta["generator"]), "",
         "%-14s %8s %10s %7s %10s %10s %9s" % ("", "Mpps", "Mpps", "", "wall", "CPU",
                                                "CPU best"),
         "%-14s %8s %10s %7s %10s %10s %9s" % ("mode", "in", "delivered", "loss %", "ns/pkt",
                                                "ns/pkt", "ns/pkt"),
         "%-14s %8s %10s %7s %10s %10s %9s" % ("-" * 14, "-" * 8, "-" * 10, "-" * 7, "-" * 10,
                                                "-" * 10, "-" * 9)]
for m in modes:
    r = res[m]
    lines.append("%-14s %8.3f %10.3f %7.2f %10.0f %10.0f %9.0f" %
                 (m, r["mpps_in"], r["mpps_delivered"], r["loss_pct"], r["ns_per_pkt"],
                  r["cpu_ns_per_pkt"], r["cpu_ns_per_pkt_best"]))
lines.append("")
fmt = lambda v, u: "n/a" if v is None else ("%.2f%s" % (v, u))
lines.append("XDP vs kernel multicast routing (goal >= 3x): by CPU per packet 2 ports %s,"
             " 4 ports %s; by delivered pps (wall, load-sensitive) %s, %s"
             % (fmt(summary["xdp_vs_mroute_2_cpu"], "x"), fmt(summary["xdp_vs_mroute_4_cpu"], "x"),
                fmt(summary["xdp_vs_mroute_2"], "x"), fmt(summary["xdp_vs_mroute_4"], "x")))
lines.append("  above the drop floor (router + receivers only, CPU): 2 ports %s, 4 ports %s"
             % (fmt(summary["xdp_vs_mroute_2_above_floor"], "x"),
                fmt(summary["xdp_vs_mroute_4_above_floor"], "x")))
lines.append("per-flow measurement cost (CPU ns/pkt of the chain): 2 ports %s, 4 ports %s, pass %s"
             " (goal <= 10 %%)" % (fmt(summary["measure_overhead_2_pct"], " %"),
                                   fmt(summary["measure_overhead_4_pct"], " %"),
                                   fmt(summary["measure_overhead_pass_pct"], " %")))
lines.append("'delivered' = lowest receiver's rx_packets (pass: router IpExt InMcastPkts)"
             " / generator time; CPU = the generator thread's CPU time, which includes the"
             " router's and receivers' softirq work run in its context (CPU %d)" % meta["cpu"])
text = "\n".join(lines) + "\n"
open(out + "/xdp.txt", "w").write(text)
sys.stdout.write(text)
EOF
