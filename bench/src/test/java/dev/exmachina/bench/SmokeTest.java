package dev.exmachina.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;

/**
 * Smoke: every benchmark and program of the module runs and produces a result, with tiny sizes so
 * the normal build keeps them from rotting. Asserts no timing: the real run is {@code bench/run.sh}.
 * It forks a JMH JVM and takes several seconds of real time, so it is tagged realtime: it runs in
 * the full build ({@code -Pfull}, what CI runs), not in the quick {@code ./mvnw verify}.
 */
@Tag("realtime")
class SmokeTest {

    @Test
    void everyJmhBenchmarkProducesAScore() throws Exception {
        var listed = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())
                .stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(listed.contains(ForkJoinBench.class.getName() + ".bareScope"), "benchmark list: " + listed);

        // In this JVM (-f 0), one short iteration each: proves each body runs, not how fast.
        var options = new OptionsBuilder()
                .include("dev\\.exmachina\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Map<String, Double> scores = scores(new Runner(options).run());

        assertEquals(listed, scores.keySet());
        assertAll(scores.entrySet().stream().map(e -> () ->
                assertTrue(e.getValue() > 0 && Double.isFinite(e.getValue()), e.getKey() + " scored " + e.getValue())));
    }

    @Test
    void aBenchmarkRunsInAForkedJvmAsTheRealRunDoes() throws Exception {
        // The real run forks; this proves the fork's JVM arguments (--enable-preview) work.
        var options = new OptionsBuilder()
                .include(DirectCallBench.class.getName() + ".semaphoreUnfair")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        var scores = scores(new Runner(options).run());
        assertEquals(1, scores.size(), scores.toString());
        assertTrue(scores.values().iterator().next() > 0);
    }

    @Test
    void theWindowCheckRunsOnEveryLimiter() throws Exception {
        int n = 20;
        var window = Duration.ofMillis(20);
        var kinds = WindowCheck.kinds();
        assertFalse(kinds.isEmpty());
        for (var kind : kinds) {
            var result = WindowCheck.run(kind.name(), kind.create(n, window), n, window, 200, 16);
            assertEquals(200, result.starts(), kind.name());
            assertTrue(result.maxInWindow() >= 1, kind.name() + ": " + result);
        }
    }

    @Test
    void theIdleLoopsRunAndTick() throws Exception {
        for (String kind : IdleLoops.KINDS) {
            var result = IdleLoops.measure(kind, 1_000, Duration.ofMillis(200), Duration.ofMillis(100),
                    Duration.ofMillis(100), Duration.ofMillis(600));
            assertTrue(result.ticks() > 0, kind + ": " + result);
            assertTrue(Double.isFinite(result.heapPerLoop()), kind + ": " + result);
        }
    }

    @Test
    void theVirtualDayRunsEveryIteration() throws Exception {
        var result = VirtualDay.run(10, 60);
        assertEquals(600, result.iterations());
        assertEquals(600, result.executes());
        assertEquals(Duration.ofSeconds(59), result.virtual()); // 60 ticks, 1 s apart
        assertTrue(result.steps() > 0);
    }

    /** Its anchor on kotlinx-coroutines-test, built with -Pfull only (hence found by name). */
    @Test
    void theVirtualDayOnCoroutinesRunsEveryIteration() throws Exception {
        var run = Class.forName("dev.exmachina.bench.VirtualDayCoroutines").getMethod("run", int.class, long.class);
        var result = (VirtualDay.Result) run.invoke(null, 10, 60L);
        assertEquals(600, result.iterations());
        assertEquals(600, result.executes());
        assertEquals(Duration.ofSeconds(59), result.virtual());
    }

    private static Map<String, Double> scores(Collection<RunResult> results) {
        var scores = new TreeMap<String, Double>();
        for (var result : results) {
            scores.put(result.getParams().getBenchmark(), result.getPrimaryResult().getScore());
        }
        return scores;
    }
}
