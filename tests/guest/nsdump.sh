#!/bin/sh
# Section "visible" (scripts/test, step 7): everything a program can read
# of a fresh network namespace, dumped in six states, so that the host
# can require the vanilla and the patched kernel to show the same
# (tests/host/visible.py masks what is random by nature and compares).
#
#   fresh     right after `ip netns add` (unshare(CLONE_NEWNET))
#   sysctl    after writing sysctls, ip_local_reserved_ports among them
#   lo_up     after `ip link set lo up` (and ::1 no longer tentative)
#   moved_in  after moving one end of a veth pair in (both ends down)
#   late_look a second namespace, not looked at until everything is done
#             in it: a veth pair made and deleted inside, a peer made in
#             it from outside, an MTU set, lo up; then the first look
#             (the series inserts a namespace's sysctl tables then)
#   early_mount a third namespace whose sysfs is mounted first, then
#             changed (a veth pair made, one end renamed, one moved out, a
#             peer made in it from outside, lo up) and read through that
#             first mount
#
# Each state: /proc/sys/net (names and values, or the read's error),
# /proc/net/*, the namespace's sysfs net devices, ip -d link/addr/route/
# rule/neigh/netconf (v4 and v6), ip addrlabel and ss -a, read from
# inside the namespace (ip netns exec: its own mount namespace with sysfs
# remounted); and what stat() says of every file of /proc/sys/net,
# /proc/net and the sysfs net devices (type, mode, owner, link count,
# size, a link's target), in the order readdir gives them in /proc.
# Output lines: "STATE|SOURCE|LINE".  The last line is "nsdump: done".
# Fixed MAC addresses on the veth: nothing random comes from them.
. /tests/lib.sh
NS=visible

if [ "${1:-}" = inside ]; then
	state=$2
	tag() { sed "s#^#$state|$1|#"; }
	# grep -r reads every file once and names it; errors (write-only
	# files, EIO of stable_secret) are part of what a program sees.
	grep -r '' /proc/sys/net 2>&1 | sort | tag sysctl
	grep -r '' /proc/net/ 2>&1 | sort | tag procnet
	ls -l /sys/class/net 2>&1 | sed 's/^.* \([^ ]* -> \)/\1/' | grep -e '->' | sort | tag sysfs
	grep -r '' /sys/devices/virtual/net/ 2>&1 | sort | tag sysfs
	# stat() of every file, by GNU find (full path: busybox's own applet
	# comes first).  /proc keeps readdir's order, which is by name there;
	# sysfs's is by a hash seeded with the namespace's address: sorted.
	meta='%p %y %m %U %G %n %s %l\n'
	/usr/bin/find /proc/sys/net /proc/net/ -printf "$meta" 2>&1 | tag meta
	/usr/bin/find /sys/class/net /sys/devices/virtual/net/ -printf "$meta" 2>&1 |
		sort | tag meta
	for f in 4 6; do
		$IP -$f -d link show 2>&1 | tag "ip-$f-link"
		$IP -$f -d addr show 2>&1 | tag "ip-$f-addr"
		$IP -$f route show table all 2>&1 | tag "ip-$f-route"
		$IP -$f rule show 2>&1 | tag "ip-$f-rule"
		$IP -$f neigh show 2>&1 | tag "ip-$f-neigh"
		$IP -$f netconf show 2>&1 | tag "ip-$f-netconf"
	done
	$IP -d -s link show 2>&1 | tag ip-stats
	$IP maddr show 2>&1 | tag ip-maddr
	$IP -6 addrlabel list 2>&1 | tag ip-addrlabel
	/usr/bin/ss -a -n 2>&1 | tag ss
	exit 0
fi

dump() { # dump STATE [NAMESPACE]
	$IP netns exec "${2:-$NS}" /bin/sh /tests/nsdump.sh inside "$1" ||
		echo "$1|error|ip netns exec failed"
}
fail() { echo "nsdump: $*"; $IP netns del $NS 2>/dev/null; exit 1; }
lo_ready() { ! $IP -n "${1:-$NS}" -6 addr show dev lo | grep -q tentative; }

