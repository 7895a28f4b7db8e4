#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-ptp.sh - "st2110 ptp show" against a real PHC, inside the QEMU test bed.
#
# Run by run.sh as: selftests/vm/run-vm.sh --env O -- selftests/cli/vm-ptp.sh
# with QEMU wrapped to add an emulated Intel 82574 (-device e1000e, no
# network backend: no traffic leaves the guest).  The e1000e driver exposes
# the emulated SYSTIM counter as /dev/ptpN.  The test bed boots with a TAI
# offset of 37 s.  Prints exactly VM_TESTS result lines "ok DESC",
# "not ok DESC" or "ok DESC # SKIP why"; run.sh numbers them.
#
# QEMU's emulated SYSTIM does not run at the guest's clock rate under TCG
# (it drifts by seconds per second), so no test expects a fixed offset: the
# offset is checked against linuxptp's phc_ctl readings taken just before
# and just after, and for its sign and size right after phc_ctl sets it.
set -u

VM_TESTS=6
ST=$O/st2110
TAI_SET=$O/selftests/cli/tai_set
TMP=$(mktemp -d)
n=0

say() {			# say STATUS DESC [REASON]
	n=$((n + 1))
	case $1 in
	0) echo "ok $2" ;;
	4) echo "ok $2 # SKIP $3" ;;
	*) echo "not ok $2"; [ -z "${3:-}" ] || echo "# $3" ;;
	esac
}

skip_all() {
	while [ "$n" -lt "$VM_TESTS" ]; do
		say 4 "vm: ptp test $((n + 1))" "$1"
	done
	exit 0
}

# field PYTHON-EXPR FILE: evaluate on the JSON document d
field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2"
}

modprobe e1000e 2>"$TMP/modprobe" || skip_all "modprobe e1000e failed: $(cat "$TMP/modprobe")"
dev=
for _ in $(seq 50); do
	for d in /sys/class/net/*; do
		[ -e "$d/device/ptp" ] && dev=${d##*/}
	done
	[ -n "$dev" ] && break
	sleep 0.2
done
[ -n "$dev" ] || skip_all "no network device with a PHC in the guest (is QEMU's -device e1000e there?)"
phc=$(basename "$(ls -d /sys/class/net/"$dev"/device/ptp/ptp* | head -n 1)")
ip link set "$dev" up 2>/dev/null

# 1: the text report names the PHC and the hardware capabilities
"$ST" ptp show >"$TMP/show" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^[0-9]*: $dev: phc /dev/$phc" "$TMP/show" &&
   grep -q "hardware-transmit" "$TMP/show" && grep -q "read delay" "$TMP/show"; then
	say 0 "vm: ptp show lists $dev with /dev/$phc, hardware timestamping and the read delay"
else
	say 1 "vm: ptp show lists $dev with /dev/$phc, hardware timestamping and the read delay" \
		"rc $rc: $(tr '\n' '|' <"$TMP/show")"
fi

# 2: the offset lies between two phc_ctl readings (phc_ctl prints
# "offset from CLOCK_REALTIME is <sys - phc>ns")
phc_ctl "$dev" cmp >"$TMP/a" 2>&1
"$ST" -j ptp show dev "$dev" >"$TMP/j"
phc_ctl "$dev" cmp >"$TMP/b" 2>&1
a=$(sed -n 's/.*offset from CLOCK_REALTIME is \(-\{0,1\}[0-9]*\)ns.*/\1/p' "$TMP/a")
b=$(sed -n 's/.*offset from CLOCK_REALTIME is \(-\{0,1\}[0-9]*\)ns.*/\1/p' "$TMP/b")
x=$(field 'd["devices"][0]["phc"]["offset_utc_ns"]' "$TMP/j" 2>/dev/null)
if [ -n "$a" ] && [ -n "$b" ] && [ -n "$x" ] &&
   python3 -c "import sys; a,b,x=-int(sys.argv[1]),-int(sys.argv[2]),int(sys.argv[3]); t=10**7; sys.exit(0 if min(a,b)-t <= x <= max(a,b)+t else 1)" "$a" "$b" "$x"; then
	say 0 "vm: PHC - CLOCK_REALTIME $x ns lies between phc_ctl's $((-a)) and $((-b)) ns (10 ms tolerance)"
else
	say 1 "vm: PHC - CLOCK_REALTIME lies between two phc_ctl readings" \
		"phc_ctl before '$a' after '$b' st2110 '$x': $(tr '\n' '|' <"$TMP/j")"
