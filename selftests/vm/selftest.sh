#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh - TAP 13 tests of the QEMU test bed itself, run on the host.
#
#   selftest.sh [-k KERNEL] [-t TEST]... [-l]
#   -k  the main kernel (default 6.1), -t  run only these tests, -l  list them
#
# Each test boots a guest (5-10 s each under TCG, the icount ones about 15 s):
# the whole run takes a few minutes.  ST2110_VM_TEST_RT=1 also boots the
# PREEMPT_RT kernels (downloads them on first use).

set -u

. "$(dirname "$(readlink -f "$0")")/lib.sh"

RUN=$VM_DIR/run-vm.sh
KERNEL=${ST2110_VM_KERNEL:-6.1}

TESTS=(
	boot status_1 status_3 stdout stderr big_output cwd env rw log
	timeout warn warn_taint panic veth_netns sch_fq tai
	timing_tcg timing_icount kernel_612 kernel_rt no_leftovers
)

only=()
while getopts k:t:l opt; do
	case $opt in
	k)	KERNEL=$OPTARG ;;
	t)	only+=("$OPTARG") ;;
	l)	printf '%s\n' "${TESTS[@]}"; exit 0 ;;
	*)	echo "usage: $VM_PROG [-k KERNEL] [-t TEST]... [-l]" >&2; exit 2 ;;
	esac
