# Sourced by deps.sh and root.sh: the kernel matrix (scripts/kernels.conf)
# and a private apt configuration that reaches the Debian suites it names.
# The machine's own apt sources are only read, never changed: the private
# sources copy their URIs at run time, so no host name is in the repo.
# shellcheck shell=bash

MATRIX=$TOP/scripts/kernels.conf
APT_DIR=$CACHE/apt
# Suites searched for a kernel newer than the matrix's newest.
NEWEST_SUITES=${VMLAB_NEWEST_SUITES:-unstable}
PAPT=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$APT_DIR/sources.list.d"
	-o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache"
	-o Dir::State::status=/dev/null -o APT::Sandbox::User=root)

# matrix_lines: "LANE RELEASE SUITE SERIES FLAVOUR" for every kernel. A
# lane is named by its series, then -rt for an rt flavour, then an arm64
# flavour's name (-arm64, -arm64-16k).
matrix_lines() {
	awk '!/^#/ && NF == 4 {
		lane = $3
		if ($4 ~ /^rt-/) lane = lane "-rt"
		if ($4 ~ /^arm64/) lane = lane "-" $4
		print lane, $1, $2, $3, $4
	}' "$MATRIX"
}

# release_suites RELEASE [SUITE]: the suites a release's kernels come from.
release_suites() {
	local s
	for s in "$1" "$1-updates" "$1-security" ${2:+"$2"}; do
		echo "$s"
	done | awk '!seen[$0]++'
}

# host_uri KIND: the URI of the machine's Debian archive (KIND debian) or
# security archive (KIND debian-security), read from its apt sources.
host_uri() {
	local kind=$1
	cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk -v k="$kind" '$1 == "URIs:" { for (i = 2; i <= NF; i++) if ($i ~ ("/" k "/?$")) { print $i; exit } }'
	if [ -r /etc/apt/sources.list ]; then
		awk -v k="$kind" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ ("^[a-z]+://.*/" k "/?$")) { print $i; exit } }' /etc/apt/sources.list
	fi
}

# apt_sources: write the private deb822 sources for every suite of the
# matrix and of NEWEST_SUITES.
apt_sources() {
	local uri suri suites=() sec=() s _lane release suite _series _flavour
	uri=$(host_uri debian | head -n 1)
	suri=$(host_uri debian-security | head -n 1)
	[ -n "$uri" ] || { echo "matrix: no Debian archive URI in /etc/apt/sources.list.d/*.sources" >&2; return 1; }
	while read -r _lane release suite _series _flavour; do
		for s in $(release_suites "$release" "$suite"); do
			case $s in *-security) sec+=("$s") ;; *) suites+=("$s") ;; esac
		done
	done < <(matrix_lines)
	read -ra s <<<"$NEWEST_SUITES"
	suites+=("${s[@]}")
	mkdir -p "$APT_DIR/sources.list.d" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nArchitectures: amd64 arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" "$(printf '%s\n' "${suites[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
		if [ -n "$suri" ]; then
			printf '\nTypes: deb\nURIs: %s\nSuites: %s\nComponents: main\nArchitectures: amd64 arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
				"$suri" "$(printf '%s\n' "${sec[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
		fi
	} >"$APT_DIR/sources.list.d/vmlab.sources.tmp"
	mv "$APT_DIR/sources.list.d/vmlab.sources.tmp" "$APT_DIR/sources.list.d/vmlab.sources"
}

# apt_private_update: the private lists, refreshed once a day at most.
apt_private_update() {
	local stamp=$APT_DIR/update.stamp
	apt_sources || return 1
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ] ||
		! cmp -s "$APT_DIR/sources.list.d/vmlab.sources" "$stamp"; then
		apt-get "${PAPT[@]}" update -qq || return 1
		apt_index
		cp "$APT_DIR/sources.list.d/vmlab.sources" "$stamp"
	fi
}

# apt_index: for each suite, "PACKAGE VERSION DEPENDS..." lines in
# $APT_DIR/index/SUITE, from its lists (which apt may keep compressed) of
# both architectures.
apt_index() {
	local f s
	rm -rf "$APT_DIR/index" && mkdir -p "$APT_DIR/index"
	for f in "$APT_DIR"/lists/*_dists_*_main_binary-*_Packages*; do
		s=${f##*_dists_}
		s=${s%%_main_*}
		/usr/lib/apt/apt-helper cat-file "$f" | awk '
			$1 == "Package:" { p = $2; v = ""; d = "" }
			$1 == "Version:" { v = $2 }
			$1 == "Depends:" { d = substr($0, 10) }
			/^$/ && p != "" { print p, v, d; p = "" }
			END { if (p != "") print p, v, d }' >>"$APT_DIR/index/$s"
	done
}

# suite_packages SUITE...: the binary package names of those suites.
suite_packages() {
	local s
	for s in "$@"; do
		[ -e "$APT_DIR/index/$s" ] && cut -d' ' -f1 "$APT_DIR/index/$s"
	done | sort -u
}

# krel_regex SERIES FLAVOUR: an extended regex of that series' kernel
# releases (5.10.0-46-amd64, 6.12.117+deb12-rt-amd64, 7.3.4+deb13-amd64).
krel_regex() {
	printf '%s(\\.[0-9]+)*(-[0-9]+)?(\\+deb[0-9]+)?-%s' "${1//./\\.}" "$2"
}

# resolve_kernel RELEASE SUITE SERIES FLAVOUR: "KREL IMAGE-PACKAGE" of the
# newest kernel with headers and an image in the release's suites.
resolve_kernel() {
	local release=$1 suite=$2 re pkgs krel img suites
	re=$(krel_regex "$3" "$4")
	mapfile -t suites < <(release_suites "$release" "$suite")
	pkgs=$(suite_packages "${suites[@]}")
	for krel in $(sed -nE "s/^linux-headers-($re)\$/\\1/p" <<<"$pkgs" | sort -rV); do
		# 7.3 splits the kernel into linux-binary-*; older ones ship it in
		# linux-image-*(-unsigned).
		for img in "linux-binary-$krel" "linux-image-$krel-unsigned" "linux-image-$krel"; do
			if grep -qx -- "$img" <<<"$pkgs"; then
				echo "$krel $img"
				return 0
			fi
		done
	done
	return 1
}

# newest_series FLAVOUR SUITE...: the highest kernel series with headers
# of FLAVOUR in those suites.
newest_series() {
	local flavour=$1
	shift
	suite_packages "$@" | sed -nE "s/^linux-headers-([0-9]+\\.[0-9]+)(\\.[0-9]+)*(-[0-9]+)?(\\+deb[0-9]+)?-$flavour\$/\\1/p" |
		sort -V | tail -n 1
}


# suite_depends PACKAGE SUITE...: the Depends of PACKAGE in those suites.
suite_depends() {
	local pkg=$1 s
	shift
	for s in "$@"; do
		[ -e "$APT_DIR/index/$s" ] && awk -v p="$pkg" '$1 == p { $1 = $2 = ""; print }' "$APT_DIR/index/$s"
	done
}

# suite_versions PACKAGE SUITE...: "PACKAGE VERSION" for each version the
# suites hold (a root's cache key).
suite_versions() {
	local pkg=$1 s
	shift
	for s in "$@"; do
		[ -e "$APT_DIR/index/$s" ] && awk -v p="$pkg" '$1 == p { print $1, $2 }' "$APT_DIR/index/$s"
	done | sort -u
}
