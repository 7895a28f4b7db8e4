#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the SDP library and st2110 CLI suite; print one TAP 13 stream.
#
#   1        build (make -C selftests/cli: test_sdp, build/st2110, -san twins)
#   then     test_sdp subtests, renumbered (every shared SDP file, the
#            hand-written cases, round trips, mutation fuzz)
#   then     test_sdp again under ASan+UBSan
#   then     test_vfmt subtests, renumbered (the --video parser shared by
#            st2110-send and st2110-analyze, built with ASan+UBSan), and
#            both tools giving the same reason for the same bad --video;
#            st2110-send's SDP files accepted by the library's parser
#   then     the CLI: iproute2 conventions (abbreviations, help, exit codes,
#            -j, -b, -n with a namespace created here), sdp show/check/
#            convert, ptp show on this host, the same commands under
#            ASan+UBSan
#   last     ptp show against an emulated PHC in a 6.1 guest (vm-ptp.sh)
#
# Environment: O = top-level build directory (default <repo>/build);
#   ST2110_SDP_DIR  the shared SDP files (default <repo>/../shared/data/sdp)
#   ST2110_CLI_VM=0 skip the VM tests; ST2110_CLI_VM_KERNEL (default 6.1)
# Exit status 0 only if nothing failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
export O=${O:-$TOP/build}
OUT=$O/selftests/cli
LOGS=$OUT/logs
SDP_DIR=${ST2110_SDP_DIR:-$(cd "$TOP/.." && pwd)/shared/data/sdp}
ST=$O/st2110
STSAN=$O/st2110-san
CLI_TESTS=30
VM_TESTS=6
mkdir -p "$LOGS"
T=$(mktemp -d "${TMPDIR:-/tmp}/st2110-cli.XXXXXX")
NS=st2110-cli-$$
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$T"' EXIT

n=0
failed=0

. "$TOP/selftests/lib/tap.sh"

