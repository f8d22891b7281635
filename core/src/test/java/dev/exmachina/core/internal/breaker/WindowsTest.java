package dev.exmachina.core.internal.breaker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The closed breaker's windows of outcomes: what they hold, what they drop, when they trip. */
class WindowsTest {

    private static final long S = 1_000_000_000L;

    private static Settings settings(CircuitBreakerConfig.SlidingWindow window, int minimumCalls, int failureRate,
            Duration slowCall, int slowRate) {
        return Settings.of(new CircuitBreakerConfig(window, minimumCalls, failureRate, slowCall, slowRate,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), List.of()));
    }

    @Test
    void aWindowOfCallsTripsOnlyOnceItHoldsTheMinimum() {
        OutcomeWindow w = settings(new CircuitBreakerConfig.SlidingWindow.Calls(10), 4, 50, null, 100).newWindow();
        assertFalse(w.record(true, false, 0));
        assertFalse(w.record(true, false, 0));
        assertFalse(w.record(true, false, 0), "3 failures of 3, under the minimum of 4");
        assertTrue(w.record(false, false, 0), "3 of 4 failed: 75 % >= 50 %");
    }

    @Test
    void aWindowOfCallsForgetsTheOldestOutcome() {
        OutcomeWindow w = settings(new CircuitBreakerConfig.SlidingWindow.Calls(4), 4, 50, null, 100).newWindow();
        assertFalse(w.record(true, false, 0));
        assertFalse(w.record(false, false, 0));
        assertFalse(w.record(false, false, 0));
        assertFalse(w.record(false, false, 0), "1 of 4: 25 %");
        assertFalse(w.record(true, false, 0), "the first failure left: still 1 of 4");
        assertTrue(w.record(true, false, 0), "2 of 4: 50 %");
    }

    @Test
    void slowCallsTripOnTheirOwnRate() {
        OutcomeWindow w = settings(new CircuitBreakerConfig.SlidingWindow.Calls(4), 4, 100,
                Duration.ofSeconds(1), 75).newWindow();
        assertFalse(w.record(false, true, 0));
        assertFalse(w.record(false, true, 0));
        assertFalse(w.record(false, false, 0));
        assertTrue(w.record(false, true, 0), "3 of 4 slow: 75 %, though none failed");
    }

    @Test
    void aWindowOfTimeForgetsOutcomesOlderThanItsLength() {
        // 10 s in 10 buckets of 1 s; 3 calls at least, 50 %.
        OutcomeWindow w = settings(new CircuitBreakerConfig.SlidingWindow.Time(Duration.ofSeconds(10)), 3, 50, null, 100)
                .newWindow();
        assertFalse(w.record(true, false, 0));
        assertFalse(w.record(true, false, S / 2));
        assertFalse(w.record(false, false, 10 * S), "both failures (bucket 0) left at 10 s: 0 of 1");
        assertFalse(w.record(true, false, 11 * S));
        assertTrue(w.record(true, false, 12 * S), "2 of 3 within 10 s");
    }

    @Test
    void aWindowOfTimeKeepsAnOutcomeUntilItsBucketLeaves() {
        OutcomeWindow w = settings(new CircuitBreakerConfig.SlidingWindow.Time(Duration.ofSeconds(10)), 2, 100, null, 100)
                .newWindow();
        assertFalse(w.record(true, false, 0));
        assertTrue(w.record(true, false, 10 * S - 1), "bucket 0 is still in the window at 9.999… s");
        OutcomeWindow later = settings(new CircuitBreakerConfig.SlidingWindow.Time(Duration.ofSeconds(10)), 2, 100, null, 100)
                .newWindow();
        assertFalse(later.record(true, false, 0));
        assertFalse(later.record(true, false, 100 * S), "long after: only the new one");
    }
}
