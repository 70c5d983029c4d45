#!/bin/sh
# The demo: two network namespaces joined by a veth pair, a ping and a TCP
# exchange across, and each namespace's own view of the world.
# iproute2 is called by full path: busybox's ip applet mishandles veth.
. /tests/lib.sh
NST=/tests/bin/nstool
fail=0

say() { printf '\n### %s\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
check() { # check WHAT CMD...: run CMD, record failure
	what=$1; shift
	if "$@"; then echo "demo: ok - $what"; else echo "demo: FAILED - $what"; fail=1; fi
}

say "namespace 'red' by unshare(CLONE_NEWNET) (ip netns add), 'blue' by clone(CLONE_NEWNET)"
run $IP netns add red || fail=1
run $NST clone blue || fail=1
run $IP netns list

say "a new namespace holds only lo, and it is down"
run $IP -n red link show
links=$($IP -n red -o link show) || fail=1
only_lo_down() { [ "$(echo "$links" | wc -l)" = 1 ] && echo "$links" | grep -q "lo:.*state DOWN"; }
check "red has only lo, down" only_lo_down

say "a veth pair across the two: ip link add ... type veth peer ... netns ..."
run $IP link add veth-red netns red type veth peer name veth-blue netns blue || fail=1
run $IP -n red addr add 10.0.0.1/24 dev veth-red
run $IP -n blue addr add 10.0.0.2/24 dev veth-blue
run $IP -n red link set lo up
run $IP -n blue link set lo up
run $IP -n red link set veth-red up
run $IP -n blue link set veth-blue up
run $IP -n blue addr add 192.168.77.1/32 dev lo
run $IP -n red route add 192.168.77.0/24 via 10.0.0.2

say "the initial namespace sees neither end"
run $IP -o link show
links=$($IP -o link show) || fail=1
no_veth() { [ -n "$links" ] && ! echo "$links" | grep -q veth; }
check "init netns has no veth" no_veth

say "ping across the pair, and to blue's loopback address through red's route"
check "ping 10.0.0.2 from red" $IP netns exec red ping -c 3 -W 5 10.0.0.2
check "ping 192.168.77.1 from red (routed)" $IP netns exec red ping -c 1 -W 5 192.168.77.1

say "a TCP exchange: server in blue, client in red"
rm -f /tmp/ready && mkfifo /tmp/ready
$IP netns exec blue $NST serve 5000 /tmp/ready &
srv=$!
read -r _ </tmp/ready
reply=$($IP netns exec red $NST send 10.0.0.2 5000 "hello from red")
echo "client got: $reply"
wait $srv
check "TCP echo across namespaces" [ "$reply" = "echo: hello from red" ]

say "per-namespace views"
for ns in red blue; do
	echo "--- $ns: ip addr"
	$IP -n $ns -br addr
	echo "--- $ns: ip route"
	$IP -n $ns route
	echo "--- $ns: /proc/net/dev"
	$IP netns exec $ns cat /proc/net/dev
done
# The side that closed first keeps the connection in TIME_WAIT, in its
# own namespace's hash only.
tw() { # tw [NS]: TIME_WAIT sockets on port 5000 in NS (default: init)
	${1:+$IP netns exec $1} /usr/bin/ss -Htan state time-wait '( sport = :5000 or dport = :5000 )'
}
for ns in red blue; do
	echo "--- $ns: TCP sockets in TIME_WAIT"
	tw $ns
done
echo "--- init: TCP sockets in TIME_WAIT (none of the above)"
tw
tw_where() { [ "$( (tw red; tw blue) | grep -c .)" = 1 ] && [ -z "$(tw)" ]; }
check "the closed connection waits in TIME_WAIT in one namespace only" tw_where

say "teardown: deleting a namespace takes its veth end and the peer with it"
run $IP netns del red
gone() { links=$($IP -n blue -o link show) && ! echo "$links" | grep -q veth; }
check "blue's veth end went with red" waitfor 30 gone
run $IP netns del blue

if [ $fail = 0 ]; then echo "DEMO: PASS"; else echo "DEMO: FAIL"; fi
exit $fail
