#!/usr/bin/env bash
# The rounds behind RESULTS.md's "P6 beside kotlinx-coroutines-test" (the two virtual-day-* folders): 9 rounds, each alternating kotlinx-coroutines-test,
# ours (bench/target/benchmarks.jar of this commit) and ours on the default scheduler (benchmarks-default-scheduler.jar:
# bench built at 3d3cb5e, the commit before VirtualClock asked for one carrier); fresh JVMs, --enable-preview only (as
# bench/run.sh); wall from the program, CPU (user + sys) of the whole JVM from bash's time. Run from the repository root
# with OUT set to a folder; bench/run.sh virtual-day runs the first two kinds the same way.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mkdir -p "$OUT"; ROOT=$PWD; cd "$OUT"
echo "start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" > rounds.txt
one() { # label jar class
  local out
  out=$( { TIMEFORMAT='%U %S'; time $J --enable-preview -cp "$2" dev.exmachina.bench.$3 --emits=10 --seconds=86400 2>/dev/null | grep '^| 10 '; } 2>&1 )
  echo "$out" | tr '\n' ' ' >> $1.txt; echo >> $1.txt
}
for r in 1 2 3 4 5 6 7 8 9; do
  one kotlinx-coroutines-test "$ROOT"/bench/target/benchmarks.jar VirtualDayCoroutines
  one ours "$ROOT"/bench/target/benchmarks.jar VirtualDay
  one ours-default-scheduler "$ROOT"/benchmarks-default-scheduler.jar VirtualDay
  echo "round $r $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> rounds.txt
done
echo done >> rounds.txt
