package dev.exmachina.retry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail at construction with a message naming the value; nulls are passed on purpose. */
class RetryRuleConstructionTest {
    private static final Class<IOException> ON = IOException.class;
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Predicate<Throwable> ANY = e -> true;

    @Test
    void nullComponentsAreRejectedNamingTheComponent() {
        assertNull("on", () -> RetryRule.fixed(null, SECOND));
        assertNull("waitTime", () -> RetryRule.fixed(ON, null));
        assertNull("filter", () -> RetryRule.fixed(ON, SECOND).filter(null));
        assertNull("on", () -> RetryRule.fibonacci(null));
        assertNull("unit", () -> RetryRule.fibonacci(ON).unit(null));
        assertNull("filter", () -> RetryRule.fibonacci(ON).filter(null));
        assertNull("on", () -> RetryRule.range(null, SECOND, SECOND));
        assertNull("min", () -> RetryRule.range(ON, null, SECOND));
        assertNull("max", () -> RetryRule.range(ON, SECOND, null));
        assertNull("filter", () -> RetryRule.range(ON, SECOND, SECOND).filter(null));
        assertNull("on", () -> RetryRule.exponentialAndJitter(null));
        assertNull("base", () -> RetryRule.exponentialAndJitter(ON).base(null));
        assertNull("cap", () -> RetryRule.exponentialAndJitter(ON).cap(null));
        assertNull("filter", () -> RetryRule.exponentialAndJitter(ON).filter(null));
    }

    @Test
    void negativeRetriesAreRejectedByEveryRuleNamingTheValue() {
        List<Executable> constructions = List.of(
                () -> RetryRule.fixed(ON, SECOND).retries(-1),
                () -> RetryRule.fibonacci(ON).retries(-1),
                () -> RetryRule.range(ON, SECOND, SECOND).retries(-1),
                () -> RetryRule.exponentialAndJitter(ON).retries(-1),
                () -> new RetryRule.Fixed<>(ON, SECOND, -1, ANY));
        for (Executable construction : constructions) {
            assertIllegal("retries must be >= 0, was -1", construction);
        }
    }

    @Test
    void zeroRetriesIsAValidBudget() {
        assertEquals(0, RetryRule.fixed(ON, SECOND).retries(0).retries());
    }

    @Test
    void aNegativeFixedWaitIsRejectedButZeroIsAllowed() {
        assertIllegal("waitTime must be >= 0, was PT-0.001S", () -> RetryRule.fixed(ON, Duration.ofMillis(-1)));
        assertDoesNotThrow(() -> RetryRule.fixed(ON, Duration.ZERO));
    }

    @Test
    void aZeroOrNegativeFibonacciUnitIsRejected() {
        assertIllegal("unit must be > 0, was PT0S", () -> RetryRule.fibonacci(ON).unit(Duration.ZERO));
        assertIllegal("unit must be > 0, was PT-1S", () -> RetryRule.fibonacci(ON).unit(Duration.ofSeconds(-1)));
    }

    @Test
    void aRangeWhoseMinExceedsItsMaxIsRejected() {
        assertIllegal("min must be <= max (PT1S), was PT2S",
                () -> RetryRule.range(ON, Duration.ofSeconds(2), SECOND));
        assertIllegal("min must be <= max (PT-2S), was PT-1S",
                () -> RetryRule.range(ON, Duration.ofSeconds(-1), Duration.ofSeconds(-2)));
    }

    @Test
    void aZeroOrNegativeExponentialBaseIsRejected() {
        assertIllegal("base must be > 0, was PT0S", () -> RetryRule.exponentialAndJitter(ON).base(Duration.ZERO));
        assertIllegal("base must be > 0, was PT-1S",
                () -> RetryRule.exponentialAndJitter(ON).base(Duration.ofSeconds(-1)));
    }

    @Test
    void anExponentialCapBelowTheBaseIsRejected() {
        assertIllegal("cap must be >= base (PT1S), was PT0.5S",
                () -> RetryRule.exponentialAndJitter(ON).cap(Duration.ofMillis(500)));
        // Above the default 1 h cap, the cap must be raised before the base.
        assertIllegal("cap must be >= base (PT2H), was PT1H",
                () -> RetryRule.exponentialAndJitter(ON).base(Duration.ofHours(2)));
        assertEquals(Duration.ofHours(2),
                RetryRule.exponentialAndJitter(ON).cap(Duration.ofHours(3)).base(Duration.ofHours(2)).base());
    }

    private static void assertNull(String name, Executable construction) {
        var e = assertThrows(NullPointerException.class, construction);
        assertEquals(name + " must not be null", e.getMessage());
    }

    private static void assertIllegal(String message, Executable construction) {
        var e = assertThrows(IllegalArgumentException.class, construction);
        assertEquals(message, e.getMessage());
    }
}