# ---- a small assertion kit for the CLI tests ----
t_begin() { t_desc=$1; t_why=; }
t_fail() { [ -n "$t_why" ] || t_why=$1; }
t_end() {
	if [ -z "$t_why" ]; then
		result 0 "cli: $t_desc"
	else
		echo "# $t_why" | head -c 2000
		echo
		result 1 "cli: $t_desc"
	fi
}
x() {			# run a command: $rc, $T/out, $T/err
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
want_rc() { [ "$rc" = "$1" ] || t_fail "'$*': exit status $rc, want $1; stderr: $(head -c 400 "$T/err")"; }
want_out() { grep -qF -- "$1" "$T/out" || t_fail "stdout lacks '$1': $(head -c 400 "$T/out")"; }
want_err() { grep -qF -- "$1" "$T/err" || t_fail "stderr lacks '$1': $(head -c 400 "$T/err")"; }
no_out() { [ ! -s "$T/out" ] || t_fail "stdout not empty: $(head -c 200 "$T/out")"; }
want_err_is() { [ "$(cat "$T/err")" = "$1" ] || t_fail "stderr '$(cat "$T/err")', want '$1'"; }
is_json() { python3 -m json.tool "$1" >/dev/null 2>"$T/jerr" || t_fail "not valid JSON ($(cat "$T/jerr")): $(head -c 300 "$1")"; }
# jq-like: py EXPR FILE, with d = the document
py() { python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2" 2>&1; }
want_py() { local v; v=$(py "$1" "$2"); [ "$v" = "$3" ] || t_fail "$1 = '$v', want '$3'"; }

echo "TAP version 13"

if ! make -s -C "$HERE" all >"$LOGS/build.log" 2>&1; then
	echo "1..1"
	as_comment "$LOGS/build.log" | tail -40
	result 1 "cli: build (make -C selftests/cli)"
	exit 1
fi

subtests=$("$OUT/test_sdp" --plan)
vsubtests=$("$OUT/test_vfmt" --plan)
echo "1..$((1 + subtests + 1 + vsubtests + 2 + CLI_TESTS + VM_TESTS))"
result 0 "cli: build (make -C selftests/cli)"

# ---- the unit tests, renumbered; their own header and plan become comments ----
# unit NAME PLANNED ARGS...: run $OUT/NAME, copy its results renumbered
unit() {
	local name=$1 planned=$2 status seen
	shift 2
	"$OUT/$name" "$@" >"$LOGS/$name.tap" 2>&1
	status=$?
	awk -v off="$n" '
		/^ok [0-9]+/		{ $2 += off; sub(/^ok [0-9]+ /, "&cli: "); print; next }
		/^not ok [0-9]+/	{ $3 += off; sub(/^not ok [0-9]+ /, "&cli: "); print; next }
		/^#/			{ print; next }
					{ print "# " $0 }
	' "$LOGS/$name.tap"
	seen=$(grep -cE '^(not )?ok [0-9]+' "$LOGS/$name.tap")
	failed=$((failed + $(grep -cE '^not ok [0-9]+' "$LOGS/$name.tap")))
	n=$((n + seen))
	while [ "$seen" -lt "$planned" ]; do
		seen=$((seen + 1))
		result 1 "cli: $name subtest $seen never reported (exit status $status)"
	done
}

unit test_sdp "$subtests" "$SDP_DIR"

if "$OUT/test_sdp_san" "$SDP_DIR" >"$LOGS/test_sdp_san.tap" 2>&1 &&
   ! grep -qE '^not ok' "$LOGS/test_sdp_san.tap"; then
	result 0 "cli: all $subtests test_sdp subtests again under -fsanitize=address,undefined"
else
	grep -vE '^ok ' "$LOGS/test_sdp_san.tap" | as_comment /dev/stdin | tail -40
	result 1 "cli: all $subtests test_sdp subtests again under -fsanitize=address,undefined"
fi

unit test_vfmt "$vsubtests"

# the two tools take --video from the same parser: the same reason for the same fault
t_begin "st2110-send and st2110-analyze: the same reason for each bad --video"
SEND=$O/st2110-send ANALYZE=$O/st2110-analyze
if [ -x "$SEND" ] && [ -x "$ANALYZE" ]; then
	for v in 1000p50 0x1080p50 1080p0 1080q50 1080x59; do
		"$SEND" --dst 127.0.0.1 --count-only --video "$v" >/dev/null 2>"$T/send.err"
		"$ANALYZE" --video "$v" /dev/null >/dev/null 2>"$T/an.err"
		rs=$(sed -n "s/^.*--video $v: //p" "$T/send.err")
		ra=$(sed -n "s/^.*bad --video '$v': //p" "$T/an.err")
		[ -n "$rs" ] && [ "$rs" = "$ra" ] ||
			t_fail "--video $v: st2110-send says '$(cat "$T/send.err")', st2110-analyze '$(cat "$T/an.err")'"
	done
	t_end
else
	result 4 "cli: st2110-send and st2110-analyze: same --video reasons" "$SEND or $ANALYZE not built (make userspace)"
fi

# st2110-send writes its SDP itself: what it writes must pass the parser
t_begin "st2110-send --sdp: every kind of description it writes passes 'st2110 sdp check'; -j is JSON"
if [ -x "$SEND" ]; then
	i=0
	while read -r args; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # word splitting wanted
		if ! "$SEND" --count-only --sdp "$T/send$i.sdp" $args >/dev/null 2>"$T/send.err"; then
			t_fail "st2110-send $args: $(cat "$T/send.err")"
			continue
		fi
		x "$ST" sdp check "$T/send$i.sdp"
		[ "$rc" = 0 ] || t_fail "st2110-send $args: $(cat "$T/err") in: $(tr -d '\r' <"$T/send$i.sdp")"
		# and its -j summary: one JSON object, no key twice
		# shellcheck disable=SC2086 # word splitting wanted
		"$SEND" --count-only -j $args >"$T/send.json" 2>/dev/null
		python3 -c 'import json, sys
def once(pairs):
	keys = [k for k, _ in pairs]
	dup = {k for k in keys if keys.count(k) > 1}
	if dup:
		raise ValueError("keys twice: %s" % sorted(dup))
	return dict(pairs)
json.load(open(sys.argv[1]), object_pairs_hook=once)' "$T/send.json" 2>"$T/jerr" ||
			t_fail "st2110-send -j $args: $(tail -1 "$T/jerr"): $(cat "$T/send.json")"
	done <<-EOF
	--dst 239.1.1.1 --ttl 16 --video 1080p59.94
	--dst 10.0.0.1 --port 6000 --pt 110 --video 1080i50 --pm bpm --type W --troffset-us 700 --colorimetry BT2020
	--dst 239.1.1.5 --video 1080psf25
	--dst 239.1.1.6 --video 1080p25 --sampling 420 --pm bpm
	--dst 239.1.1.4 --video 1280x720p29.97 --sampling 444 --depth 8 --refclk ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:0
	--dst ::1 --dev lo --refclk localmac --video 720p50
	--dst ff15::2110 --dev lo --video 576i50
	--dst 239.1.1.2 --audio 48000:8:L24:1ms
	--dst 239.1.1.3 --audio 48000:2:L16:125us
	EOF
	t_end
else
	result 4 "cli: st2110-send --sdp passes sdp check" "$SEND not built (make userspace)"
fi

# ---- the CLI ----
cli_start=$n
GOOD=()
for f in "$SDP_DIR"/*.sdp; do
	case ${f##*/} in 07_*|09_*) ;; *) GOOD+=("$f") ;; esac
