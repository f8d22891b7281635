package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.GroupLimits.Window;
import dev.exmachina.core.GroupLimits.WindowAnchor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How limits with several windows, costs and pause rules are made and checked. */
class SeveralWindowsLimitsTest {

    /** Tests that each perWindow after the first adds a window, and the first window keeps the single-window accessors. */
    @Test
    void eachPerWindowAfterTheFirstAddsAWindowAndTheAccessorsDescribeTheFirst() {
        GroupLimits limits = GroupLimits.concurrency(4).perWindow(10, "1s").perWindow(200_000, "1d").anchoredAtCompletion();
        assertEquals(10, limits.callsPerWindow());
        assertEquals(Duration.ofSeconds(1), limits.window());
        assertEquals(WindowAnchor.START, limits.anchor());
        assertEquals(List.of(new Window(10, Duration.ofSeconds(1), WindowAnchor.START),
                new Window(200_000, Duration.ofDays(1), WindowAnchor.COMPLETION)), limits.windows());
        assertEquals(List.of(), GroupLimits.concurrency(1).windows());
    }

    /** Tests that a bad window is refused when the limits are made, naming the bad value. */
    @Test
    void aBadWindowIsRefusedNamingTheValue() {
        var zero = assertThrows(IllegalArgumentException.class,
                () -> GroupLimits.concurrency(1).perWindow(5, "1s").perWindow(5, Duration.ZERO));
        assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
        var limit = assertThrows(IllegalArgumentException.class,
                () -> GroupLimits.concurrency(1).perWindow(5, "1s").perWindow(0, "1m"));
        assertTrue(limit.getMessage().contains("was 0"), limit.getMessage());
        var orphan = assertThrows(IllegalArgumentException.class, () -> new GroupLimits(null, 1, Duration.ZERO,
                WindowAnchor.START, null, List.of(new Window(3, Duration.ofSeconds(1), WindowAnchor.START))));
        assertTrue(orphan.getMessage().contains("3 per 1s"), orphan.getMessage());
    }

    /** Tests that a negative constant cost is refused when the options are made, naming it. */
    @Test
    void aNegativeCostIsRefusedNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExecuteOptions.groups("api").cost(-2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }

    /** Tests that a cost function asked with an argument of another type says which type it takes. */
    @Test
    void aCostFunctionOfAnotherTypeSaysWhichItTakes() {
        CallCost cost = ExecuteOptions.groups("api").cost(String.class, String::length).cost();
        assertEquals(5, cost.estimate("hello"));
        var e = assertThrows(IllegalArgumentException.class, () -> cost.estimate(42));
        assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }
}
