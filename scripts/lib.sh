# Shared helpers for the netns series scripts.  Sourced, not run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$TOP/build}
KVER_WANT=6.12
DEBIAN_SRC=/usr/src/linux-source-$KVER_WANT.tar.xz

PROG=$(basename "$0")
T0=$(date +%s)

log() {
	printf '[%s %4ss] %s\n' "$PROG" "$(($(date +%s) - T0))" "$*" >&2
}

# One line that says what went wrong and what to do, then a non-zero exit.
die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

# pkg_for CMD: the Debian package that provides CMD.
pkg_for() {
	case $1 in
	qemu-system-x86_64) echo qemu-system-x86 ;;
	busybox) echo busybox-static ;;
	quilt) echo quilt ;;
	ccache) echo ccache ;;
	gcc | make) echo build-essential ;;
	flex | bison | bc | cpio | kmod) echo "$1" ;;
	xz) echo xz-utils ;;
	ip) echo iproute2 ;;
	bash) echo bash ;;
	python3) echo python3 ;;
	perl) echo perl ;;
	*) echo "$1" ;;
	esac
}

# apt_install PKG...: install Debian packages when we may, else say how.
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ] || [ -n "${NETNS_NO_INSTALL:-}" ]; then
		die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
	fi
	log "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" >"$BUILD/apt.log" 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update >>"$BUILD/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			"${missing[@]}" >>"$BUILD/apt.log" 2>&1 ||
			die "apt-get install ${missing[*]} failed; see $BUILD/apt.log"
	fi
}

# Everything the pipeline needs on the host.
HOST_PKGS="build-essential flex bison bc libelf-dev libssl-dev cpio xz-utils
kmod quilt ccache qemu-system-x86 busybox-static iproute2 bash python3 python3-ply perl
rsync coreutils netbase
linux-source-$KVER_WANT"

host_deps() {
	mkdir -p "$BUILD"
	# shellcheck disable=SC2086
	apt_install $HOST_PKGS
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install it with: sudo apt-get install -y --no-install-recommends $(pkg_for "$1")"
}

# tree_version DIR: "VERSION.PATCHLEVEL" of a kernel tree, or nothing.
tree_version() {
	[ -f "$1/Makefile" ] || return 0
	awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} END{if (v != "") print v "." p}' "$1/Makefile"
}

# check_tree DIR: refuse anything that is not a 6.12 tree.
check_tree() {
	local v
	[ -d "$1" ] || die "kernel tree '$1' does not exist; set KSRC to a Linux $KVER_WANT tree or unset it to use Debian's linux-source-$KVER_WANT"
	[ -f "$1/Makefile" ] && [ -d "$1/net/core" ] ||
		die "'$1' is not a kernel tree (no Makefile or net/core); set KSRC to a Linux $KVER_WANT tree"
	v=$(tree_version "$1")
	[ "$v" = "$KVER_WANT" ] ||
		die "'$1' is Linux ${v:-unknown}, the series is for Linux $KVER_WANT; set KSRC to a $KVER_WANT tree"
}

# The pristine source: KSRC, or Debian's tarball unpacked in $BUILD/vanilla.
VANILLA_SRC=${KSRC:-$BUILD/vanilla}
PATCHED_SRC=$BUILD/linux

series_stamp() {
	(cd "$TOP" && cat series && grep -v '^\s*#' series | awk 'NF{print "patches/" $1}' | xargs -r cat) |
		sha256sum | cut -c1-16
}

kernel_image() { # kernel_image patched|vanilla|debug|profile|vanilla-profile
	echo "$BUILD/obj-$1/arch/x86/boot/bzImage"
}

# checkpatch as the series is held to it.  UNKNOWN_COMMIT_ID is left out: the
# tree is Debian's tarball, without the history that checkpatch resolves
# the ids of Fixes: tags in, so it calls every id unknown.  The ids were
# checked against the upstream commits they name.
# shellcheck disable=SC2034
CHECKPATCH_OPTS="--strict --terse --ignore UNKNOWN_COMMIT_ID"

# plan_sections plain|debug: the sections tests/plan gives that pass.
plan_sections() {
	local s
	s=$(awk -v p="$1" '!/^#/ && NF == 2 && ("," $2 ",") ~ ("," p ",") { print $1 }' "$TOP/tests/plan" | paste -sd' ')
	[ -n "$s" ] || die "tests/plan gives the $1 pass no sections"
	echo "$s"
}

# restat PATCH: rewrite PATCH's diffstat (between the header's "---" line
# and the diff) from the diff itself, without trailing blanks.  The diff
# is copied byte for byte: a hunk may end in a blank context line.
restat() {
	local patch=$1
	need_cmd diffstat
	grep -q '^---$' "$patch" || die "$patch: no '---' line ends its header"
	# The diff starts at the first "--- " line that a "+++ " line follows.
	awk 'go { print; next }
		prev ~ /^--- / && /^\+\+\+ / { go = 1; print prev; print; next }
		{ prev = $0 }' "$patch" |
		# diff -p cuts a hunk's function at 40 columns, mid-word
		# ("(struc"), which checkpatch flags as a misspelling: end it
		# at the parenthesis.  The text after "@@" is only a label.
		sed -E '/^@@ [^@]+ @@ [^)]*\($/!s/^(@@ [^@]+ @@ [^)]*\()[^)]*$/\1/' >"$patch.diff"
	{
		sed -n '0,/^---$/p' "$patch"
		diffstat -p1 "$patch.diff" | sed 's/ *$//'
		echo
		cat "$patch.diff"
	} >"$patch.restat" && mv "$patch.restat" "$patch"
	rm -f "$patch.diff"
}