done
F05=$SDP_DIR/05_pilist_1080p50_TPN.sdp
F07=$SDP_DIR/07_pilist_L24_48k_16ch_1ms.sdp
F09=$SDP_DIR/09_pilist_1080_60_multiline_fmtp_EDGECASE.sdp
F10=$SDP_DIR/10_nmostesting_1080i25_TPN_DUP_2022-7.sdp
F13=$SDP_DIR/13_nmostesting_1080p50_LIST_generated_noTP_EDGECASE.sdp
have_sdp=1
[ -f "$F05" ] || have_sdp=0

t_begin "-V prints the version, exit 0"
x "$ST" -V; want_rc 0; want_out "st2110 utility, st2110-"
x "$ST" -Version; want_rc 0; want_out "st2110 utility, st2110-"
t_end

t_begin "help, -h, -help, --help: usage on stdout, exit 0"
for h in help -h -help --help; do
	x "$ST" $h; want_rc 0; want_out "Usage: st2110 [ OPTIONS ] OBJECT { COMMAND | help }"
	want_out "OBJECT := { sdp | stream | ptp | xdp | route | flow | monitor }"
done
t_end

t_begin "help on every object, also abbreviated (sdp help, s h, ptp help, p he, m h)"
for a in "sdp help" "s h" "ptp help" "p he" "monitor help" "m h"; do
	x "$ST" $a; want_rc 0; want_out "Usage: st2110 ${a%% *}"
done
x "$ST" sdp help; want_out "st2110 sdp check FILE..."
x "$ST" ptp help; want_out "st2110 ptp show [ dev DEV ]"
t_end

t_begin "no arguments: usage on stderr, nothing on stdout, exit 2"
x "$ST"; want_rc 2; no_out; want_err "Usage: st2110"
t_end

t_begin "unknown object: iproute2's message, exit 2"
x "$ST" foo; want_rc 2; no_out; want_err_is 'Object "foo" is unknown, try "st2110 help".'
x "$ST" -j bogus show; want_rc 2; want_err_is 'Object "bogus" is unknown, try "st2110 help".'
t_end

t_begin "unknown command: iproute2's message, exit 2"
x "$ST" sdp frob; want_rc 2; want_err_is 'Command "frob" is unknown, try "st2110 sdp help".'
x "$ST" p frob; want_rc 2; want_err_is 'Command "frob" is unknown, try "st2110 ptp help".'
t_end

t_begin "unknown option, missing option argument: exit 2"
x "$ST" -zz sdp help; want_rc 2; want_err_is 'Option "-zz" is unknown, try "st2110 -help".'
x "$ST" -n; want_rc 2; want_err "needs a namespace name"
x "$ST" -b; want_rc 2; want_err "needs a file name"
t_end

t_begin "incomplete command or extra words: exit 2"
x "$ST" sdp show; want_rc 2; want_err "Command line is not complete. Try option \"help\""
x "$ST" ptp show dev; want_rc 2; want_err "Command line is not complete"
x "$ST" sdp show a b; want_rc 2; want_err "is a garbage"
x "$ST" ptp show dev lo extra; want_rc 2; want_err "is a garbage"
t_end

