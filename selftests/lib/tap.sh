# SPDX-License-Identifier: GPL-2.0
# TAP 13 helpers for the suites' run.sh scripts (sourced, not run).
# The caller sets n=0 and failed=0.

# result STATUS DESCRIPTION [SKIP-REASON]: STATUS 0 ok, 4 skip, else not ok
result() {
	n=$((n + 1))
	case $1 in
	0) echo "ok $n $2" ;;
	4) echo "ok $n $2 # SKIP $3" ;;
	*) echo "not ok $n $2"; failed=$((failed + 1)) ;;
	esac
}

# as_comment FILE: print FILE as TAP diagnostics
as_comment() {
	sed 's/^/# /' "$1"
}
