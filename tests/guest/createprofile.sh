#!/bin/sh
# Where creating and dismantling a namespace spend their time: the
# kernel's function profiler (CONFIG_FUNCTION_PROFILER; scripts/build
# --profile has it) over N unshare(CLONE_NEWNET) and their teardown (the
# profiler stays on until nsbench --drain has seen every namespace
# freed), for the pernet init and exit functions and the calls they
# spend on.  Prints "function calls us/namespace setup% cleanup%",
# sorted: the shares are of setup_net()'s and cleanup_net()'s own totals.
# Time includes callees, time spent asleep (an RCU wait) and the
# profiler's own overhead: read the shares, not the figures.  The drain
# adds 3 namespaces of its own to the N.
# Usage (guest shell): /tests/createprofile.sh [N]   (default 200)
#
# With --callers FUNC: who calls FUNC while N namespaces are made and
# dismantled (the function tracer, with a stack trace per call): prints
# "calls/namespace calls task frame <- frame <- ...", the top four frames of
# its stack trace, sorted.  The task is the creating process (unshare)
# or the one that dismantles (kworker).  E.g. --callers pcpu_alloc_noprof lists a
# namespace's per-CPU allocations.
# Usage: /tests/createprofile.sh --callers FUNC [N]   (default 20)
#
# With --serial: how much of making a namespace holds RTNL, the lock every
# creator takes in turn (the function_graph tracer on copy_net_ns(),
# cleanup_net() and the RTNL lock and unlock calls), N namespaces made and
# held by one process, then let go of together (nsbench --hold): prints the time of
# copy_net_ns(), RTNL held in it, in cleanup_net() and elsewhere, per
# namespace, and what that share bounds 2 creators to (Amdahl: creation
# alone, 2 CPUs).  Instruction time in a scripts/bench style guest.
# Usage: /tests/createprofile.sh --serial [N]   (default 200)
#
# With --graph FUNC: where FUNC spends its time, the calls it makes to
# NETNS_PROFILE_DEPTH levels (default 3; the function_graph tracer):
# prints "level function calls us/namespace", sorted by time.  The calls
# of a drain-only run (its own namespaces and veth pairs) are taken off:
# the figures are of the N namespaces alone.
# Usage: /tests/createprofile.sh --graph FUNC [N]   (default 20)
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null

# N namespaces made and let go of, then every one of them freed
make_and_drain() {
	i=0
	while [ $i -lt "$1" ]; do
		unshare -n true || { echo "createprofile: unshare -n failed"; exit 1; }
		i=$((i + 1))
	done
	/tests/bin/nsbench --drain || { echo "createprofile: nsbench --drain failed"; exit 1; }
}