if [ $have_sdp = 1 ]; then
	t_begin "abbreviations: 's sh', 's conv', '-j -p s sh' equal the full words"
	x "$ST" sdp show "$F10"; cp "$T/out" "$T/full"; want_rc 0; want_out "stream 1: video"
	x "$ST" s sh "$F10"; want_rc 0; cmp -s "$T/out" "$T/full" || t_fail "'s sh' differs from 'sdp show'"
	x "$ST" sdp convert "$F10"; cp "$T/out" "$T/full"; want_out "a=group:DUP PRIMARY SECONDARY"
	x "$ST" s conv "$F10"; cmp -s "$T/out" "$T/full" || t_fail "'s conv' differs from 'sdp convert'"
	x "$ST" --json --pretty sdp show "$F10"; cp "$T/out" "$T/full"; want_out '    "streams": ['
	x "$ST" -j -p s sh "$F10"; cmp -s "$T/out" "$T/full" || t_fail "'-j -p s sh' differs"
	t_end
else
	result 4 "cli: abbreviations" "$SDP_DIR missing"
fi

t_begin "abbreviations: 'p sh dev lo' equals 'ptp show dev lo' (measured ns masked)"
x "$ST" ptp show dev lo; sed 's/REALTIME -\{0,1\}[0-9]* ns/REALTIME N ns/' "$T/out" >"$T/full"
x "$ST" p sh dev lo; sed 's/REALTIME -\{0,1\}[0-9]* ns/REALTIME N ns/' "$T/out" >"$T/abbr"
want_rc 0; cmp -s "$T/abbr" "$T/full" || t_fail "'p sh' differs: $(diff "$T/abbr" "$T/full" | head -5)"
x "$ST" ptp; want_rc 0; want_out "1: lo:"	# no command: show, as "ip link"
t_end

t_begin "monitor: bad words exit 2; a missing device, module or XDP program exits 1 with the reason"
x "$ST" monitor count 0; want_rc 2; want_err 'count "0": expected a positive integer'
x "$ST" monitor bogus; want_rc 2; want_err 'unknown argument "bogus"'
x "$ST" monitor config set rate x; want_rc 2; want_err 'rate "x": expected an integer'
x "$ST" monitor config frob; want_rc 2; want_err 'Command "frob" is unknown'
x "$ST" monitor dev no-such-dev0; want_rc 1; want_err 'cannot find device "no-such-dev0"'
x "$ST" monitor flows streams; want_rc 2; want_err 'unknown argument "streams"'
x "$ST" monitor all all; want_rc 2; want_err 'unknown argument "all"'
x "$ST" monitor dev lo flows; want_rc 2; want_err 'unknown argument "flows"'
x "$ST" monitor flows count -1; want_rc 2; want_err 'count "-1": expected a positive integer'
x "$ST" monitor streams count 1x; want_rc 2; want_err 'count "1x": expected a positive integer'
x "$ST" monitor flows dev; want_rc 2
x "$ST" monitor flows dev no-such-dev0; want_rc 1; want_err 'cannot find device "no-such-dev0"'
# lo never has the st2110 XDP program (the XDP suites attach to veths)
x "$ST" monitor flows dev lo; want_rc 1; want_err 'no st2110 XDP program attached to lo'
if [ ! -e /proc/modules ] || ! grep -q '^sch_st2110 ' /proc/modules; then
	x "$ST" monitor streams; want_rc 1; want_err 'family "st2110" not found: is sch_st2110 loaded?'
	x "$ST" monitor streams dev lo; want_rc 1; want_err 'is sch_st2110 loaded?'
	x "$ST" monitor dev lo; want_rc 1
	want_err 'nothing to monitor: sch_st2110 is not loaded and no st2110 XDP program is attached to lo'
	x "$ST" monitor config show; want_rc 1; want_err 'is sch_st2110 loaded?'
fi
t_end

t_begin "show -i: a bad interval or count exits 2 before anything is read (stream and flow)"
for o in stream flow; do
	x "$ST" -s $o show -i 0; want_rc 2; want_err 'interval "0": expected 1..3600 s'
	x "$ST" -s $o show -i abc; want_rc 2; want_err 'interval "abc": expected 1..3600 s'
	x "$ST" -s $o show interval 3601; want_rc 2; want_err 'interval "3601": expected 1..3600 s'
	x "$ST" -s $o show -i -1; want_rc 2; want_err 'interval "-1": expected 1..3600 s'
	x "$ST" -s $o show count 2; want_rc 2; want_err 'count needs -i SECS'
	x "$ST" -s $o show -i 1 count 0; want_rc 2; want_err 'count "0": expected a positive integer'
	x "$ST" -s $o show -i 1 count x; want_rc 2; want_err 'count "x": expected a positive integer'
	x "$ST" -s $o show -i; want_rc 2; want_err 'Command line is not complete'
	[ -z "$(cat "$T/out")" ] || t_fail "$o: a rejected show printed: $(head -3 "$T/out")"
