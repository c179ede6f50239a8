#!/bin/sh
# Install what glassbox needs to build and test on Debian; a no-op when all is there.
set -eu
pkgs="make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config libcmocka-dev
libmnl-dev libnftables-dev nftables iproute2 jq procps util-linux python3 graphviz
bash-completion man-db libclang-rt-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
