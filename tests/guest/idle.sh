# idle: a guest that sleeps uses (almost) no CPU: while it sleeps 10 s,
# its CPU time in `xl list` (0.1 s resolution) grows by less than
# 0.1 s over 5 s. Then dom0 runs the sampling profiler on it through
# control/minnow-prof (periods too short and too long refused, then 2 s at 10 ms
# and a report), and Xen's debug key 'q' (VIRQ_DEBUG) makes it list its
# threads on the console.

# cpu_time NAME - the guest's CPU seconds as xl list shows them.
cpu_time() {
	xl list "$1" 2>/dev/null | awk 'NR == 2 { print $6 }'
}

scenario_dom0() {
	local log=/var/log/xen/console/guest-idle.log t1 t2
	run_guest selftest idle 90 'extra="idle_sleep"' &
	for _ in $(seq 120); do		# until it says it sleeps
		grep -q 'idle: sleeping' "$log" 2>/dev/null && break
		sleep 0.25
	done
	sleep 1
	t1=$(cpu_time idle)
	sleep 5
	t2=$(cpu_time idle)
	echo "$t1 $t2" > "$OUT/cpu.txt"
	prof=/local/domain/$(xl domid idle)/control/minnow-prof
	xenstore-write "$prof" "start 5"
	xenstore-write "$prof" "start 18446744073719552"	# 10 ms if it wrapped
	xenstore-write "$prof" "start 10000"
	sleep 2
	xenstore-write "$prof" "stop"
	xl debug-keys q
	wait
}

scenario_judge() {
	local t1 t2
	read -r t1 t2 < "$OUT/cpu.txt" 2>/dev/null
	expect_line idle 'selftest: PASS idle_sleep'
	expect_reason idle poweroff
	expect_match idle '^minnow: [0-9]+ threads, [0-9]+ switches'
	expect_match idle '^  thread 1 main: blocked( \(current\))?, stack 64 KiB$'
	expect_line idle 'minnow: profiler: period 5 us out of range (1000 to 1000000)'
	expect_line idle 'minnow: profiler: period 18446744073719552 us out of range (1000 to 1000000)'
	expect_line idle 'minnow: profiler started, every 10000 us'
	# Xen does not tick a blocked vCPU's periodic timer, so a sleeping
	# guest gives (almost) no samples: only the report's frame is checked.
	expect_match idle '^prof: [0-9]+ samples, 10 ms period, 0 lost$'
	if [ -z "$t1" ] || [ -z "$t2" ]; then
		judge_fail "could not read the guest's CPU time (cpu.txt: '$t1' '$t2')"
	elif ! awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b - a < 0.1) }'; then
		judge_fail "expected under 0.1 s of CPU in 5 s of sleep, saw $t1 s -> $t2 s"
	fi
}