done
x "$ST" -s stream show sdp dev lo -i 1; want_rc 2; want_err 'sdp is printed once: no -i'
t_end

if [ $have_sdp = 1 ]; then
	t_begin "sdp show 05: format and the timing core's numbers (1080p50 GPM: 4320, TRS 4444.444 ns, CMAX 5, VRXFULL 8)"
	x "$ST" sdp show "$F05"; want_rc 0
	want_out "stream 0: video 239.20.112.1 port 50020 ttl 64 pt 96"
	want_out "1920x1080 progressive 50 fps, YCbCr-4:2:2 10-bit, 2110GPM, BT709, 2110TPN"
	want_out "npackets 4320 (1200-byte payload) trs 4444.444 ns troffset 764444.444 ns (default) cmax 5 vrxfull 8"
	want_err ":10: warning: fmtp: non-standard parameter 'progressive' ignored"
	x "$ST" -d sdp show "$F05"; want_out "tframe 20000000.000 ns tdrain 4208.754 ns rnominal 216000.000 pkt/s prs gapped"
	want_out "limits: cmax N 5 NL 5 W 16 vrxfull N 8 W 720"
	t_end

	t_begin "sdp show 10 (1080i25 DUP) and 13 (no TP: warning, 2110TPN assumed)"
	x "$ST" sdp show "$F10"; want_rc 0
	want_out "1920x1080 interlaced 25 fps"; want_out "mid PRIMARY dup-group 0"
	want_out "stream 1: video 239.50.2.2 port 50150"; want_out "dup-group 0: streams 0 and 1"
	want_out "trs 8888.888 ns troffset 782222.222 ns (default) cmax 4 vrxfull 8"
	x "$ST" sdp show "$F13"; want_rc 0; want_out "2110TPN (assumed: no TP)"
	want_err "13_nmostesting_1080p50_LIST_generated_noTP_EDGECASE.sdp:13: warning: fmtp: no TP (ST 2110-21 §8 requires it); 2110TPN assumed"
	t_end

	t_begin "sdp check: every accepted file exit 0; 07 and 09 exit 1 naming their line"
	x "$ST" sdp check "${GOOD[@]}"; want_rc 0
	[ "$(grep -c ': ok, ' "$T/out")" = "${#GOOD[@]}" ] || t_fail "not ${#GOOD[@]} ok lines: $(cat "$T/out")"
	x "$ST" sdp check "$F09"; want_rc 1; no_out
	want_err_is "$F09:11: line starts with white space: SDP has no continuation lines (is the previous line folded?)"
	x "$ST" sdp check "$F07"; want_rc 1
	want_err "$F07:12: ptime: audio payload exceeds 1440 bytes (1460-byte Standard UDP Size Limit)"
	x "$ST" sdp check "$F05" "$F09" "$F10"; want_rc 1; want_out "$F05: ok, 1 stream"
	want_out "$F10: ok, 2 streams"; want_err "$F09:11:"
	x "$ST" sdp check /nonexistent/x.sdp; want_rc 1
	want_err_is "/nonexistent/x.sdp: cannot open: No such file or directory"
	t_end

	t_begin "-j sdp show: valid JSON for every accepted file, machine units (05: npackets 4320, trs_ns_frac 40000/9)"
	for f in "${GOOD[@]}"; do
		x "$ST" -j sdp show "$f"; want_rc 0; is_json "$T/out"
		x "$ST" -j -p sdp show "$f"; is_json "$T/out"
	done
	x "$ST" -j sdp show "$F05"
	want_py 'd["streams"][0]["video"]["timing"]["npackets"]' "$T/out" 4320
	want_py 'd["streams"][0]["video"]["timing"]["trs_ns"], d["streams"][0]["video"]["timing"]["trs_ns_frac"]' "$T/out" "(4444, '40000/9')"
	want_py 'd["streams"][0]["video"]["timing"]["cmax_pkts"], d["streams"][0]["video"]["timing"]["vrx_full_pkts"]' "$T/out" "(5, 8)"
	want_py 'd["streams"][0]["video"]["timing"]["ip_bps"] > 10**9, d["streams"][0]["port"], d["streams"][0]["dst"]' "$T/out" "(True, 50020, '239.20.112.1')"
	want_py 'd["warnings"][0]["line"]' "$T/out" 10
	[ "$(head -c 1 "$T/out")" = "{" ] && [ "$(wc -l <"$T/out")" = 1 ] || t_fail "-j without -p is not one line"
	t_end

	t_begin "-j sdp check: valid JSON with the error line of 07 and 09, exit 1"
	x "$ST" -j sdp check "$SDP_DIR"/*.sdp; want_rc 1; is_json "$T/out"
	want_py '[(__import__("os").path.basename(e["file"])[:2], e["ok"], e.get("error", {}).get("line")) for e in d if not e["ok"]]' "$T/out" \
		"[('07', False, 12), ('09', False, 11)]"
	want_py 'sum(e["ok"] for e in d)' "$T/out" "${#GOOD[@]}"
	t_end

	t_begin "sdp convert: canonical SDP (CRLF) that checks clean and is a fixed point, for every accepted file"
	for f in "${GOOD[@]}"; do
		x "$ST" sdp convert "$f"; want_rc 0; cp "$T/out" "$T/c1"
		grep -q $'\r$' "$T/c1" || t_fail "${f##*/}: no CRLF"
		"$ST" sdp check - <"$T/c1" >"$T/out" 2>"$T/err" || t_fail "${f##*/}: converted text rejected: $(cat "$T/err")"
		"$ST" sdp convert - <"$T/c1" >"$T/c2" 2>/dev/null
		cmp -s "$T/c1" "$T/c2" || t_fail "${f##*/}: convert is not a fixed point"
	done
	t_end

	t_begin "sdp show - reads standard input"
	x "$ST" sdp show "$F10"; cp "$T/out" "$T/full"
	"$ST" sdp show - <"$F10" >"$T/out" 2>/dev/null
	cmp -s "$T/out" "$T/full" || t_fail "stdin output differs"
	want_out "stream 1: video 239.50.2.2 port 50150"
	t_end
