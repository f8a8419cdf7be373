#!/bin/sh
# Builds the kernel the guest tests boot: Linux from Debian's linux-source-7.3, `make tinyconfig` plus
# kernel/iommufd-test.config. See kernel/README.md.
#
#   kernel/build.sh                 build (or reuse) and print the bzImage path as the last line
#   kernel/build.sh --path          print where the bzImage goes (the cache key), build nothing
#   kernel/build.sh --config-only   fetch and configure only: leave .config in the work tree, check it, stop
#
# Env: XDG_CACHE_HOME (cache root, default ~/.cache), UAPI_TS_KERNEL_KEEP_WORK=1 (keep the ~1.5 GB source tree).
set -eu

SOURCE_PKG=linux-source-7.3
SOURCE_VERSION=7.3.4-1~bpo13+1
SUITE=trixie-backports

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/iommufd-test.config
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/uapi-ts/kernel
hash=$(sha256sum "$fragment" | cut -c1-16)
key=$(printf '%s' "$SOURCE_VERSION" | tr '~:' '__')-$hash
out=$cache_root/$key
image=$out/bzImage

mode=${1:-build}
case $mode in
  --path) echo "$image"; exit 0 ;;
  build|--config-only) ;;
  *) echo "usage: $0 [--path | --config-only]" >&2; exit 2 ;;
esac

step() { printf '==> [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

if [ "$mode" = build ] && [ -f "$image" ]; then
  step "reusing $image"
  echo "$image"
  exit 0
fi

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

# Build dependencies, installed only when missing.
missing=
for p in make gcc libc6-dev bison flex libelf-dev bc cpio xz-utils perl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  step "apt-get install$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# The source package, from trixie-backports through a private apt state: the system's sources and lists stay as
# they are. The .deb is kept in the cache.
apt_dir=$cache_root/apt
deb_dir=$cache_root/debs
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deb_dir"
deb=$(ls "$deb_dir"/${SOURCE_PKG}_*.deb 2>/dev/null | grep -F "$(printf '%s' "$SOURCE_VERSION" | sed 's/:/%3a/')" | head -n1 || true)
if [ -z "$deb" ]; then
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" >"$apt_dir/sources.list"
  set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache"
  # As root, apt would drop to _apt, which cannot write into root's cache: download as root, without the warning.
  [ "$(id -u)" != 0 ] || set -- "$@" -o APT::Sandbox::User=root
  step "apt-get update ($SUITE only, private lists in $apt_dir)"
  apt-get "$@" update -qq
  step "apt-get download $SOURCE_PKG=$SOURCE_VERSION"
  if ! (cd "$deb_dir" && apt-get "$@" download "$SOURCE_PKG=$SOURCE_VERSION"); then
    echo "build.sh: $SOURCE_PKG $SOURCE_VERSION is not in $SUITE any more; available:" >&2
    apt-cache "$@" madison "$SOURCE_PKG" >&2 || true
    echo "build.sh: set SOURCE_VERSION in kernel/build.sh to one of those (the cache key changes with it)" >&2
    exit 1
  fi
  deb=$(ls "$deb_dir"/${SOURCE_PKG}_*.deb | head -n1)
fi
step "source package: $deb"

work=$out/work
rm -rf "$work"
mkdir -p "$work"
step "unpacking $SOURCE_PKG into $work"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" "./usr/src/$SOURCE_PKG.tar.xz"
tar -xJf "$work/usr/src/$SOURCE_PKG.tar.xz" -C "$work"
rm -rf "$work/usr"
src=$work/$SOURCE_PKG

# ARCH=x86_64, not the default ARCH=x86: with ARCH=x86, tinyconfig starts from a 32-bit configuration and values it
# chose for 32 bits (FRAME_WARN, ...) stay after the fragment turns 64BIT on.
kmake() { make -C "$src" ARCH=x86_64 "$@"; }
step "make tinyconfig + $fragment"
kmake -s tinyconfig
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$fragment")
kmake -s olddefconfig

# Every option the fragment asks for must have survived olddefconfig (an unmet dependency drops it silently).
lost=$(grep '^CONFIG_' "$fragment" | while IFS= read -r line; do grep -qxF "$line" "$src/.config" || echo "$line"; done)
if [ -n "$lost" ]; then
  echo "build.sh: options of the fragment missing from .config:" >&2
  echo "$lost" >&2
  exit 1
fi
step ".config has all $(grep -c '^CONFIG_' "$fragment") options of the fragment"

if [ "$mode" = --config-only ]; then
  echo "$src/.config"
  exit 0
fi

jobs=$(nproc)
step "make -j$jobs bzImage (about 20 minutes on 2 cores)"
start=$(date +%s)
kmake -j"$jobs" bzImage
step "built in $(( $(date +%s) - start )) s"

cp "$src/.config" "$out/config"
cp "$src/arch/x86/boot/bzImage" "$image.tmp"
mv "$image.tmp" "$image"
[ "${UAPI_TS_KERNEL_KEEP_WORK:-}" = 1 ] || rm -rf "$work"
step "bzImage: $image"
echo "$image"
