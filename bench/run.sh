#!/usr/bin/env bash
# Runs every benchmark of the bench module for real: about 17 minutes on 2 cores (P7 adds about 6:
# SharedGroupBench and the 4-process SharedWindowCheck; both need redis-server on the PATH).
# Results (JMH text + JSON, the plain programs' tables) go to bench/target/results/<UTC time>/.
# JMH_ARGS adds JMH options (e.g. JMH_ARGS="-prof gc"); a first argument other than "all"
# is a JMH include regex, and the plain programs are then skipped; "virtual-day" runs P6 alone.
set -euo pipefail
cd "$(dirname "$0")/.."

is_jdk25() { [ -n "$1" ] && [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"; }
JDK=""
for home in "${JAVA25_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
  if is_jdk25 "$home"; then JDK="$home"; break; fi
done
[ -n "$JDK" ] || { echo "No JDK 25 found: set JAVA25_HOME." >&2; exit 1; }
JAVA=("$JDK/bin/java" --enable-preview -Dslf4j.internal.verbosity=ERROR)

WHAT="${1:-all}"
INCLUDE=".*"
[ "$WHAT" = all ] || INCLUDE="$WHAT"

# -Pfull builds P6's anchor too (Kotlin, on kotlinx-coroutines-test).
./mvnw -q -pl bench -am package -DskipTests -Pfull
JAR=bench/target/benchmarks.jar
OUT=bench/target/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jdk: $("${JAVA[0]}" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "cores: $(nproc), memory: $(free -g | awk '/Mem:/ {print $2}') GiB, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit: $(git rev-parse --short HEAD)"
} | tee "$OUT/machine.txt"

# P6: a day of virtual time, 10 emits at 1 s each forking an execute, beside the same day on
# kotlinx-coroutines-test: 9 pairs, alternating, each run in a fresh JVM with no option of its own;
# the medians of the wall times, and max/min of ours.
virtual_day() {
  # bash's time adds each JVM's CPU time (user, sys): on a loaded machine the wall time says how
  # much CPU the OS gave the process as much as what the work took.
  local TIMEFORMAT='cpu %U %S'
  for round in 1 2 3 4 5 6 7 8 9; do
    { time "${JAVA[@]}" -cp "$JAR" dev.exmachina.bench.VirtualDayCoroutines --emits=10 --seconds=86400; } 2>&1 \
      | tee -a "$OUT/virtual-day-coroutines.txt"
    { time "${JAVA[@]}" -cp "$JAR" dev.exmachina.bench.VirtualDay --emits=10 --seconds=86400; } 2>&1 \
      | tee -a "$OUT/virtual-day.txt"
  done
  walls() { grep '^| 10 ' "$1" | awk -F'|' '{gsub(/[ s]/, "", $6); print $6}' | sort -n; }
  median() { walls "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  spread() { walls "$1" | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f", hi / lo}'; }
  cpu() { grep '^cpu ' "$1" | awk '{print $2 + $3}' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  ours=$(median "$OUT/virtual-day.txt"); theirs=$(median "$OUT/virtual-day-coroutines.txt")
  echo "P6 medians of 9: ours ${ours} s, kotlinx-coroutines-test ${theirs} s," \
    "ratio $(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}'), ours max/min $(spread "$OUT/virtual-day.txt")," \
    "theirs max/min $(spread "$OUT/virtual-day-coroutines.txt"); CPU medians (whole JVM) ours" \
    "$(cpu "$OUT/virtual-day.txt") s, theirs $(cpu "$OUT/virtual-day-coroutines.txt") s" | tee "$OUT/virtual-day-summary.txt"
}
if [ "$WHAT" = virtual-day ]; then virtual_day; exit 0; fi

# P1-P3: JMH, every benchmark with the forks, warm-up and iterations its class declares.
"${JAVA[@]}" -jar "$JAR" ${JMH_ARGS:-} -rf json -rff "$OUT/jmh.json" "$INCLUDE" 2>&1 \
  | grep -v '^WARNING' | tee "$OUT/jmh.txt"
[ "$WHAT" = all ] || exit 0

# P1 again on one carrier thread: fork and join then never cross cores, which on a shared 2-core
# machine is most of P1's noise. Options given here replace the class's jvmArgsAppend: repeat them.
"${JAVA[@]}" -jar "$JAR" -jvmArgsAppend "-Xms1g -Xmx1g -Dslf4j.internal.verbosity=ERROR -Djdk.virtualThreadScheduler.parallelism=1" \
  -rf json -rff "$OUT/jmh-p1-one-carrier.json" 'ForkJoinBench' 2>&1 | grep -v '^WARNING' | tee "$OUT/jmh-p1-one-carrier.txt"

# P4: the sliding-window check, 10^6 starts per limiter.
"${JAVA[@]}" -Xmx2g -cp "$JAR" dev.exmachina.bench.WindowCheck --n=10000 --window-ms=100 --starts=1000000 \
  --threads=256 2>&1 | tee "$OUT/window.txt"

# P5: 100,000 idle loops at 1 s, each kind in its own JVM so the heap figures compare; the kinds
# alternate, three times, so a burst of load from elsewhere on the machine does not land on one kind
# only. The 2 s settle lets the JIT compile the loops before heap and lateness are measured.
for round in 1 2 3; do
  for kind in $("${JAVA[@]}" -cp "$JAR" dev.exmachina.bench.IdleLoops --list=true); do
    "${JAVA[@]}" -Xmx4g -cp "$JAR" dev.exmachina.bench.IdleLoops --kind="$kind" --loops=100000 --settle-ms=2000 --record-ms=10000 \
      2>&1 | tee -a "$OUT/idle.txt"
  done
done

virtual_day

# P7, second measure: a window of 50 per 1 s shared on Redis, saturated by 4 JVMs of 8 virtual
# threads each, 25 s per limiter (about 2 min); each limiter's instants go to shared-window/.
if command -v redis-server >/dev/null 2>&1; then
  "${JAVA[@]}" -cp "$JAR" dev.exmachina.bench.SharedWindowCheck --n=50 --window-ms=1000 --seconds=25 \
    --processes=4 --threads=8 --warmup-ms=2000 --out="$OUT/shared-window" 2>&1 | tee "$OUT/shared-window.txt"
else
  echo "P7 shared window: skipped, no redis-server on the PATH" | tee "$OUT/shared-window.txt"
fi

echo "Results in $OUT"