else
	for i in $(seq 7); do result 4 "cli: sdp test $i" "$SDP_DIR missing"; done
fi

# batch files: line 3 is the error
good=${GOOD[0]:-/dev/null}
printf 'sdp check %s\n# a comment\nfoo bar\n\nsdp check "%s"\n' "$good" "$good" >"$T/batch1"
t_begin "-b: the error on line 3 is reported as such and stops the batch (exit 2)"
x "$ST" -b "$T/batch1"; want_rc 2
want_err 'Object "foo" is unknown, try "st2110 help".'; want_err "Command failed $T/batch1:3"
[ "$(grep -c ': ok, ' "$T/out")" = 1 ] || t_fail "line 1 should have run, line 5 not: $(cat "$T/out")"
t_end

t_begin "-force -b: every line runs, the failure is still reported, exit 2"
x "$ST" -force -b "$T/batch1"; want_rc 2; want_err "Command failed $T/batch1:3"
[ "$(grep -c ': ok, ' "$T/out")" = 2 ] || t_fail "lines 1 and 5 should have run: $(cat "$T/out")"
t_end

printf 'ptp show dev lo\nsdp check %s\nsdp check %s\n' "$F09" "$good" >"$T/batch2"
t_begin "-b: a runtime failure on line 2 gives exit 1; -b - reads stdin; quotes group words"
x "$ST" -b "$T/batch2"; want_rc 1; want_err "Command failed $T/batch2:2"; want_out "1: lo:"
"$ST" -b - <"$T/batch2" >"$T/out" 2>"$T/err"; rc=$?; want_rc 1; want_err "Command failed -:2"
cp "$good" "$T/with space.sdp"
printf 'sdp check "%s"\n  # indented comment\n' "$T/with space.sdp" >"$T/batch3"
x "$ST" -b "$T/batch3"; want_rc 0; want_out "$T/with space.sdp: ok"
printf 'sdp check "unterminated\n' >"$T/batch4"
x "$ST" -b "$T/batch4"; want_rc 2; want_err "$T/batch4:1: unterminated quote"
x "$ST" -b /nonexistent/batch; want_rc 1; want_err "Cannot open file \"/nonexistent/batch\" for batch"
t_end

