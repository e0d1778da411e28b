# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Out-of-tree build of smalloc.ko, its sample and test modules, plus the
# project's test targets. KDIR defaults to what scripts/lib.sh picks, as
# every script does: the running kernel's build directory if that kernel is
# of the generic flavour, else the newest installed Debian
# linux-headers-*-amd64 of that flavour (not -rt-amd64, not -cloud-amd64).
# KVER=<release> (e.g. 6.1.0-56-amd64), FLAVOUR=rt-amd64 or KSERIES=6.12
# (the newest of that series) picks another; KDIR=<dir> overrides it all.
# Worked out once, and not when KDIR is given (DKMS gives it, in a source
# tree without scripts/).

smalloc_lib := $(wildcard $(CURDIR)/scripts/lib.sh)
smalloc_kdir_cmd := KVER='$(KVER)' FLAVOUR='$(FLAVOUR)' KSERIES='$(KSERIES)' $(smalloc_lib) kdir
smalloc_kdir := $(if $(KDIR)$(if $(smalloc_lib),,none),,$(shell $(smalloc_kdir_cmd) 2>/dev/null))
KDIR ?= $(smalloc_kdir)

kbuild = $(MAKE) -C $(KDIR) W=1

# The version lives in VERSION only; Kbuild and dkms.conf read it too.
VERSION := $(shell cat $(CURDIR)/VERSION)
# The release KDIR was configured for: where modules_install puts smalloc.ko
# (KVER is only what the user asks for).
kdir_release = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
# Client modules build against these (see README.md): the header once,
# Module.symvers once per kernel.
SMALLOC_DEV_DIR ?= /usr/src/smalloc-$(VERSION)
INSTALL_MOD_DIR ?= extra
# What a DKMS source tree needs: no objects, no build/.
DKMS_FILES := VERSION dkms.conf Makefile Kbuild Kconfig LICENSE LICENSES \
	$(wildcard smalloc_*.c smalloc_*.h)

.PHONY: all modules samples tests check check-matrix kunit mutants lint demo bench bench-smoke clean print-kdir \
	install uninstall dkms-install dkms-uninstall

all: modules

modules:
	@test -n "$(KDIR)" || { $(if $(smalloc_lib),$(smalloc_kdir_cmd) >/dev/null &&) \
		echo "no kernel headers: give KDIR=<kernel build directory>" >&2; exit 1; }
	$(kbuild) M=$(CURDIR) CONFIG_SMALLOC=m modules

samples: modules
	$(kbuild) M=$(CURDIR)/samples KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

tests: modules
	$(kbuild) M=$(CURDIR)/tests KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

kunit:
	scripts/kunit.sh

# Not part of check: 10 to 20 minutes on 2 cores (see scripts/mutants.sh).
mutants:
	scripts/mutants.sh

check:
	scripts/check.sh

# Not part of check but its W=1 cells: the guests and KUnit kernels of the
# support matrix (see scripts/matrix.sh and README.md).
check-matrix:
	scripts/matrix.sh

lint:
	scripts/lint.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

bench-smoke:
	scripts/bench.sh --smoke

# DESTDIR stages the whole install (packaging). Debian's headers carry no
# signing key or System.map: sign-file and kbuild's depmod would only fail,
# so neither runs there (under Secure Boot use DKMS, which signs with its MOK).
install: modules
	$(kbuild) M=$(CURDIR) CONFIG_SMALLOC=m INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		CONFIG_MODULE_SIG_ALL= $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(if $(DESTDIR),,depmod $(kdir_release))
	install -D -m 0644 smalloc_core.h $(DESTDIR)$(SMALLOC_DEV_DIR)/include/smalloc_core.h
	install -D -m 0644 smalloc_kmalloc.h $(DESTDIR)$(SMALLOC_DEV_DIR)/include/smalloc_kmalloc.h
	install -D -m 0644 Module.symvers $(DESTDIR)$(SMALLOC_DEV_DIR)/$(kdir_release)/Module.symvers

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(kdir_release)/$(INSTALL_MOD_DIR)/smalloc.ko
	rm -rf $(DESTDIR)$(SMALLOC_DEV_DIR)/include $(DESTDIR)$(SMALLOC_DEV_DIR)/$(kdir_release)
	-rmdir $(DESTDIR)$(SMALLOC_DEV_DIR) 2>/dev/null
	$(if $(DESTDIR),,depmod $(kdir_release))

# DKMS rebuilds smalloc.ko for every kernel installed later, too.
dkms-install:
	mkdir -p /usr/src/smalloc-$(VERSION)
	cp -r $(DKMS_FILES) /usr/src/smalloc-$(VERSION)/
	dkms add -m smalloc -v $(VERSION)
	dkms install -m smalloc -v $(VERSION) -k $(kdir_release)

dkms-uninstall:
	dkms remove -m smalloc -v $(VERSION) --all
	rm -rf /usr/src/smalloc-$(VERSION)

print-kdir:
	@echo $(KDIR)

clean:
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR)/samples clean)
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR)/tests clean)
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
