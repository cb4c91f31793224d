#!/bin/bash
# A CPU profile of the whole machine inside the EENet's saturation windows of one dev run of the stream benchmark.
# Usage (from the repository root, as root or with perf_event_paranoid <= 1): docs/experiments/stream-cpu/profile.sh OUT
# Writes OUT/perf.data, OUT/bench.err (stderr, each line prefixed with its epoch second) and OUT/bench.json,
# then prints docs/experiments/stream-cpu/perf_windows.py's table.
set -euo pipefail
out="${1:?usage: profile.sh OUT}"
mkdir -p "$out"
perf record -k realtime -a -g -F 299 -o "$out/perf.data" 2>"$out/perf.err" &
perf_pid=$!
# The broker's JVM writes its perf map only when asked: ask every JVM every 15 s.
( while sleep 15; do for p in $(pgrep java); do jcmd "$p" Compiler.perfmap >/dev/null 2>&1 || true; done; done ) &
maps_pid=$!
EENET_JAVA_OPTS="${EENET_JAVA_OPTS:--Xmx4g} -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  ./eenet bench stream --no-static --latency-seconds 2 --warmup-seconds 1 --json > "$out/bench.json" \
  2> >(while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%N | cut -c1-14)" "$l"; done > "$out/bench.err")
kill "$maps_pid"
kill -INT "$perf_pid"; wait "$perf_pid" || true
python3 "$(dirname "$0")/perf_windows.py" "$out"