# ---- network namespaces ----
if ip netns add "$NS" 2>"$T/nserr" && ip -n "$NS" link add v0 type veth peer name v1 2>>"$T/nserr"; then
	t_begin "-n NETNS: ptp show sees exactly lo, v0, v1 of a namespace created here; veth says 'phc none'"
	x "$ST" -n "$NS" ptp show; want_rc 0
	names=$(sed -n 's/^[0-9]*: \([^:]*\):.*/\1/p' "$T/out" | sort | tr '\n' ' ')
	[ "$names" = "lo v0 v1 " ] || t_fail "devices '$names', want 'lo v0 v1 '"
	grep -q "^[0-9]*: v0: phc none (no PTP hardware clock)$" "$T/out" || t_fail "v0 not reported as 'phc none': $(cat "$T/out")"
	x "$ST" -n "$NS" -j ptp show; is_json "$T/out"
	want_py 'sorted(x["ifname"] for x in d["devices"])' "$T/out" "['lo', 'v0', 'v1']"
	want_py '[x["phc_index"] for x in d["devices"] if x["ifname"] == "v1"], "phc" in d["devices"][1]' "$T/out" "([-1], False)"
	x "$ST" -n "$NS" ptp show dev v1; want_rc 0; want_out ": v1: phc none"
	t_end

	t_begin "-n NETNS with -b; the host's devices are not visible in the namespace"
	printf 'ptp show dev v0\n' >"$T/batchns"
	x "$ST" -n "$NS" -b "$T/batchns"; want_rc 0; want_out ": v0: phc none"
	hostdev=$(ip -o link show | awk -F': ' '$2 != "lo" { sub(/@.*/, "", $2); print $2; exit }')
	if [ -n "$hostdev" ]; then
		x "$ST" -n "$NS" ptp show dev "$hostdev"; want_rc 1
		want_err_is "Device \"$hostdev\" does not exist."
	fi
	t_end
	ip netns del "$NS"
else
	result 4 "cli: -n NETNS ptp show" "cannot create a network namespace: $(cat "$T/nserr")"
	result 4 "cli: -n NETNS with -b" "cannot create a network namespace"
fi

t_begin "-n with a missing namespace: exit 1 with ip's message"
x "$ST" -n st2110-no-such-ns ptp show; want_rc 1; no_out
want_err_is 'Cannot open network namespace "st2110-no-such-ns": No such file or directory'
t_end

# ---- ptp show on this host ----
t_begin "ptp show on the host: every device listed, TAI offset as measured, WARNING iff it is 0"
x "$ST" ptp show; want_rc 0; cp "$T/out" "$T/host"
for d in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
	grep -q "^[0-9]*: $d:" "$T/host" || t_fail "device $d missing"
done
grep -q "^system: tai-offset" "$T/host" || t_fail "no system line"
x "$ST" -j ptp show; is_json "$T/out"
measured=$(python3 -c 'import time; print(round((time.clock_gettime_ns(time.CLOCK_TAI) - time.time_ns()) / 1e9))')
want_py 'd["system"]["tai_offset_s"]' "$T/out" "$measured"
if [ "$measured" = 0 ]; then
	grep -qxF "WARNING: CLOCK_TAI equals CLOCK_REALTIME: the kernel TAI offset is 0; a PTP-locked sender will be 37 s off; run phc2sys -a -r or set it" "$T/host" ||
		t_fail "TAI offset 0 but no WARNING line"
else
	grep -q "TAI offset is 0" "$T/host" && t_fail "WARNING printed with a TAI offset of $measured"
fi
want_py 'all(("phc" in x) == (x["phc_index"] >= 0) for x in d["devices"])' "$T/out" True
t_end

t_begin "ptp show dev lo: no PHC, said cleanly; a missing device is ip's error, exit 1"
x "$ST" ptp show dev lo; want_rc 0; want_out "1: lo: phc none (no PTP hardware clock)"
x "$ST" ptp show nope0; want_rc 1; want_err_is 'Device "nope0" does not exist.'
x "$ST" ptp show dev nope0; want_rc 1; want_err_is 'Device "nope0" does not exist.'
x "$ST" -d ptp show dev lo; want_rc 0; want_out "hw-tx-types none"
t_end

