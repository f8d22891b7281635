package dev.exmachina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared-window check counts exactly, and runs every limiter across processes (tiny sizes). */
class SharedWindowCheckTest {

    @Test
    void theDensestHalfOpenWindowIsCountedExactly() {
        long[] starts = {0, 10, 20, 100, 110, 120, 205};
        assertEquals(3, SharedWindowCheck.densest(starts, 100)); // a start at t and one at t+100 both fit
        assertEquals(4, SharedWindowCheck.densest(starts, 101));
        assertEquals(0, SharedWindowCheck.overN(starts, 100, 3));
        assertEquals(3, SharedWindowCheck.overN(starts, 101, 3)); // 100, 110, 120 each close 4 in 101
        assertEquals(0, SharedWindowCheck.densest(new long[0], 100));
    }

    /** Real processes, a redis-server and real seconds: in the full build. Asserts structure, not the anchors' counts. */
    @Test
    @Tag("realtime")
    void everyLimiterRunsInSeveralProcessesOnOneRedis() throws Exception {
        assumeTrue(LocalRedis.onPath(), "no redis-server on the PATH");
        int n = 10;
        var options = new SharedWindowCheck.Options(n, Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMillis(500), 2, 2, List.of(SharedWindowCheck.Kind.values()), null);
        var results = SharedWindowCheck.run(options, result -> System.out.println(result.row()));
        assertEquals(SharedWindowCheck.Kind.values().length, results.size());
        for (var r : results) {
            String what = r.kind().label() + ": " + r;
            assertTrue(r.starts() > 0, what);
            assertTrue(r.maxInWindow() >= 1 && r.maxAfterWarmup() >= 1, what);
            assertTrue(r.use() > 0, what);
            switch (r.kind()) {
                case EXMACHINA_START -> {
                    // The group's own record on Redis time: every start seen, never more than N in a window.
                    assertEquals(r.starts(), r.recorded(), what);
                    assertTrue(r.recordMax() >= 1 && r.recordMax() <= n, what);
                }
                case REDISSON_OVERALL -> assertTrue(r.recorded() > 0, what);
                case EXMACHINA_COMPLETION, BUCKET4J_GREEDY -> assertEquals(-1, r.recorded(), what); // no record of starts
            }
        }
    }
}
