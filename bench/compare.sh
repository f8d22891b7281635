#!/usr/bin/env bash
# Before/after in one sitting: builds the benchmarks of an earlier commit beside this one's and runs
# the same JMH benchmarks from both jars, alternating, on the same machine, with the anchors
# (Semaphore, bare StructuredTaskScope) measured in each run, so that ratios compare.
#   bench/compare.sh <earlier-commit> [JMH options]      e.g. bench/compare.sh 74cc355 -f 1 -wi 3 -i 5
#   PARTS="p2" bench/compare.sh <earlier-commit>          only some parts (default: p1 p2 p3 p8)
# P1 (ForkJoinBench) runs on one carrier thread, as in run.sh; this commit's P1 and P3 run twice,
# on StructuredTaskScope and on plain virtual-thread scopes (-Ddev.exmachina.scope=plain).
# P2's benchmark class (DirectCallBench, public API only) is built from this commit into both jars,
# so that both run the same cases (a case added since the earlier commit included).
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="${1:?usage: bench/compare.sh <earlier-commit> [JMH options]}"; shift
OPTS=("$@")
PARTS=" ${PARTS:-p1 p2 p3 p8} "
want() { [[ "$PARTS" == *" $1 "* ]]; }
[ ${#OPTS[@]} -gt 0 ] || OPTS=(-f 1 -wi 3 -i 5 -w 1s -r 1s)

is_jdk25() { [ -n "$1" ] && [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"; }
JDK=""
for home in "${JAVA25_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if is_jdk25 "$home"; then JDK="$home"; break; fi
done
[ -n "$JDK" ] || { echo "No JDK 25 found: set JAVA25_HOME." >&2; exit 1; }
JAVA=("$JDK/bin/java" --enable-preview -Dslf4j.internal.verbosity=ERROR)

OUT=bench/target/compare/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
./mvnw -q -pl bench -am package -DskipTests
cp bench/target/benchmarks.jar "$OUT/after.jar"
WT=$(mktemp -d)
git worktree add -q --detach "$WT" "$BEFORE"
cp bench/src/main/java/dev/exmachina/bench/DirectCallBench.java "$WT/bench/src/main/java/dev/exmachina/bench/"
(cd "$WT" && ./mvnw -q -pl bench -am package -DskipTests) && cp "$WT/bench/target/benchmarks.jar" "$OUT/before.jar"
git worktree remove --force "$WT"
{ echo "before: $BEFORE, after: $(git rev-parse --short HEAD)"; echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$OUT/machine.txt"

VM="-Xms1g -Xmx1g --enable-preview -Dslf4j.internal.verbosity=ERROR"
ONE="-Djdk.virtualThreadScheduler.parallelism=1"
run() { # name jar regex jvmArgs
  "${JAVA[@]}" -jar "$2" "${OPTS[@]}" -jvmArgsAppend "$4" -rf json -rff "$OUT/$1.json" "$3" 2>&1 \
    | grep -v '^WARNING' | tee "$OUT/$1.txt" | grep -E '^(Benchmark|[A-Za-z]+Bench\.)' || true
}
P2='DirectCallBench\.(coreCall|coreCallNoGroup|coreCallConcurrencyOnly|semaphoreFair|clockRead)$'
for round in 1 2; do
  if want p2; then
    run "p2-before-$round" "$OUT/before.jar" "$P2" "$VM"
    run "p2-after-$round" "$OUT/after.jar" "$P2" "$VM"
  fi
  if want p1; then
    run "p1-before-$round" "$OUT/before.jar" 'ForkJoinBench\.' "$VM $ONE"
    run "p1-after-$round" "$OUT/after.jar" 'ForkJoinBench\.' "$VM $ONE"
    run "p1-after-plain-$round" "$OUT/after.jar" 'ForkJoinBench\.core' "$VM $ONE -Ddev.exmachina.scope=plain"
  fi
  if want p3; then
    run "p3-after-$round" "$OUT/after.jar" 'ContendedBench\.(coreGroup|semaphoreFair)$' "$VM"
    run "p3-after-plain-$round" "$OUT/after.jar" 'ContendedBench\.coreGroup$' "$VM -Ddev.exmachina.scope=plain"
  fi
done
if want p8; then
  run "p8" "$OUT/after.jar" 'ObservabilityBench\.' "$VM --sun-misc-unsafe-memory-access=allow"
fi
echo "Results in $OUT"
