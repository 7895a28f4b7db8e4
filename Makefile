# SPDX-License-Identifier: GPL-2.0
#
# st2110 for Linux: top-level build.
#
#   make            module (against KDIR) + userspace tools + BPF objects
#   make demo       the main job (README, first command)
#   make check      every test: host, BPF, module tests in QEMU on 6.1 and 6.12
#   make deps       apt-install what is missing (idempotent)
#   make kmod-all   the module against every installed Debian header tree
#   make lint       W=1, sparse, checkpatch on kmod/; cppcheck on userspace/
#   make bench      benchmarks (pacing vs fq/etf, scale, XDP vs mroute, tools)
#   make install    module (extra/), tools, tc plugin, man pages, completion
#   make uninstall  remove exactly what install (or dkms) put in place
#   make dkms       hand the module source to DKMS (rebuilt on kernel upgrades)
#
# The module is built with M=kmod so that Kbuild's clean, which deletes every
# object below M, never reaches build/.  The top-level Kbuild (obj-m += kmod/)
# serves "make -C KDIR M=$PWD" from the top, as DKMS does.

TOP	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
O	?= $(TOP)/build
export O

# Newest installed Debian header tree of the plain amd64 flavour, unless the
# running kernel has its own build tree.  Never hard-code the ABI number.
headers_all = $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		grep -v -e '-common' | sort -V)
headers_plain = $(filter-out %-rt-amd64 %-cloud-amd64,$(headers_all))
KDIR	?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),$(lastword $(headers_plain)))

KSFT_H	:= $(O)/kselftest/kselftest.h
KSRC_TARBALL := $(lastword $(sort $(wildcard /usr/src/linux-source-*.tar.xz)))

.PHONY: all deps kmod kmod-all userspace selftests check demo bench lint clean help \
	install uninstall dkms

all: kmod userspace

help:
	@sed -n '3,14p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/selftests/tools/deps.sh

kmod:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
		echo "no kernel build tree: install linux-headers-amd64 (make deps) or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP)/kmod W=1 modules

# Build the module against every installed header tree; each result is kept
# in $(O)/kmod/<kver>/ so the VM tests can load the one matching their kernel.
kmod-all:
	@set -e; test -n "$(headers_all)" || { echo "no linux-headers-*-amd64 installed (make deps)" >&2; exit 1; }; \
	for kd in $(headers_all); do \
		kver=$${kd#/usr/src/linux-headers-}; \
		echo "  KMOD    $$kver"; \
		$(MAKE) -s -C $$kd M=$(TOP)/kmod W=1 modules; \
		mkdir -p $(O)/kmod/$$kver; cp $(TOP)/kmod/*.ko $(O)/kmod/$$kver/; \
		$(MAKE) -s -C $$kd M=$(TOP)/kmod clean; \
	done

userspace:
	$(MAKE) -C $(TOP)/userspace

# kselftest.h is taken from Debian's kernel source at build time, never committed.
$(KSFT_H):
	@test -n "$(KSRC_TARBALL)" || { echo "linux-source-6.1 missing: run make deps" >&2; exit 1; }
	@mkdir -p $(dir $@)
	@echo "  EXTRACT kselftest.h from $(notdir $(KSRC_TARBALL))"
	@src=$$(basename $(KSRC_TARBALL) .tar.xz); \
	 tar -xJf $(KSRC_TARBALL) -O $$src/tools/testing/selftests/kselftest.h > $@.tmp && mv $@.tmp $@

selftests: $(KSFT_H) userspace
	$(MAKE) -C $(TOP)/selftests

check: deps
	@$(MAKE) -s all kmod-all selftests
	@$(TOP)/selftests/run.sh

demo: deps
	@$(MAKE) -s all kmod-all selftests
	@$(TOP)/selftests/demo/demo.sh

# Benchmarks are not tests: figures, never verdicts (Documentation/performance.md).
bench: deps
	@$(MAKE) -s all kmod-all selftests
	@$(TOP)/selftests/bench/run.sh

# Installation is userspace/install.sh's job: it keeps a manifest so that
# uninstall removes exactly what was put in place (DESTDIR, PREFIX, KVER...).
install: all
	@$(TOP)/userspace/install.sh install

uninstall:
	@$(TOP)/userspace/install.sh uninstall

dkms:
	@$(TOP)/userspace/install.sh dkms

lint: deps $(KSFT_H)
	@$(TOP)/selftests/tools/lint.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP)/kmod clean 2>/dev/null
	-$(MAKE) -C $(TOP)/userspace clean
	-$(MAKE) -C $(TOP)/selftests clean
	rm -rf $(O)
