#!/bin/sh
# autogen.sh - set up a vmscope build from a fresh checkout: install the
# Debian packages it needs (when run as root; otherwise print the apt-get
# line and stop), then autoreconf, configure and make. Running it again is
# harmless. Arguments are passed to configure.
set -e
cd "$(dirname "$0")"

pkgs="build-essential autoconf automake autoconf-archive pkg-config \
libncurses-dev libreadline-dev libcjson-dev check tmux"

missing=
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $pkgs; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "autogen.sh: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null
		# shellcheck disable=SC2086
		apt-get install -y -q $missing >/dev/null
	else
		echo "autogen.sh: these packages are missing:$missing"
		echo "Install them with:"
		echo "  sudo apt-get install$missing"
		exit 1
	fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ $# -gt 0 ]; then
	./configure "$@"
fi
make -j"$(nproc 2>/dev/null || echo 2)"
