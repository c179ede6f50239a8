#!/bin/bash
# tests/vm/run-vm.sh [FILTER]: glassbox's integration tests (those whose name contains
# FILTER, all without one) on another kernel than the machine's: Debian 12's own (v6.1:
# no bpf_rdonly_cast, so raw_tp instead of tp_btf; fentry and kprobes, so netdev_move by
# fentry; pidfds before pidfs), booted under QEMU with a minimal Debian 12 made by
# debootstrap. QEMU emulates the CPU (TCG): no KVM needed, and a run of the whole suite
# takes about 20 minutes. As root, after `make all helpers` (`make vmtest` does both).
#
# Installs qemu-system-x86 and debootstrap when missing. Everything else lives under
# build/vm: the guest's root (kept between runs; `rm -rf build/vm` to start over), its
# disk image and the console log. The guest's kernel is installed in the guest's root,
# not on this machine. The guest powers itself off; the exit status is the suite's.
set -u
cd "$(dirname "$0")/../.." || exit 1
FILTER=${1:-}
VM=build/vm
ROOT=$VM/root
MIRROR=${GB_VM_MIRROR:-http://deb.debian.org/debian}
PKGS=linux-image-amd64,libbpf1,libelf1,libmnl0,libnftables1,zlib1g,iproute2,jq,procps
PKGS=$PKGS,util-linux,kmod,nftables,iputils-ping,python3,bpftool,graphviz

die() { echo "run-vm: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, the image's file owners)"
if [ ! -x glassbox ] || [ ! -d build/helpers ]; then die "build first: make all helpers"; fi
missing=""
command -v qemu-system-x86_64 >/dev/null || missing="$missing qemu-system-x86"
command -v debootstrap >/dev/null || missing="$missing debootstrap"
if [ -n "$missing" ]; then
	echo "run-vm: installing$missing" >&2
	# shellcheck disable=SC2086
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } \
		>/dev/null 2>&1 || die "could not install$missing"
fi

mkdir -p $VM
# made again when the package list changes
if [ "$(cat $ROOT/.complete 2>/dev/null)" != "$PKGS" ]; then
	echo "run-vm: making the guest's root with debootstrap (a few minutes, once)" >&2
	rm -rf $ROOT
	debootstrap --variant=minbase --include=$PKGS bookworm $ROOT "$MIRROR" \
		>$VM/debootstrap.log 2>&1 || die "debootstrap failed: see $VM/debootstrap.log"
	echo "$PKGS" >$ROOT/.complete
fi
KERNEL=$(find $ROOT/boot -name 'vmlinuz-*' 2>/dev/null | sort -V | tail -n 1)
INITRD=$(find $ROOT/boot -name 'initrd.img-*' 2>/dev/null | sort -V | tail -n 1)
if [ -z "$KERNEL" ] || [ -z "$INITRD" ]; then die "no kernel or initrd in $ROOT/boot"; fi

# what the guest runs: this build and its tests, under /gbvm
rm -rf $ROOT/gbvm && mkdir -p $ROOT/gbvm/build
cp glassbox $ROOT/gbvm/ && cp -a build/helpers $ROOT/gbvm/build/ && cp -a tests $ROOT/gbvm/
# these two check the build (make install, clang's libFuzzer), not the kernel: the guest
# has no compiler
rm -f $ROOT/gbvm/tests/integration/rec_docs.sh $ROOT/gbvm/tests/integration/rec_fuzz.sh
cat >$ROOT/gbvm/init <<EOF
#!/bin/bash
# PID 1 of the guest: what glassbox's tests expect of a machine, the suite, power off
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /sys/fs/cgroup/unified && mount -t cgroup2 none /sys/fs/cgroup/unified
ip link set lo up
# a root shell's PATH on Debian, as the tests' expected paths assume
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo "GBVM: kernel \$(uname -r)"
cd /gbvm && CI=true GB_TEST_TIMEOUT=1200 bash tests/run-tests.sh "$FILTER" | tee /tmp/summary
rc=\${PIPESTATUS[0]}
# the whole log of each test that failed: the guest's disk is not looked at afterwards
for t in \$(sed -n 's|^failed: integration/||p' /tmp/summary); do
	echo "GBVM-LOG \$t"
	cat "build/integration/\$t.log"
done
echo "GBVM-RESULT rc=\$rc"
sync
echo o >/proc/sysrq-trigger
sleep 30
EOF
chmod +x $ROOT/gbvm/init

size=$(( $(du -sm $ROOT | cut -f1) + 1024 ))
rm -f $VM/disk.img
mkfs.ext4 -q -d $ROOT $VM/disk.img ${size}M || die "mkfs.ext4 -d failed"

echo "run-vm: booting $(basename "$KERNEL") under QEMU (TCG); console: $VM/console.log" >&2
timeout "${GB_VM_TIMEOUT:-7200}" qemu-system-x86_64 -accel tcg -cpu max -m 2G -smp 2 \
	-nographic -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
	-append "root=/dev/vda rw console=ttyS0 quiet panic=-1 init=/gbvm/init" \
	-drive file=$VM/disk.img,format=raw,if=virtio >$VM/console.log 2>&1 </dev/null
grep -E '^(GBVM|PASS|FAIL|SKIP|[0-9]+ passed)' $VM/console.log | tr -d '\r' | grep -v '^GBVM-LOG'
rc=$(sed -n 's/^GBVM-RESULT rc=\([0-9]*\).*/\1/p' $VM/console.log | tr -d '\r')
[ -n "$rc" ] || die "the guest did not finish the suite: see $VM/console.log"
[ "$rc" = 0 ] || echo "run-vm: the failed tests' logs are in $VM/console.log (GBVM-LOG)" >&2
exit "$rc"
