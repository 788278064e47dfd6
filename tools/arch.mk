# SPDX-License-Identifier: GPL-2.0
# The target architecture of the tools and selftests (included by both
# Makefiles). The compiler decides: cc on an arm64 machine builds arm64.
# ARCH=arm64 on another machine implies CROSS_COMPILE=aarch64-linux-gnu-;
# CROSS_COMPILE sets CC and AR unless they are given, and pkg-config then
# reads the target's multiarch .pc files (PKG_CONFIG_LIBDIR).
# Out: VL_ARCH (x86_64 or arm64), VL_TRIPLET, PKG_CONFIG. A folder holds
# the build of one architecture (.built-for-ARCH): make clean to switch.

VL_HOST_ARCH := $(patsubst aarch64,arm64,$(shell uname -m))
ifeq ($(ARCH),aarch64)
override ARCH := arm64
endif
ifeq ($(ARCH),x86)
override ARCH := x86_64
endif
ifneq ($(filter-out $(VL_HOST_ARCH),$(ARCH)),)
CROSS_COMPILE ?= $(if $(filter arm64,$(ARCH)),aarch64-linux-gnu-,x86_64-linux-gnu-)
endif
ifneq ($(CROSS_COMPILE),)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
endif

VL_TRIPLET := $(shell $(CC) -dumpmachine 2>/dev/null)
VL_ARCH := $(patsubst aarch64,arm64,$(firstword $(subst -, ,$(VL_TRIPLET))))
ifeq ($(filter x86_64 arm64,$(VL_ARCH)),)
$(error $(CC) builds for "$(VL_TRIPLET)": vmlab's tools build for x86_64 and arm64)
endif
ifneq ($(filter-out $(VL_ARCH),$(ARCH)),)
$(error ARCH=$(ARCH) but $(CC) builds for $(VL_ARCH): give CROSS_COMPILE= or CC= of the target)
endif

# make 4.3 passes no exported variable to $(shell): name it in the command.
ifneq ($(CROSS_COMPILE),)
PKG_CONFIG_LIBDIR ?= /usr/lib/$(VL_TRIPLET)/pkgconfig:/usr/share/pkgconfig
export PKG_CONFIG_LIBDIR
PKG_CONFIG ?= PKG_CONFIG_LIBDIR=$(PKG_CONFIG_LIBDIR) pkg-config
else
PKG_CONFIG ?= pkg-config
endif

VL_HERE := $(notdir $(CURDIR))
ifneq ($(filter-out clean lint,$(or $(MAKECMDGOALS),all)),)
ifneq ($(filter-out .built-for-$(VL_ARCH),$(wildcard .built-for-*)),)
$(error $(VL_HERE)/ holds a build for $(patsubst .built-for-%,%,$(wildcard .built-for-*)), not $(VL_ARCH): make -C $(VL_HERE) clean first)
endif
$(shell touch .built-for-$(VL_ARCH))
endif