if [ "$1" = --serial ]; then
	n=${2:-200}
	[ -e $T/options/funcgraph-abstime ] ||
		{ echo "createprofile: no function_graph tracer (CONFIG_FUNCTION_GRAPH_TRACER)"; exit 1; }
	echo nop >$T/current_tracer
	fns="copy_net_ns cleanup_net rtnl_lock rtnl_lock_killable rtnl_lock_interruptible rtnl_trylock __rtnl_unlock"
	: >$T/set_ftrace_filter
	for f in $fns; do
		grep -qx "$f" $T/available_filter_functions || continue
		echo "$f" >>$T/set_ftrace_filter ||
			{ echo "createprofile: cannot trace '$f'"; exit 1; }
	done
	echo 16384 >$T/buffer_size_kb
	for o in funcgraph-abstime funcgraph-proc funcgraph-tail funcgraph-duration; do
		echo 1 >$T/options/$o
	done
	echo 0 >$T/options/funcgraph-irqs
	echo >$T/trace
	echo function_graph >$T/current_tracer
	echo 1 >$T/tracing_on
	/tests/bin/nsbench --hold "$n" || { echo "createprofile: nsbench --hold failed"; exit 1; }
	echo 0 >$T/tracing_on
	grep -q 'LOST EVENTS' $T/trace && echo "createprofile: the trace buffer overflowed: try a smaller N"
	echo "createprofile: RTNL held while $n namespaces are made, held, let go of together and dismantled (+6 of the drains)"
	# Fields: abstime | cpu) task-pid | duration | function.  A hold is
	# from the end of a task's last rtnl_lock*() to its __rtnl_unlock()
	# (a failed rtnl_trylock() or an interrupted lock would count as one
	# too); it counts for creation inside that task's copy_net_ns(), for
	# teardown inside cleanup_net(), and as "other" elsewhere.
	awk -F'|' -v n="$n" '
		NF < 4 { next }
		{
			ts = $1 + 0; task = $2; sub(/^ *[0-9]+\) */, "", task); sub(/ *$/, "", task)
			pid = task; sub(/.*-/, "", pid)
			d = $3; gsub(/[^0-9.]/, "", d); f = $4
		}
		f ~ /copy_net_ns\(\) \{/ { in_c[pid] = ts; next }
		f ~ /\} \/\* copy_net_ns \*\// { if (pid in in_c) { setup += ts - in_c[pid]; made++; delete in_c[pid] }; next }
		f ~ /cleanup_net\(\) \{/ { in_d[pid] = 1; rounds++; next }
		f ~ /\} \/\* cleanup_net \*\// { delete in_d[pid]; next }
		f ~ /rtnl_(lock|lock_killable|lock_interruptible|trylock)\(\);/ { got[pid] = ts + d / 1e6; next }
		# A lock call that slept is printed open and closed: the closing
		# line is stamped when it returned.
		f ~ /\} \/\* rtnl_(lock|lock_killable|lock_interruptible|trylock) \*\// { got[pid] = ts; next }
		f ~ /__rtnl_unlock\(\);/ {
			if (!(pid in got)) next
			h = (ts - got[pid]) * 1e6; delete got[pid]
			if (pid in in_c) { hc += h; nc++ } else if (pid in in_d) { hd += h; nd++ } else { ho += h; no++ }
		}
		END {
			if (!made) { print "createprofile: no copy_net_ns() traced"; exit 1 }
			s = setup * 1e6 / made
			printf "made %d namespaces in %d cleanup rounds\n", made, rounds
			printf "copy_net_ns        %9.1f us/namespace\n", s
			printf "RTNL in creation   %9.1f us/namespace (%d holds) = %.1f%% of copy_net_ns\n", hc / made, nc, 100 * hc / made / s
			printf "RTNL in teardown   %9.1f us/namespace (%d holds, %.1f us a round)\n", hd / made, nd, rounds ? hd / rounds : 0
			printf "RTNL elsewhere     %9.1f us/namespace (%d holds)\n", ho / made, no
			f = hc / made / s
			printf "creation alone, 2 creators at most %.2fx one (2 / (1 + %.3f))\n", 2 / (1 + f), f
		}' $T/trace
	echo nop >$T/current_tracer
	exit 0
fi
# graph_run N FILE: trace make_and_drain N with the tracer set up; sum
# into FILE, per level and function, the calls and their microseconds:
# "level function calls us".  Fields of the trace: cpu) task-pid |
# duration | function, indented two spaces a level; a closing brace or a
# leaf call carries a duration.  The tracer's overhead is in every figure.
graph_run() {
	echo >$T/trace
	echo 1 >$T/tracing_on
	make_and_drain "$1"
	echo 0 >$T/tracing_on
	grep -q 'LOST EVENTS' $T/trace && echo "createprofile: the trace buffer overflowed: try a smaller N"
	awk -F'|' '
		NF < 3 { next }
		{
			d = $2; gsub(/[^0-9.]/, "", d); fn = $3
			if (d == "") next
			lead = match(fn, /[^ ]/) - 1
			if (fn ~ /\} \/\* /) { name = fn; sub(/.*\/\* /, "", name); sub(/ \*\/.*/, "", name) }
			else if (fn ~ /\(\);/) { name = fn; sub(/^ */, "", name); sub(/\(\);.*/, "", name) }
			else next
			key = sprintf("%d %s", int((lead - 1) / 2), name)
			us[key] += d; calls[key]++
		}
		END { for (k in us) printf "%s %d %.3f\n", k, calls[k], us[k] }' $T/trace >"$2"
}

