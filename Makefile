# SPDX-License-Identifier: GPL-2.0
# syslat: module (kbuild, against KDIR) + user harness + tests.
#   make                       module for the running kernel + harness
#   make KVER=6.12.x-amd64     module for another installed kernel
#   make check                 every test (unit, host, QEMU guests on each installed kernel)
#   make vm-bench              the benchmark suite in QEMU guests, Table-1 style
#   make kmod-bench            what the module adds to a syscall, icount guests (docs/module.md)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
W ?=

.PHONY: all modules user clean check deps unit host-test guest-test dkms-test \
	checkpatch kmod-bench kmod-objdump vm-bench patch-check check-patched patched-kernel install

all: modules user

modules:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "no kernel build tree at $(KDIR): install linux-headers-$(KVER) or pass KVER=/KDIR=" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

user:
	$(MAKE) -C user

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

# Installs what the tests and vm-bench need (Debian 12, as root).
deps:
	tests/deps.sh

unit: user
	$(MAKE) -C tests/unit check

host-test: user
	tests/host/run.sh

guest-test: user
	tests/guest/run-tests.sh
	tests/guest/race-tests.sh
	tests/guest/harness-tests.sh
	tests/guest/vm-bench-test.sh

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

kmod-bench:
	tests/kmod-bench.sh

kmod-objdump:
	tests/kmod-objdump.sh

vm-bench: deps user
	tests/guest/vm-bench.sh $(VMBENCH_ARGS)

patched-kernel:
	patches/build-kernel.sh $(KVER)

check-patched: deps user
	patches/check-patched.sh

clean:
	-[ -d "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean
	-$(MAKE) -C tests/unit clean
	rm -rf build