done
if [ ${#only[@]} -gt 0 ]; then
	for t in "${only[@]}"; do
		[[ " ${TESTS[*]} " == *" $t "* ]] || { echo "$VM_PROG: no test $t (-l lists them)" >&2; exit 2; }
	done
	TESTS=("${only[@]}")
fi

# All runs keep their temporary files below one directory, so the last test
# can prove that none were left behind.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/st2110-vm-selftest.XXXXXX")
export TMPDIR=$WORK/tmp
mkdir "$TMPDIR"
trap 'rm -rf "$WORK"' EXIT

OUT=$WORK/out
ERR=$WORK/err
SKIP_WHY=
FAIL_WHY=
KVER=

# vm [run-vm.sh options] -- CMD...: run, capture stdout/stderr, set $rc
vm()
{
	rc=0
	"$RUN" --kernel "$KERNEL" "$@" >"$OUT" 2>"$ERR" || rc=$?
}

fail()
{
	FAIL_WHY=$*
	return 1
}

skip()
{
	SKIP_WHY=$*
	return 4
}

expect_rc()
{
	[ "$rc" = "$1" ] || fail "exit status $rc, expected $1; stderr: $(tail -n 5 "$ERR" | tr '\n' ' ')"
}

# Per-kernel build of the WARN module, against the installed headers.
build_warn_module()
{
	local dir=$VM_BUILD/warn/$KVER kbuild=/lib/modules/$KVER/build

	[ -f "$kbuild/Makefile" ] || return 1
	mkdir -p "$dir"
	cp "$VM_DIR/warn/vm_warn.c" "$VM_DIR/warn/Kbuild" "$dir/"
	make -s -C "$kbuild" M="$dir" modules >"$WORK/kbuild.log" 2>&1 || return 1
	[ -f "$dir/vm_warn.ko" ]
}

# field NAME <<<"a=1 NAME=2": the value of NAME
field()
{
	tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

t_boot()
{
	vm --verbose -- true
	expect_rc 0 || return 1
	echo "# $(grep -o 'boot [0-9.]* s to command' "$ERR") ($KERNEL, 2 vCPU TCG)"
}

t_status_1()
{
	vm -- sh -c 'exit 1'
	expect_rc 1
}

t_status_3()
{
	vm -- sh -c 'exit 3'
	expect_rc 3
}

# stdout and stderr are checked byte for byte: a tty left in cooked mode
# would turn \n into \r\n.
t_stdout()
{
	vm -- sh -c 'echo out1; echo err1 >&2; printf "a\tb\r\nc"; echo; echo out2'
	STDERR_SEEN=$(cat "$ERR")
	expect_rc 0 || return 1
	printf 'out1\na\tb\r\nc\nout2\n' >"$WORK/want"
	cmp -s "$OUT" "$WORK/want" || fail "stdout differs: $(od -c "$OUT" | head -n 4 | tr '\n' ' ')"
}

t_stderr()
{
	[ -n "${STDERR_SEEN+set}" ] || { skip "needs the stdout test's run"; return; }
	[ "$STDERR_SEEN" = err1 ] || fail "stderr is '$STDERR_SEEN', expected 'err1'"
}

# 1.3 MB in one go, then an immediate reset: the tail must not be lost.
t_big_output()
{
	vm -- seq 1 200000
	expect_rc 0 || return 1
	[ "$(sha256sum <"$OUT")" = "$(seq 1 200000 | sha256sum)" ] ||
		fail "output differs: $(wc -c <"$OUT") bytes, last line '$(tail -n 1 "$OUT")'"
}

t_cwd()
{
	local dir

	dir=$(mktemp -d "$WORK/cwd with space.XXXXXX")
	(cd "$dir" && "$RUN" --kernel "$KERNEL" -- pwd >"$OUT" 2>"$ERR") && rc=0 || rc=$?
	expect_rc 0 || return 1
	[ "$(cat "$OUT")" = "$dir" ] || fail "guest pwd '$(cat "$OUT")', host '$dir'"
}

t_env()
{
	# shellcheck disable=SC2016 # expanded by the guest
	ST2110_T1="a 'quoted' \$value" vm --env ST2110_T1 --env ST2110_T2='x y' \
		--env ST2110_UNSET_XYZ -- sh -c 'printf "%s|%s|%s" "$ST2110_T1" "$ST2110_T2" "${ST2110_UNSET_XYZ-unset}"'
	expect_rc 0 || return 1
	[ "$(cat "$OUT")" = "a 'quoted' \$value|x y|unset" ] || fail "guest saw '$(cat "$OUT")'"
}

t_rw()
{
	local dir=$WORK/rw

	mkdir -p "$dir"
	vm --rw "$dir" -- sh -c "echo written >'$dir/file'; touch /root-is-not-shared"
	expect_rc 0 || return 1
	[ "$(cat "$dir/file" 2>/dev/null)" = written ] || { fail "host does not see the guest's file"; return; }
	[ ! -e /root-is-not-shared ] || fail "a write to the guest's / reached the host"
}

t_log()
{
	vm --log "$WORK/dmesg" -- true
	expect_rc 0 || return 1
	grep -q "Linux version $KVER" "$WORK/dmesg" || fail "--log has no 'Linux version $KVER'"
}

t_timeout()
{
	local t0=$SECONDS

	vm --timeout 10 -- sleep 600
	expect_rc 124 || return 1
	[ $((SECONDS - t0)) -lt 40 ] || fail "took $((SECONDS - t0)) s to time out after 10 s"
}

t_warn()
{
	build_warn_module || { skip "cannot build selftests/vm/warn for $KVER (linux-headers-$KVER?)"; return; }
	vm -- insmod "$VM_BUILD/warn/$KVER/vm_warn.ko"
	expect_rc 125 || return 1
	grep -q 'WARNING: CPU' "$ERR" || fail "the report lacks the WARNING line"
}

# Without panic_on_warn the taint is what gives the WARN away.
t_warn_taint()
{
	[ -f "$VM_BUILD/warn/$KVER/vm_warn.ko" ] || { skip "no vm_warn.ko (see the warn test)"; return; }
	vm --append panic_on_warn=0 -- sh -c "insmod '$VM_BUILD/warn/$KVER/vm_warn.ko' && echo alive"
	expect_rc 125 || return 1
	grep -q alive "$OUT" || { fail "the guest did not survive the WARN: panic_on_warn=0 ignored?"; return; }
	grep -q 'tainted=' "$ERR" || fail "the report does not name the taint"
}

t_panic()
{
	vm -- sh -c 'echo c >/proc/sysrq-trigger; sleep 5'
	expect_rc 125 || return 1
	grep -q 'Kernel panic' "$ERR" || fail "the report lacks the panic"
}

t_veth_netns()
{
	vm -- sh -c '
		set -e
		ip netns add a
		ip netns add b
		ip link add va netns a type veth peer name vb netns b
		ip -n a addr add 192.0.2.1/24 dev va
		ip -n b addr add 192.0.2.2/24 dev vb
		ip -n a link set va up
		ip -n b link set vb up
		ip netns exec a busybox ping -c 2 -W 5 192.0.2.2'
	expect_rc 0 || return 1
	grep -q '2 packets received' "$OUT" || fail "ping: $(tail -n 2 "$OUT" | tr '\n' ' ')"
}

t_sch_fq()
{
	vm -- sh -c 'modprobe sch_fq && tc qdisc add dev lo root fq && tc qdisc show dev lo'
	expect_rc 0 || return 1
	grep -q '^qdisc fq ' "$OUT" || fail "tc shows '$(head -n 1 "$OUT")'"
}

t_tai()
{
	local off ns

	vm -- "$VM_BUILD/vm-tai"
	expect_rc 0 || return 1
	off=$(field tai_offset_s <"$OUT")
	ns=$(field measured_ns <"$OUT")
	[ "$off" = 37 ] || { fail "adjtimex TAI offset '$off', expected 37"; return; }
	{ [ -n "$ns" ] && [ "$ns" -gt 36990000000 ] && [ "$ns" -lt 37010000000 ]; } ||
		fail "CLOCK_TAI - CLOCK_REALTIME = ${ns:-?} ns, expected 37 s"
}

# clock_nanosleep(CLOCK_TAI) wake-up lateness, 300 sleeps of 100 us under
# SCHED_FIFO; sleeplat_check names the run in the diagnostics.
sleeplat_check()
{
	local mode=$1 line p50 p99 n

	line=$(grep "^count=" "$OUT" | sed -n "${2}p")
	n=$(field count <<<"$line")
	p50=$(field p50_ns <<<"$line")
	p99=$(field p99_ns <<<"$line")
	{ [ "$n" = 300 ] && [ -n "$p50" ] && [ -n "$p99" ]; } || { fail "vm-sleeplat said '$line'"; return; }
	echo "# $mode: $line"
	SLEEP_P50=$p50
	SLEEP_P99=$p99
}

t_timing_tcg()
{
	vm -- "$VM_BUILD/vm-sleeplat" -f -n 300 -p 100000
	expect_rc 0 || return 1
	sleeplat_check "multi-threaded TCG, 2 vCPU" 1 || return 1
	# Emulation noise is large but bounded; a clock that does not work
	# (lateness < 0 or in seconds) is not.
	{ [ "$SLEEP_P50" -ge 0 ] && [ "$SLEEP_P50" -lt 20000000 ]; } ||
		fail "p50 lateness $SLEEP_P50 ns"
}

# Under -icount the guest's time is its instruction count: timers fire
# within a few us and two runs agree (reference: p50 3.6 us, p99 4.5 us).
t_timing_icount()
{
	local a50 a99

	vm --icount -- sh -c "nproc; for i in 1 2; do '$VM_BUILD/vm-sleeplat' -f -n 300 -p 100000 || exit; done"
	expect_rc 0 || return 1
	[ "$(head -n 1 "$OUT")" = 1 ] || { fail "icount guest has $(head -n 1 "$OUT") CPUs, expected 1"; return; }
	sleeplat_check "icount run 1" 1 || return 1
	a50=$SLEEP_P50 a99=$SLEEP_P99
	sleeplat_check "icount run 2" 2 || return 1
	{ [ "$a99" -lt 50000 ] && [ "$SLEEP_P99" -lt 50000 ]; } ||
		{ fail "p99 lateness $a99 / $SLEEP_P99 ns under icount, expected < 50 us"; return; }
	{ [ $((a50 - SLEEP_P50)) -le 2000 ] && [ $((SLEEP_P50 - a50)) -le 2000 ]; } ||
		fail "p50 lateness differs between runs: $a50 vs $SLEEP_P50 ns"
}

t_kernel_612()
{
	[ "$KERNEL" != 6.12 ] || { skip "the main kernel is 6.12 already"; return; }
	rc=0
	"$RUN" --kernel 6.12 -- sh -c 'uname -r; modprobe veth && ip link add va type veth peer name vb && echo veth-ok' \
		>"$OUT" 2>"$ERR" || rc=$?
	expect_rc 0 || return 1
	grep -q veth-ok "$OUT" || { fail "6.12: $(tr '\n' ' ' <"$OUT")"; return; }
	echo "# 6.12 runs $(head -n 1 "$OUT")"
}

t_kernel_rt()
{
	local k

	[ "${ST2110_VM_TEST_RT:-0}" = 1 ] || { skip "set ST2110_VM_TEST_RT=1 to boot 6.1-rt and 6.12-rt"; return; }
	for k in 6.1-rt 6.12-rt; do
		rc=0
		"$RUN" --kernel "$k" -- sh -c 'uname -v; modprobe sch_fq && tc qdisc add dev lo root fq && echo fq-ok' \
			>"$OUT" 2>"$ERR" || rc=$?
		expect_rc 0 || return 1
		grep -q PREEMPT_RT "$OUT" || { fail "$k is not PREEMPT_RT: $(head -n 1 "$OUT")"; return; }
		grep -q fq-ok "$OUT" || { fail "$k: sch_fq failed"; return; }
	done
}

t_no_leftovers()
{
	local left

	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || { fail "left in TMPDIR: $left"; return; }
	! pgrep -f "$WORK" >/dev/null || fail "processes left: $(pgrep -af "$WORK" | head -n 3)"
}

KVER=$("$VM_DIR/kernels.sh" release "$KERNEL") || { echo "Bail out! no kernel $KERNEL"; exit 1; }
# Their chatter (a first download, compiler output) as TAP diagnostics.
"$VM_DIR/kernels.sh" fetch "$KVER" 2>&1 | sed 's/^/# /'
[ "${PIPESTATUS[0]}" = 0 ] || { echo "Bail out! cannot fetch kernel $KERNEL"; exit 1; }
make -s -C "$VM_DIR" O="${VM_BUILD%/vm}" 2>&1 | sed 's/^/# /'
[ "${PIPESTATUS[0]}" = 0 ] || { echo "Bail out! cannot build the helpers"; exit 1; }

echo "TAP version 13"
echo "1..${#TESTS[@]}"
n=0
failed=0
for t in "${TESTS[@]}"; do
	n=$((n + 1))
	SKIP_WHY=
	FAIL_WHY=
	r=0
	"t_$t" || r=$?
	case $r in
	0)	echo "ok $n $t" ;;
	4)	echo "ok $n $t # SKIP $SKIP_WHY" ;;
	*)	[ -z "$FAIL_WHY" ] || echo "# $t: $FAIL_WHY"
		echo "not ok $n $t"
		failed=$((failed + 1)) ;;
	esac
done
echo "# $failed of ${#TESTS[@]} failed (kernel $KVER)"
[ "$failed" = 0 ]
