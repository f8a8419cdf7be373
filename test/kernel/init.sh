#!/bin/sh
# Guest init for the uapi-ts kernel harness (PID 1 inside QEMU, started by test/kernel/run.mjs).
# The host's root file system is the guest's root, read-only over virtio-9p, so node and the repository are the
# host's own. Kernel command-line parameters with '=' that the kernel does not know land in our environment:
#   uapi_ts_runner=/abs/path/runner.js   the compiled guest runner (required)
#   uapi_ts_only=a,b  uapi_ts_bench=0|only  uapi_ts_cloop=PATH  uapi_ts_guest=vfio   passed on to the runner
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
# The kernel may already have mounted devtmpfs (CONFIG_DEVTMPFS_MOUNT).
grep -q ' /dev devtmpfs ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
# Scratch space, under /dev so that it shadows no host path: the repository may live anywhere, /tmp included
# (CI clones there). The tests' own files stay on the read-only share.
mkdir -p /dev/scratch
mount -t tmpfs -o mode=1777 tmpfs /dev/scratch
HOME=/dev/scratch
TMPDIR=/dev/scratch
export HOME TMPDIR uapi_ts_only uapi_ts_bench uapi_ts_cloop uapi_ts_guest

echo "UAPI-TS-BOOTED $(cut -d' ' -f1 /proc/uptime)s kernel=$(uname -r) cpus=$(nproc)"
if [ -z "${uapi_ts_runner:-}" ] || [ ! -f "$uapi_ts_runner" ]; then
  echo "init.sh: no runner at '${uapi_ts_runner:-}'"
  rc=3
else
  node --enable-source-maps "$uapi_ts_runner"
  rc=$?
fi
echo "UAPI-TS-EXIT $rc"

# Exiting PID 1 makes the kernel panic; with panic=-1 and QEMU's -no-reboot that ends QEMU.
sync
exit "$rc"
