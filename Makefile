# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Out-of-tree build of smalloc.ko and its sample modules, plus the project's
# test targets. KDIR defaults to the running kernel's build directory, or
# else the newest installed Debian linux-headers-*-amd64.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V)))

kbuild = $(MAKE) -C $(KDIR) W=1

.PHONY: all modules samples check kunit demo clean print-kdir

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: apt-get install linux-headers-amd64" >&2; exit 1; }
	$(kbuild) M=$(CURDIR) CONFIG_SMALLOC=m modules

samples: modules
	$(kbuild) M=$(CURDIR)/samples KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

kunit:
	scripts/kunit.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

print-kdir:
	@echo $(KDIR)

clean:
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR)/samples clean)
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
