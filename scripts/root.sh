#!/bin/bash
# A cached root of another Debian release, holding that release's gcc and
# the headers of its kernels, so that their modules are built by the
# compiler those kernels were built with (bookworm's gcc-12 cannot build
# for 7.3: -fmin-function-alignment=16 is unknown to it).
#
# usage: root.sh [--tools] [--arch arm64] RELEASE SUITE KREL...
#   --tools       also what the tools need (the README's real-machine check)
#   --arch arm64  a root of arm64 programs, run through qemu-user's binfmt
#                 handler: an arm64 machine's own build (make deps sets it up)
# Prints the root's directory. The root is made once by mmdebstrap
# (--variant=apt) and kept in $CACHE/roots/RELEASE[-arm64]-KEY, KEY a hash
# of the versions its packages have in the release's suites: a new version
# of any of them makes a new root, and the old one goes.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-${VMLAB_CACHE:-$HOME/.cache/vmlab}}
# shellcheck source=matrix.sh
. "$TOP/scripts/matrix.sh"

MODULE_PACKAGES=(make libc6-dev kmod sparse dkms)
TOOLS_PACKAGES=(build-essential pkg-config libsmartcols-dev libbpf-dev libelf-dev zlib1g-dev clang llvm bpftool)

say() { echo "root: $*" >&2; }
die() { say "$*"; exit 1; }

tools=0 arch=
[ "${1:-}" = --tools ] && { tools=1; shift; }
[ "${1:-}" = --arch ] && { arch=${2:?}; shift 2; }
[ $# -ge 3 ] || die "usage: root.sh [--tools] [--arch arm64] RELEASE SUITE KREL..."
release=$1 suite=$2
name=$release${arch:+-$arch}
shift 2
mapfile -t suites < <(release_suites "$release" "$suite")

pkgs=("${MODULE_PACKAGES[@]}")
[ $tools = 1 ] && pkgs+=("${TOOLS_PACKAGES[@]}")
for krel in "$@"; do
	pkgs+=("linux-headers-$krel")
	# The compiler the headers name (linux-compiler-gcc-10-x86, gcc-14-for-host).
	gcc=$(suite_depends "linux-headers-$krel" "${suites[@]}" | grep -oE 'gcc-[0-9]+' | head -n 1)
	[ -n "$gcc" ] || die "linux-headers-$krel names no gcc-N in ${suites[*]}"
	pkgs+=("$gcc")
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)

versions=$(for p in "${pkgs[@]}"; do suite_versions "$p" "${suites[@]}"; done; echo "arch ${arch:-host}")
for p in "${pkgs[@]}"; do
	grep -q "^$p " <<<"$versions" || die "$p is in none of ${suites[*]}"
done
key=$(sha256sum <<<"$versions" | cut -c1-12)
base=$CACHE/roots
dir=$base/$name-$key
mkdir -p "$base"

exec 9>"$dir.lock"
flock 9
if [ -e "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

uri=$(host_uri debian | head -n 1)
suri=$(host_uri debian-security | head -n 1)
lines=()
for s in "${suites[@]}"; do
	case $s in
	*-security) [ -n "$suri" ] && lines+=("deb $suri $s main") ;;
	*) lines+=("deb $uri $s main") ;;
	esac
done
say "making the $name root ($key): ${pkgs[*]}"
start=$(date +%s)
rm -rf "$dir.tmp"
if ! mmdebstrap --quiet --variant=apt --mode=root ${arch:+--architectures=$arch} --aptopt='APT::Install-Recommends "false"' \
	--include="$(IFS=,; echo "${pkgs[*]}")" "$release" "$dir.tmp" "${lines[@]}" >"$dir.log" 2>&1; then
	tail -n 30 "$dir.log" >&2
	rm -rf "$dir.tmp"
	die "mmdebstrap $name failed (log: $dir.log)"
fi
mkdir -p "$dir.tmp/build"
printf '%s\n' "$versions" >"$dir.tmp/.versions"
rm -rf "$dir" && mv "$dir.tmp" "$dir"
touch "$dir/.done"
say "$name root in $(($(date +%s) - start)) s, $(du -sh "$dir" | cut -f1): $dir"
# Older roots of this name: NAME-KEY, KEY 12 hex digits (bookworm-arm64-*
# is not bookworm's).
hex=$(printf '[0-9a-f]%.0s' {1..12})
for old in "$base/$name"-$hex*; do
	case $old in "$dir" | "$dir".*) ;; *) rm -rf "$old" ;; esac
done
echo "$dir"
