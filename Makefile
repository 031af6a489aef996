# SPDX-License-Identifier: GPL-2.0
# syslat: module (kbuild, against KDIR) + user harness + tests.
#   make                       module for the running kernel + harness
#   make KVER=6.12.x-amd64     module for another installed kernel
#   make check                 every test (unit, host, QEMU guests on each installed kernel)
#   make vm-bench              the benchmark suite in QEMU guests, Table-1 style
#   make peers-bench           syslat next to perf bench and stress-ng, with ratios
#   make ctx-wss-bench         ctx-ring context switch against working set (lat_ctx -s)
#   make profile BENCH=getppid exact instruction profile of BENCH in a TCG+icount guest (docs/profile.md)
#   make install               harness, helpers, man pages, completion (PREFIX, DESTDIR)
#   make dkms-install          the module through DKMS, for every installed kernel
#   make deb                   Debian packages syslat + syslat-dkms in build/deb/
#   make doc-check             man pages vs --help, make install, completion, README links
#   make package-check         make deb, lintian, install + purge on this machine (root)
#   make kmod-bench            what the module adds to a syscall, icount guests (docs/module.md)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
W ?=
VERSION := $(shell cat VERSION)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/syslat
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# DKMS wants module sources in /usr/src/<name>-<version>, whatever PREFIX is.
MODSRCDIR ?= /usr/src/syslat-$(VERSION)
MODSRC := Kbuild VERSION dkms.conf $(wildcard kmod/Kbuild kmod/*.c kmod/*.h kmod/*.S)
HELPER_CFLAGS ?= $(CFLAGS)

.PHONY: all modules user clean check deps unit host-test guest-test dkms-test \
	checkpatch vm-bench profile patch-check check-patched patched-kernel peers-bench \
	man helpers install uninstall modules-install install-module-src \
	dkms-install dkms-uninstall deb package-check doc-check aa-bench kmod-bench kmod-objdump ctx-wss-bench

all: modules user

modules:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "no kernel build tree at $(KDIR): install linux-headers-$(KVER) or pass KVER=/KDIR=" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

user:
	$(MAKE) -C user

# The module for one kernel with kbuild (KVER/KDIR), into /lib/modules/KVER/updates.
modules-install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install

# Man pages generated from the harness's --help and man/*.prose (man/gen-man.sh).
man: user
	man/gen-man.sh user/syslat build/man

# Static helpers for QEMU guest images: the module's in-guest check program.
helpers: build/helpers/gtest
build/helpers/gtest: tests/guest/gtest.c
	@mkdir -p $(dir $@)
	$(CC) $(HELPER_CFLAGS) -static -O2 -Wall -Wextra $(LDFLAGS) -o $@ $<

install: user man helpers
	install -D -m 755 user/syslat $(DESTDIR)$(BINDIR)/syslat
	install -D -m 755 user/syslat-static $(DESTDIR)$(LIBEXECDIR)/syslat-static
	install -D -m 755 build/helpers/gtest $(DESTDIR)$(LIBEXECDIR)/gtest
	install -D -m 755 user/syslat-exec-helper $(DESTDIR)$(LIBEXECDIR)/syslat-exec-helper
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man4
	install -m 644 build/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 build/man/syslat.4 $(DESTDIR)$(MANDIR)/man4/
	install -D -m 644 completion/syslat $(DESTDIR)$(BASHCOMPDIR)/syslat

# Removes what install put there (the man pages by name, from build/man or
# by pattern when the tree was cleaned since).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/syslat $(DESTDIR)$(BASHCOMPDIR)/syslat
	rm -f $(DESTDIR)$(LIBEXECDIR)/syslat-static $(DESTDIR)$(LIBEXECDIR)/gtest
	rm -f $(DESTDIR)$(LIBEXECDIR)/syslat-exec-helper
	-rmdir $(DESTDIR)$(LIBEXECDIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/syslat.1 $(DESTDIR)$(MANDIR)/man1/syslat-*.1
	rm -f $(DESTDIR)$(MANDIR)/man4/syslat.4

# The module's sources as DKMS wants them (not build outputs, not user/).
install-module-src:
	install -d $(DESTDIR)$(MODSRCDIR)/kmod
	install -m 644 Kbuild VERSION dkms.conf $(DESTDIR)$(MODSRCDIR)/
	install -m 644 $(filter kmod/%,$(MODSRC)) $(DESTDIR)$(MODSRCDIR)/kmod/

# Root: register the sources with DKMS and build + install for every
# installed kernel that has headers (kernels installed later: DKMS's hook).
dkms-install: install-module-src
	dkms add syslat/$(VERSION)
	@set -e; for d in /lib/modules/*/build; do [ -d "$$d" ] || continue; \
		kv=$${d%/build}; kv=$${kv##*/}; \
		echo "dkms install syslat/$(VERSION) -k $$kv"; \
		dkms install syslat/$(VERSION) -k "$$kv"; done

dkms-uninstall:
	-dkms remove syslat/$(VERSION) --all
	rm -rf $(DESTDIR)$(MODSRCDIR)

# Debian packages from a copy of the tree, into build/deb/ (debian/make-deb.sh).
deb:
	debian/make-deb.sh build/deb

# Builds the packages, lintian, installs and purges them on this machine (root).
package-check:
	tests/package-test.sh

# Man pages against --help, make install/uninstall in a staging dir,
# completion, README size and links.
doc-check: user
	tests/doc-test.sh

# Installs what the tests and vm-bench need (Debian 12, as root).
deps:
	tests/deps.sh

unit: user
	$(MAKE) -C tests/unit check

host-test: user
	tests/host/run.sh
	tests/host/bench-test.sh
	tests/host/tune-test.sh
	tests/host/ipc-sweep-test.sh
	tests/host/mini-test.sh

guest-test: user
	tests/guest/run-tests.sh
	tests/guest/race-tests.sh
	tests/guest/harness-tests.sh
	tests/guest/vm-bench-test.sh
	tests/guest/profile-test.sh
	tests/guest/matrix-test.sh
	tests/guest/matrix-profile-test.sh
	tests/guest/tune-test.sh
	tests/guest/interference-test.sh

dkms-test:
	tests/dkms-test.sh

checkpatch:
	tests/checkpatch.sh
	tests/kmod-objdump.sh

patch-check:
	patches/check.sh

check: deps
	$(MAKE) unit
	$(MAKE) host-test
	$(MAKE) guest-test
	$(MAKE) dkms-test
	$(MAKE) checkpatch
	$(MAKE) patch-check
	$(MAKE) doc-check
	$(MAKE) package-check

# Not a test: prints syslat / peer ratios (tests/bench/peers.sh --help).
peers-bench: deps user
	tests/bench/peers.sh $(PEERS_ARGS)

# Not a test: prints ns per switch by working set (tests/bench/ctx-wss.sh --help).
ctx-wss-bench: user
	tests/bench/ctx-wss.sh $(CTXWSS_ARGS)

kmod-bench:
	tests/kmod-bench.sh

kmod-objdump:
	tests/kmod-objdump.sh

vm-bench: deps user
	tests/guest/vm-bench.sh $(VMBENCH_ARGS)

profile: user
	tests/guest/profile.sh $(PROFILE_ARGS) $(BENCH)

# A/A figure on this host (not a test): pairs of default runs, compared.
AA_K ?= 5
aa-bench: user
	tests/bench/aa-compare.sh $(AA_K) $(AA_ARGS)

patched-kernel:
	patches/build-kernel.sh $(KVER)

check-patched: deps user
	patches/check-patched.sh

clean:
	-[ -d "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean
	-$(MAKE) -C tests/unit clean
	rm -rf build