$IP netns add $NS || fail "ip netns add failed"
dump fresh

$IP netns exec $NS sh -c '
	echo 8080,9000-9010 >/proc/sys/net/ipv4/ip_local_reserved_ports &&
	echo 1 >/proc/sys/net/ipv4/ip_forward &&
	echo 1 >/proc/sys/net/ipv6/conf/all/forwarding &&
	echo 1 >/proc/sys/net/ipv4/conf/default/rp_filter &&
	echo 1000 >/proc/sys/net/core/somaxconn &&
	echo 30000 40001 >/proc/sys/net/ipv4/ip_local_port_range' ||
	fail "writing sysctls failed"
dump sysctl

$IP -n $NS link set lo up || fail "lo up failed"
waitfor 10 lo_ready || fail "::1 on lo stays tentative"
dump lo_up

$IP link add vd0 address 02:00:00:00:00:01 type veth peer name vd1 \
	address 02:00:00:00:00:02 || fail "ip link add veth failed"
$IP link set vd1 netns $NS || fail "moving vd1 in failed"
dump moved_in

# Nothing below reads /proc/sys/net in visible2 until its dump.
L=visible2
$IP netns add $L || fail "ip netns add $L failed"
$IP -n $L link add sv0 address 02:00:00:00:00:03 type veth peer name sv1 \
	address 02:00:00:00:00:04 || fail "veth inside $L failed"
$IP -n $L link del sv0 || fail "deleting sv0 in $L failed"
$IP link add vd2 address 02:00:00:00:00:05 type veth peer name vd3 \
	address 02:00:00:00:00:06 netns $L || fail "veth with its peer in $L failed"
$IP -n $L link set vd3 mtu 1400 || fail "setting vd3's MTU failed"
$IP -n $L link set lo up || fail "lo up in $L failed"
waitfor 10 lo_ready $L || fail "::1 on lo in $L stays tentative"
dump late_look $L

# visible3's sysfs is mounted by ip netns exec before anything happens
# in it; that shell waits on a fifo, then dumps through its first mount.
E=visible3
mkfifo /tmp/nsdump.ready /tmp/nsdump.go || fail "mkfifo failed"
$IP netns add $E || fail "ip netns add $E failed"
$IP netns exec $E /bin/sh -c 'echo >/tmp/nsdump.ready; read x </tmp/nsdump.go
	exec /bin/sh /tests/nsdump.sh inside early_mount' &
early=$!
read x </tmp/nsdump.ready
$IP -n $E link add ev0 address 02:00:00:00:00:07 type veth peer name ev1 \
	address 02:00:00:00:00:08 || fail "veth inside $E failed"
$IP -n $E link set ev0 name ev2 || fail "renaming ev0 in $E failed"
$IP -n $E link set ev1 netns 1 || fail "moving ev1 out of $E failed"
$IP link add vd4 address 02:00:00:00:00:09 type veth peer name vd5 \
	address 02:00:00:00:00:0a netns $E || fail "veth with its peer in $E failed"
$IP -n $E link set lo up || fail "lo up in $E failed"
waitfor 10 lo_ready $E || fail "::1 on lo in $E stays tentative"
echo >/tmp/nsdump.go
wait $early || echo "early_mount|error|the dump through the first mount failed"
rm -f /tmp/nsdump.ready /tmp/nsdump.go

$IP link del vd0 || fail "ip link del vd0 failed"
$IP link del vd2 || fail "ip link del vd2 failed"
$IP link del vd4 || fail "ip link del vd4 failed"
$IP link del ev1 || fail "ip link del ev1 failed"
$IP netns del $NS || fail "ip netns del failed"
$IP netns del $L || fail "ip netns del $L failed"
$IP netns del $E || fail "ip netns del $E failed"
echo "nsdump: done"