fi

# 3: the TAI figure is the UTC figure minus the kernel's 37 s, exactly
if [ "$(field 'd["system"]["tai_offset_s"]' "$TMP/j")" = 37 ] &&
   [ "$(field 'd["devices"][0]["phc"]["offset_ns"] - (d["devices"][0]["phc"]["offset_utc_ns"] - 37 * 10**9)' "$TMP/j")" = 0 ] &&
   [ "$(field 'abs(d["system"]["tai_minus_utc_ns"] - 37 * 10**9) < 10**7' "$TMP/j")" = True ]; then
	say 0 "vm: offset from CLOCK_TAI = offset from CLOCK_REALTIME - 37 s (kernel TAI offset 37)"
else
	say 1 "vm: offset from CLOCK_TAI = offset from CLOCK_REALTIME - 37 s (kernel TAI offset 37)" \
		"$(tr '\n' '|' <"$TMP/j")"
fi

# 4: the method: 82574 has no cross-timestamp, so PRECISE falls back to EXTENDED
m=$(field 'd["devices"][0]["phc"]["method"], d["devices"][0]["phc"]["samples"], 0 < d["devices"][0]["phc"]["delay_ns"] < 10**6' "$TMP/j")
if [ "$m" = "('PTP_SYS_OFFSET_EXTENDED', 9, True)" ]; then
	say 0 "vm: PTP_SYS_OFFSET_PRECISE unsupported, PTP_SYS_OFFSET_EXTENDED used, best of 9, delay < 1 ms"
else
	say 1 "vm: PTP_SYS_OFFSET_PRECISE unsupported, PTP_SYS_OFFSET_EXTENDED used, best of 9, delay < 1 ms" "got $m"
fi

# 5: the sign: PHC set to UTC reads about -37 s from TAI (and is flagged),
# PHC set to TAI reads about 0 (3 s allowed for the emulated clock's drift)
phc_ctl "$dev" set >/dev/null 2>&1 && "$ST" -j ptp show dev "$dev" >"$TMP/utc"
phc_ctl "$dev" set adj 37 >/dev/null 2>&1 && "$ST" -j ptp show dev "$dev" >"$TMP/tai"
u=$(field 'd["devices"][0]["phc"]["offset_ns"]' "$TMP/utc" 2>/dev/null)
t=$(field 'd["devices"][0]["phc"]["offset_ns"]' "$TMP/tai" 2>/dev/null)
uw=$(field 'any("not synchronised" in w for w in d["warnings"])' "$TMP/utc" 2>/dev/null)
if [ -n "$u" ] && [ -n "$t" ] && [ "$uw" = True ] &&
   python3 -c "import sys; u,t=int(sys.argv[1]),int(sys.argv[2]); s=10**9; sys.exit(0 if abs(u+37*s) < 3*s and abs(t) < 3*s else 1)" "$u" "$t"; then
	say 0 "vm: PHC at UTC reads $u ns from CLOCK_TAI (flagged), PHC at TAI reads $t ns"
else
	say 1 "vm: PHC at UTC reads about -37 s from CLOCK_TAI (flagged), PHC at TAI about 0" \
		"at UTC '$u' (warned: $uw), at TAI '$t'"
fi

# 6: a kernel TAI offset of 0 gives the WARNING line, 37 does not
warn="WARNING: CLOCK_TAI equals CLOCK_REALTIME: the kernel TAI offset is 0; a PTP-locked sender will be 37 s off; run phc2sys -a -r or set it"
"$TAI_SET" 0 && "$ST" ptp show dev lo >"$TMP/t0" 2>&1
rc0=$?
"$TAI_SET" 37 && "$ST" ptp show dev lo >"$TMP/t37" 2>&1
if [ $rc0 -eq 0 ] && grep -qxF "$warn" "$TMP/t0" && ! grep -q "TAI offset is 0" "$TMP/t37" &&
   grep -q "tai-offset 0 s" "$TMP/t0" && grep -q "tai-offset 37 s" "$TMP/t37"; then
	say 0 "vm: kernel TAI offset 0 prints the WARNING line (exit 0); 37 does not"
else
	say 1 "vm: kernel TAI offset 0 prints the WARNING line (exit 0); 37 does not" \
		"rc $rc0: $(tr '\n' '|' <"$TMP/t0")"
fi

rm -rf "$TMP"
[ "$n" -eq "$VM_TESTS" ] || echo "not ok vm-ptp.sh printed $n of $VM_TESTS results"
exit 0