if [ "$1" = --graph ]; then
	f=$2
	n=${3:-20}
	depth=${NETNS_PROFILE_DEPTH:-3}
	[ -n "$f" ] || { echo "createprofile: --graph needs a function name"; exit 1; }
	[ -e $T/set_graph_function ] ||
		{ echo "createprofile: no function_graph tracer (CONFIG_FUNCTION_GRAPH_TRACER)"; exit 1; }
	echo nop >$T/current_tracer
	: >$T/set_ftrace_filter
	echo "$f" >$T/set_graph_function 2>/dev/null ||
		{ echo "createprofile: cannot trace '$f' (not in $T/available_filter_functions)"; exit 1; }
	echo "$depth" >$T/max_graph_depth
	echo 65536 >$T/buffer_size_kb
	for o in funcgraph-tail funcgraph-duration funcgraph-proc; do
		echo 1 >$T/options/$o
	done
	for o in funcgraph-irqs funcgraph-abstime; do
		echo 0 >$T/options/$o
	done
	echo function_graph >$T/current_tracer
	# The drain makes namespaces and veth pairs of its own: traced alone
	# first, its calls are taken off the figures of the N namespaces.
	graph_run 0 /tmp/graph-drain
	graph_run "$n" /tmp/graph-n
	[ -s /tmp/graph-drain ] || echo "- - 0 0" >/tmp/graph-drain
	echo "createprofile: $f to depth $depth over $n namespaces (a drain-only run taken off)"
	awk -v n="$n" '
		NR == FNR { c0[$1 " " $2] = $3; u0[$1 " " $2] = $4; next }
		{
			k = $1 " " $2; c = $3 - c0[k]; u = $4 - u0[k]
			if (c > 0) printf "%d %-40s %7d %9.2f\n", $1, $2, c, u / n
		}' /tmp/graph-drain /tmp/graph-n | sort -k4 -n -r >/tmp/graph
	[ -s /tmp/graph ] || { echo "createprofile: no call traced; the trace begins:"; head -40 $T/trace; }
	awk '{ printf "%d  %-40s %7d %9.2f us/namespace\n", $1, $2, $3, $4 }' /tmp/graph
	echo nop >$T/current_tracer
	exit 0
