#!/bin/sh
# Guest init for the uapi-ts kernel harness (PID 1 inside QEMU).
# The host's root file system is the guest's root, read-only over virtio-9p.
# Kernel command-line parameters with '=' that the kernel does not know land in
# our environment, e.g.  uapi_ts_script=/abs/path/guest-smoke.mjs
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
# The kernel may already have mounted devtmpfs (CONFIG_DEVTMPFS_MOUNT).
grep -q ' /dev devtmpfs ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=1777 tmpfs /tmp
HOME=/tmp
export HOME

here=$(dirname "$0")
script=${uapi_ts_script:-$here/guest-smoke.mjs}

echo "UAPI-TS-BOOTED $(cut -d' ' -f1 /proc/uptime)s kernel=$(uname -r) script=$script"
node "$script"
rc=$?
echo "UAPI-TS-EXIT $rc"

# Exiting PID 1 makes the kernel panic; with panic=-1 and QEMU's -no-reboot
# that ends QEMU. Flush the console first.
sync
exit "$rc"