t_begin "-s and -d are accepted by every object (no effect where nothing applies)"
x "$ST" -s -d ptp show dev lo; want_rc 0; want_out "hw-tx-types"
if [ $have_sdp = 1 ]; then x "$ST" -s -statistics sdp check "$F05"; want_rc 0; want_out ": ok, 1 stream"; fi
t_end

t_begin "exit status: 0 ok, 1 runtime, 2 usage (summary of the above)"
x "$ST" ptp show dev lo; want_rc 0
x "$ST" ptp show dev nope0; want_rc 1
x "$ST" ptp bogus; want_rc 2
t_end

# ---- the same commands under ASan+UBSan ----
t_begin "the CLI under -fsanitize=address,undefined: no report on any command above"
san() {
	"$STSAN" "$@" >/dev/null 2>"$T/san.err"
	if grep -qE "AddressSanitizer|runtime error|LeakSanitizer" "$T/san.err"; then
		t_fail "st2110-san $*: $(grep -m3 -E 'Sanitizer|runtime error' "$T/san.err")"
	fi
}
"$STSAN" -V 2>&1 | grep -q "st2110 utility" || t_fail "$STSAN is not the sanitizer build"
san -V; san help; san foo; san sdp frob; san -zz; san sdp show
san ptp show; san -j -p ptp show; san -d ptp show dev lo; san ptp show dev nope0
san -b "$T/batch1"; san -force -b "$T/batch1"; san -b "$T/batch2"; san -b "$T/batch4"
san -n st2110-no-such-ns ptp show
for f in "$SDP_DIR"/*.sdp; do
	[ -f "$f" ] || continue
	san sdp show "$f"; san -d sdp show "$f"; san -j -p sdp show "$f"; san sdp convert "$f"
done
san -j sdp check "$SDP_DIR"/*.sdp
t_end

if [ $((n - cli_start)) -ne "$CLI_TESTS" ]; then
	echo "# run.sh bug: $((n - cli_start)) CLI results, CLI_TESTS=$CLI_TESTS"
	while [ $((n - cli_start)) -lt "$CLI_TESTS" ]; do result 1 "cli: missing CLI result"; done
fi

# ---- ptp show against a real (emulated) PHC in a guest ----
vm_skip() {
	local i

	for i in $(seq "$VM_TESTS"); do
		result 4 "cli: vm: ptp test $i" "$1"
	done
}
KVER=${ST2110_CLI_VM_KERNEL:-6.1}
if [ "${ST2110_CLI_VM:-1}" = 0 ]; then
	vm_skip "ST2110_CLI_VM=0"
elif ! command -v qemu-system-x86_64 >/dev/null; then
	vm_skip "qemu-system-x86_64 not installed"
else
	(cd "$TOP" && QEMU=$HERE/qemu-e1000e.sh "$TOP/selftests/vm/run-vm.sh" --kernel "$KVER" \
		--timeout 600 --env O -- "$HERE/vm-ptp.sh") >"$LOGS/vm.out" 2>"$LOGS/vm.err"
	status=$?
	vm_n=0
	while IFS= read -r line; do
		case $line in
		"not ok "*)	result 1 "cli: ${line#not ok } [$KVER]"; vm_n=$((vm_n + 1)) ;;
		"ok "*"# SKIP "*) d=${line#ok }; result 4 "cli: ${d%% # SKIP *} [$KVER]" "${d#* # SKIP }"; vm_n=$((vm_n + 1)) ;;
		"ok "*)		result 0 "cli: ${line#ok } [$KVER]"; vm_n=$((vm_n + 1)) ;;
		"#"*)		echo "$line" ;;
		esac
	done <"$LOGS/vm.out"
	if [ "$vm_n" -lt "$VM_TESTS" ]; then
		as_comment "$LOGS/vm.err" | tail -20
		while [ "$vm_n" -lt "$VM_TESTS" ]; do
			vm_n=$((vm_n + 1))
			if [ "$status" = 123 ]; then
				result 4 "cli: vm: ptp test $vm_n" "the QEMU test bed failed (run-vm.sh exit 123)"
			else
				result 1 "cli: vm: ptp test $vm_n never reported (run-vm.sh exit $status)"
			fi
		done
	fi
fi

[ "$failed" -eq 0 ]
