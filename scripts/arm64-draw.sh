#!/bin/bash
# The arm64 guests' drawing programs (make deps): Debian's arm64 gnuplot-nox
# and graphviz of this machine's release, and the arm64 packages they
# depend on that this machine has not installed (at that version or newer),
# unpacked into a sysroot, $CACHE/arm64/draw, for mkinitramfs.sh. The
# closure is apt's own (a simulated install into an empty system, the
# release's suites preferred); only arm64 packages are kept: what is
# architecture-independent (fonts, help) the guest does without, as the
# x86-64 one does. Idempotent: $CACHE/arm64/draw/.versions names the
# packages and their versions; they are resolved again when the private
# lists are refreshed, and fetched again when they changed.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-${VMLAB_CACHE:-$HOME/.cache/vmlab}}
# shellcheck source=matrix.sh
. "$TOP/scripts/matrix.sh"
. /etc/os-release
release=$VERSION_CODENAME
want=(gnuplot-nox graphviz)
dest=$CACHE/arm64/draw
stamp=$dest/.versions
head="# $release ${want[*]}"

die() { echo "arm64-draw: $*" >&2; exit 1; }

[ -e "$APT_DIR/update.stamp" ] || die "no private apt lists in $APT_DIR: run make deps"
[ -e "$stamp" ] && [ "$stamp" -nt "$APT_DIR/update.stamp" ] &&
	[ "$(head -n 1 "$stamp")" = "$head" ] && exit 0

mkdir -p "$CACHE/arm64"
tmp=$(mktemp -d "$CACHE/arm64/draw.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The release's suites first (the lists have newer ones too).
mkdir "$tmp/prefs"
for s in $(release_suites "$release"); do
	printf 'Package: *\nPin: release n=%s\nPin-Priority: 990\n\n' "$s"
done >"$tmp/prefs/release.pref"
# "NAME VERSION" of each arm64 package of the closure.
closure=$(apt-get "${PAPT[@]}" -o Dir::Etc::Preferences=/dev/null -o "Dir::Etc::PreferencesParts=$tmp/prefs" \
	install -s --no-install-recommends "${want[@]/%/:arm64}" |
	sed -n 's/^Inst \([^ :]*\):arm64 (\([^ ]*\) .*\[arm64\])$/\1 \2/p') ||
	die "apt cannot resolve ${want[*]/%/:arm64} in $release"
for p in "${want[@]}"; do
	grep -q "^$p " <<<"$closure" || die "no $p:arm64 in $release"
done
# Those this machine lacks, or has older.
installed=$(dpkg-query -W -f='${Package} ${Architecture} ${Version} ${db:Status-Status}\n' |
	awk '$2 == "arm64" && $4 == "installed" { print $1, $3 }')
versions=$head
while read -r p v; do
	have=$(awk -v p="$p" '$1 == p { print $2 }' <<<"$installed")
	[ -n "$have" ] && dpkg --compare-versions "$have" ge "$v" && continue
	versions+=$'\n'"$p $v"
done <<<"$closure"

if [ -e "$stamp" ] && [ "$(cat "$stamp")" = "$versions" ]; then
	touch "$stamp"
	exit 0
fi
echo "deps: fetching ${want[*]/%/:arm64} and $(($(wc -l <<<"$versions") - 1 - ${#want[@]})) arm64 libraries they need into $dest"
mapfile -t spec < <(tail -n +2 <<<"$versions" | awk '{ print $1 ":arm64=" $2 }')
(cd "$tmp" && apt-get "${PAPT[@]}" download -qq "${spec[@]}" >/dev/null) ||
	die "apt-get download ${spec[*]} failed"
for d in "$tmp"/*.deb; do
	dpkg -x "$d" "$tmp/root"
done
rm -rf "$tmp/root/usr/share/doc" "$tmp/root/usr/share/man"
echo "$versions" >"$tmp/root/.versions"
# Renamed, not removed first: an initramfs made meanwhile finds a sysroot.
rm -rf "$dest.old" && { [ ! -e "$dest" ] || mv "$dest" "$dest.old"; } && mv "$tmp/root" "$dest" && rm -rf "$dest.old"
