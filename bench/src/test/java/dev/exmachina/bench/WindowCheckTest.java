package dev.exmachina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The window check counts exactly: synthetic instants with known answers. */
class WindowCheckTest {
    private static final Duration T = Duration.ofNanos(100);

    private static WindowCheck.Result check(int n, long[] requested, long[] started) {
        return WindowCheck.analyse("test", n, T, 1, 0, requested, started);
    }

    @Test
    void theDesignsExampleHoldsTheBoundWithAStartExactlyOneWindowLater() {
        // 3 per 100, attempts at 0, 20, 40, 60, 80: the 4th may start at exactly 100 (half-open).
        var result = check(3, new long[] {60, 0, 80, 20, 40}, new long[] {100, 0, 120, 20, 40});
        assertEquals(3, result.maxInWindow());
        assertEquals(0, result.violations());
        assertEquals(0, result.early());
        assertEquals(0, result.lateMax());
    }

    @Test
    void aFixedCycleBurstAroundTheBoundaryIsCountedAsTwoN() {
        var result = check(3, new long[6], new long[] {90, 95, 99, 100, 101, 102});
        assertEquals(6, result.maxInWindow());
        assertEquals(3, result.violations());
        assertEquals(3, result.early()); // each of the second three came before (i-3)-th + 100
    }

    @Test
    void lateStartsAreMeasuredFromTheEarliestInstantTheWindowAllowed() {
        // The 3rd start was due at 0 + 100 (window full) but came at 130; the 4th was asked at 200.
        var result = check(2, new long[] {0, 0, 0, 200}, new long[] {0, 10, 130, 205});
        assertEquals(0, result.violations());
        assertEquals(30, result.lateMax());
        assertEquals(30, WindowCheck.percentile(new long[] {0, 0, 5, 30}, 0.99));
    }

    @Test
    void utilisationCountsWholeWindowsFromTheFirstStart() {
        var result = check(3, new long[7], new long[] {0, 0, 0, 100, 100, 100, 200});
        assertEquals(1.0, result.utilisation(), 1e-9);
        var half = check(4, new long[5], new long[] {0, 0, 100, 100, 200});
        assertEquals(0.5, half.utilisation(), 1e-9);
    }
}
