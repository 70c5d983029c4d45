#!/bin/sh
# Guest side of the referee: run the kernel selftests of ./list (built into
# this directory by tests/referee/build) and print TAP.  Each test gets a
# time limit; its own output is printed with a "# " prefix so it cannot be
# read as a result line.  Exit status 4 (kselftest's "skip") is a skip.
# Programs (KIND c) run in a netns of their own with lo up (in_netns.sh);
# scripts set up their namespaces themselves.
#   REFEREE_TIMEOUT  per-test limit in seconds (default 300; TCG is slow)
#   REFEREE_ONLY     run only the entries whose NAME contains this string
#   REFEREE_SET      debug: run only the entries named in ./debug (the debug
#                    pass's share of the list; the plain pass runs them all)
dir=$(cd "$(dirname "$0")" && pwd)
limit=${REFEREE_TIMEOUT:-300}
only=${REFEREE_ONLY:-}
set_file=
case ${REFEREE_SET:-} in
'') ;;
debug) set_file=$dir/debug ;;
*) echo "Bail out! REFEREE_SET=$REFEREE_SET: not a set (debug)"; exit 1 ;;
esac
rcfile=/tmp/referee.rc

# entries: the list without comments, blank lines and helpers.
entries() {
	sed -e 's/#.*//' "$dir/list" | awk -v only="$only" -v set="$set_file" '
		BEGIN { if (set != "") while ((getline l < set) > 0) { sub(/#.*/, "", l); if (split(l, w)) inset[w[1]] = 1 } }
		NF && $2 != "helper" && (only == "" || index($1, only)) && (set == "" || ($1 in inset)) { print }'
}

cd "$dir" || exit 1
# The selftests call their helpers (nettest, ...) by name or as ./NAME.
export PATH="$dir:$PATH"
# Scripts that would pause for a keypress after a failure must not.
export PAUSE_ON_FAIL=no
# ip rule's "ipproto tcp" needs the protocol names (build copies them).
[ -e /etc/protocols ] || [ ! -f protocols ] || cp protocols /etc/protocols

echo "TAP version 13"
echo "1..$(entries | wc -l)"
n=0 failed=0
entries >/tmp/referee.list
while read -r name kind args; do
	n=$((n + 1))
	file=${name%%:*}
	case $kind in
	# Each program in a netns of its own, with lo up (in_netns.sh).
	c) cmd="./in_netns.sh ./$file" ;;
	sh) cmd="bash ./$file" ;;
	*)
		echo "# $name: unknown kind '$kind' in the list"
		echo "not ok $n $name"
		failed=$((failed + 1))
		continue
		;;
	esac
	# ARGS are shell words: quotes group, as on a command line.
	eval "set -- $args"
	echo "# running $name: $cmd $args (limit ${limit}s)"
	t0=$(date +%s)
	# shellcheck disable=SC2086 # $cmd is words, split on purpose
	{
		timeout -k 10 "$limit" $cmd "$@" </dev/null 2>&1
		echo $? >"$rcfile"
	} | sed 's/^/# /'
	rc=$(cat "$rcfile")
	echo "# $name: exit $rc after $(($(date +%s) - t0))s"
	case $rc in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP exit 4 (kselftest skip)" ;;
	*)
		[ "$rc" -eq 143 ] || [ "$rc" -eq 137 ] &&
			echo "# $name: killed after the ${limit}s limit"
		echo "not ok $n $name"
		failed=$((failed + 1))
		;;
	esac
done </tmp/referee.list
echo "# referee: $n run, $failed failed"
[ "$failed" -eq 0 ]