fi
if [ "$1" = --callers ]; then
	f=$2
	n=${3:-20}
	[ -n "$f" ] || { echo "createprofile: --callers needs a function name"; exit 1; }
	[ -e $T/set_ftrace_filter ] ||
		{ echo "createprofile: no $T/set_ftrace_filter (CONFIG_DYNAMIC_FTRACE)"; exit 1; }
	echo nop >$T/current_tracer
	echo "$f" >$T/set_ftrace_filter 2>/dev/null ||
		{ echo "createprofile: cannot trace '$f' (not in $T/available_filter_functions)"; exit 1; }
	echo 8192 >$T/buffer_size_kb
	echo >$T/trace
	echo function >$T/current_tracer
	echo 1 >$T/options/func_stack_trace
	echo 1 >$T/tracing_on
	make_and_drain "$n"
	echo 0 >$T/tracing_on
	grep -q 'LOST EVENTS' $T/trace && echo "createprofile: the trace buffer overflowed: try a smaller N"
	echo "createprofile: callers of $f over $n namespaces (+3 of the drain)"
	awk -v n="$n" '
		/<stack trace>/ { task = $1; sub(/-[0-9]+$/, "", task); sub(/\/.*/, "", task); d = 0; key = ""; next }
		/^ => \[/ { next }	# the ftrace trampoline
		/^ => / {
			d++
			if (d <= 4) key = key (d > 1 ? " <- " : "") $2
			if (d == 4) count[task " " key]++
			next
		}
		END { for (k in count) printf "%8.2f %7d %s\n", count[k] / n, count[k], k }' $T/trace |
		sort -r -n -k2 >/tmp/callers
	[ -s /tmp/callers ] || { echo "createprofile: no call traced; the trace begins:"; head -40 $T/trace; }
	# (a change of tracer empties the trace: only now)
	echo 0 >$T/options/func_stack_trace
	echo nop >$T/current_tracer
	[ -s /tmp/callers ] && cat /tmp/callers
	exit 0
fi
[ -e $T/function_profile_enabled ] ||
	{ echo "createprofile: no $T/function_profile_enabled (CONFIG_FUNCTION_PROFILER)"; exit 1; }
n=${1:-200}
echo 0 >$T/function_profile_enabled
grep -E '^([a-z0-9_]+_net_init|[a-z0-9_]+_net_exit|[a-z0-9_]+_exit_net|[a-z0-9_]+_exit_batch|[a-z0-9_]+_exit_batch_rtnl|ops_init|setup_net|cleanup_net|unregister_netdevice_many_notify|netdev_run_todo|netdev_unregister_kobject|device_del|unregister_net_sysctl_table|remove_proc_entry|remove_proc_subtree|netlink_kernel_release|sock_release|synchronize_rcu_expedited|synchronize_net|register_net_sysctl_sz|__register_sysctl_table|sysctl_insert_table_header|kmemdup|inet_ctl_sock_create|sock_create_kern|netlink_kernel_create|proc_create_net_data|proc_create_net_single|proc_mkdir_data|register_netdevice|netdev_register_kobject|kobject_uevent_env|device_add|neigh_sysctl_register|__addrconf_sysctl_register|__devinet_sysctl_register|snmp6_alloc_dev|ipv6_add_dev|inetdev_init|loopback_net_init|synchronize_rcu|rcu_barrier|default_device_exit_batch|dev_close_many|dev_shutdown|call_netdevice_notifiers_info|addrconf_ifdown|inetdev_event|neigh_ifdown|rtmsg_ifinfo_build_skb|rtnl_notify|netdev_wait_allrefs_any|free_netdev|unhash_nsid|ops_undo_list|net_complete_free|rtnl_lock|mutex_spin_on_owner|rt6_sync_down_dev|fib_disable_ip|fib_sync_down_dev|flush_all_backlogs|dev_deactivate_many|kobject_put|nsfs_evict|net_free|snmp6_alloc_dev|neigh_parms_alloc|ipv6_mc_init_dev|snmp6_register_dev|addrconf_sysctl_register|pcpu_alloc_noprof|free_percpu|ip_mc_init_dev|devinet_sysctl_register|ipv6_mc_destroy_dev|ip_mc_destroy_dev|snmp6_unregister_dev|neigh_parms_release|in6_dev_finish_destroy|in_dev_finish_destroy|addrconf_notify|ndisc_netdev_event|fib_netdev_event|ip6_route_dev_notify|inet6_netconf_notify_devconf|netdev_name_node_alloc|dev_addr_init|netif_alloc_rx_queues|netif_alloc_netdev_queues|alloc_netdev_mqs|loopback_setup|netdev_init_one_queue|qdisc_create_dflt|dev_activate|list_netdevice|netdev_name_in_use|dev_get_valid_name|init_dummy_netdev|ipv4_mib_init_net|ipv4_mib_exit_net|inet6_net_init|ipv6_init_mibs|ipv6_cleanup_mibs)$' \
	$T/available_filter_functions | sort -u >$T/set_ftrace_filter
echo "createprofile: $(wc -l <$T/set_ftrace_filter) functions, $n namespaces"
echo 1 >$T/function_profile_enabled
make_and_drain "$n"
echo 0 >$T/function_profile_enabled
cat $T/trace_stat/function* | awk -v n="$n" '
	$1 == "Function" || $1 ~ /^-/ || NF < 3 { next }
	{ hits[$1] += $2; t = $3; if ($4 == "us") us[$1] += t; else if ($4 == "ms") us[$1] += t * 1000; else us[$1] += t }
	END {
		base = us["setup_net"]; down = us["cleanup_net"]
		for (f in us)
			printf "%-36s %8d %10.1f %6.1f%% %6.1f%%\n", f, hits[f], us[f] / n,
				base ? 100 * us[f] / base : 0, down ? 100 * us[f] / down : 0
	}' | sort -k3 -n -r
