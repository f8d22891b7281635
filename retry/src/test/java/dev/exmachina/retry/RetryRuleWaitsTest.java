package dev.exmachina.retry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryRuleWaitsTest {
    private static final int DRAWS = 10_000;
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private final RandomGenerator random = new SplittableRandom(1);

    @Test
    void fixedAlwaysWaitsItsWaitTime() {
        var rule = RetryRule.fixed(IOException.class, Duration.ofMillis(250));
        for (int retry : new int[] {1, 2, 3, 100, Integer.MAX_VALUE}) {
            assertEquals(Duration.ofMillis(250), rule.waitBefore(retry, random), "retry " + retry);
        }
    }

    @Test
    void fibonacciWaitsOneOneTwoThreeFiveEightSeconds() {
        var rule = RetryRule.fibonacci(IOException.class);
        assertEquals(List.of(1L, 1L, 2L, 3L, 5L, 8L),
                waits(rule, 6, random).stream().map(Duration::toSeconds).toList());
    }

    @Test
    void fibonacciWithAUnitWaitsMultiplesOfThatUnit() {
        var rule = RetryRule.fibonacci(IOException.class).unit(Duration.ofMillis(100));
        assertEquals(List.of(100L, 100L, 200L, 300L, 500L),
                waits(rule, 5, random).stream().map(Duration::toMillis).toList());
    }

    @Test
    void fibonacciSaturatesAtLongMaxNanosInsteadOfOverflowing() {
        var rule = RetryRule.fibonacci(IOException.class);
        List<Duration> waits = waits(rule, 300, random);
        for (int i = 1; i < waits.size(); i++) {
            assertTrue(waits.get(i).compareTo(waits.get(i - 1)) >= 0, "waits never decrease, retry " + (i + 1));
        }
        assertEquals(LONGEST, rule.waitBefore(200, random));
        assertEquals(LONGEST, rule.waitBefore(Integer.MAX_VALUE, random));
        // fib(92) is the largest that fits in a long; times a 1 ns unit it is exact.
        assertEquals(Duration.ofNanos(7_540_113_804_746_346_429L),
                rule.unit(Duration.ofNanos(1)).waitBefore(92, random));
    }

    @Test
    void rangeWaitsStayWithinBoundsAndSpreadAcrossThemOverManyDraws() {
        var min = Duration.ofMillis(100);
        var max = Duration.ofMillis(300);
        var rule = RetryRule.range(IOException.class, min, max);
        Duration lowest = max;
        Duration highest = min;
        for (int i = 1; i <= DRAWS; i++) {
            Duration wait = rule.waitBefore(i, random);
            assertTrue(wait.compareTo(min) >= 0 && wait.compareTo(max) <= 0, "within [min, max]: " + wait);
            lowest = lowest.compareTo(wait) < 0 ? lowest : wait;
            highest = highest.compareTo(wait) > 0 ? highest : wait;
        }
        assertTrue(lowest.compareTo(Duration.ofMillis(102)) < 0, "draws reach near min: " + lowest);
        assertTrue(highest.compareTo(Duration.ofMillis(298)) > 0, "draws reach near max: " + highest);
    }

    @Test
    void rangeReadsNegativeBoundsAsZero() {
        var allNegative = RetryRule.range(IOException.class, Duration.ofSeconds(-5), Duration.ofSeconds(-1));
        var negativeMin = RetryRule.range(IOException.class, Duration.ofSeconds(-1), Duration.ofMillis(10));
        for (int i = 1; i <= DRAWS; i++) {
            assertEquals(Duration.ZERO, allNegative.waitBefore(i, random));
            Duration wait = negativeMin.waitBefore(i, random);
            assertTrue(!wait.isNegative() && wait.compareTo(Duration.ofMillis(10)) <= 0, "within [0, 10ms]: " + wait);
        }
    }

    @Test
    void rangeWithEqualBoundsAlwaysWaitsExactlyThatLong() {
        var rule = RetryRule.range(IOException.class, Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertAll(waits(rule, 100, random).stream()
                .map(wait -> () -> assertEquals(Duration.ofSeconds(2), wait)));
    }

    @Test
    void rangeUpToTheLongestDurationNeverOverflows() {
        var rule = RetryRule.range(IOException.class, Duration.ofNanos(1), Duration.ofDays(365L * 1_000_000));
        for (int i = 1; i <= DRAWS; i++) {
            Duration wait = rule.waitBefore(i, random);
            assertTrue(wait.compareTo(Duration.ofNanos(1)) >= 0 && wait.compareTo(LONGEST) <= 0, "got " + wait);
        }
    }

    @Test
    void exponentialAndJitterFirstRetryWaitsExactlyTheBase() {
        var rule = RetryRule.exponentialAndJitter(IOException.class).base(Duration.ofMillis(300));
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ofMillis(300), rule.waitBefore(1, new SplittableRandom(i)));
        }
    }

    @Test
    void exponentialAndJitterWaitsWithinZeroAndTheDoubledBaseUpToTheCap() {
        var base = Duration.ofSeconds(1);
        var cap = Duration.ofSeconds(30);
        var rule = RetryRule.exponentialAndJitter(IOException.class).cap(cap);
        for (int retry = 2; retry <= 11; retry++) {
            Duration ceiling = base.multipliedBy(1L << (retry - 1));
            Duration bound = ceiling.compareTo(cap) < 0 ? ceiling : cap;
            Duration highest = Duration.ZERO;
            for (int i = 0; i < DRAWS / 10; i++) {
                Duration wait = rule.waitBefore(retry, random);
                assertTrue(!wait.isNegative() && wait.compareTo(bound) <= 0,
                        "retry " + retry + ": " + wait + " within [0, " + bound + "]");
                highest = highest.compareTo(wait) > 0 ? highest : wait;
            }
            assertTrue(highest.compareTo(bound.multipliedBy(9).dividedBy(10)) > 0,
                    "retry " + retry + " draws reach near " + bound + ", highest " + highest);
        }
    }

    @Test
    void exponentialAndJitterNeverOverflowsForLargeRetryNumbers() {
        var defaults = RetryRule.exponentialAndJitter(IOException.class);
        var hugeCap = defaults.cap(Duration.ofDays(365L * 1_000_000));
        for (int retry : new int[] {62, 63, 64, 65, 200, Integer.MAX_VALUE}) {
            Duration wait = defaults.waitBefore(retry, random);
            assertTrue(!wait.isNegative() && wait.compareTo(Duration.ofHours(1)) <= 0, "retry " + retry + ": " + wait);
            Duration unbounded = hugeCap.waitBefore(retry, random);
            assertTrue(!unbounded.isNegative() && unbounded.compareTo(LONGEST) <= 0, "retry " + retry + ": " + unbounded);
        }
    }

    @Test
    void randomRulesGiveTheSameWaitsForTheSameSeedAndOtherWaitsForAnotherSeed() {
        List<RetryRule<?>> rules = List.of(
                RetryRule.range(IOException.class, Duration.ZERO, Duration.ofSeconds(10)),
                RetryRule.exponentialAndJitter(IOException.class));
        for (RetryRule<?> rule : rules) {
            List<Duration> first = waits(rule, 50, new SplittableRandom(42));
            List<Duration> again = waits(rule, 50, new SplittableRandom(42));
            List<Duration> other = waits(rule, 50, new SplittableRandom(43));
            assertEquals(first, again, rule.toString());
            assertNotEquals(first, other, rule.toString());
        }
    }

    @Test
    void waitBeforeRejectsRetryNumbersBelowOne() {
        List<RetryRule<?>> rules = List.of(
                RetryRule.fixed(IOException.class, Duration.ofSeconds(1)),
                RetryRule.fibonacci(IOException.class),
                RetryRule.range(IOException.class, Duration.ZERO, Duration.ofSeconds(1)),
                RetryRule.exponentialAndJitter(IOException.class));
        for (RetryRule<?> rule : rules) {
            for (int retry : new int[] {0, -1}) {
                var e = assertThrows(IllegalArgumentException.class, () -> rule.waitBefore(retry, random));
                assertEquals("retry must be >= 1, was " + retry, e.getMessage());
            }
        }
    }

    @Test
    void aRuleMatchesItsTypeAndSubtypesThatItsFilterAccepts() {
        var rule = RetryRule.fixed(IOException.class, Duration.ZERO);
        assertTrue(rule.matches(new IOException()));
        assertTrue(rule.matches(new SocketTimeoutException()), "subclass");
        assertFalse(rule.matches(new UncheckedIOException(new IOException())), "other type");
        var filtered = rule.filter(e -> e.getMessage() != null && e.getMessage().startsWith("5"));
        assertTrue(filtered.matches(new IOException("503")));
        assertFalse(filtered.matches(new IOException("404")));
        assertFalse(filtered.matches(new IllegalStateException("503")), "filter is not asked about other types");
    }

    /** A failure with a status, as an HTTP client's exception has. */
    static final class StatusException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        StatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }

    @Test
    void testsThatAFilterSeesTheFailureAsTheRulesOwnTypeWithoutACast() {
        RetryRule<StatusException> serverErrors = RetryRule.exponentialAndJitter(StatusException.class)
                .retries(3)
                .filter(e -> e.status >= 500);

        assertTrue(serverErrors.matches(new StatusException(503)));
        assertFalse(serverErrors.matches(new StatusException(404)));
        assertFalse(serverErrors.matches(new IOException("503")), "another type never reaches the filter");
    }

    @Test
    void factoriesGiveUnlimitedRetriesAnAcceptAllFilterAndTheDocumentedDefaults() {
        var fixed = RetryRule.fixed(IOException.class, Duration.ofSeconds(1));
        var fibonacci = RetryRule.fibonacci(IOException.class);
        var range = RetryRule.range(IOException.class, Duration.ZERO, Duration.ofSeconds(1));
        var exponential = RetryRule.exponentialAndJitter(IOException.class);
        for (RetryRule<IOException> rule : List.<RetryRule<IOException>>of(fixed, fibonacci, range, exponential)) {
            assertSame(IOException.class, rule.on());
            assertNull(rule.retries(), "unlimited");
            assertTrue(rule.filter().test(new IOException()));
            assertTrue(rule.toString().contains("filter=any"), rule.toString());
        }
        assertEquals(Duration.ofSeconds(1), fibonacci.unit());
        assertEquals(Duration.ofSeconds(1), exponential.base());
        assertEquals(Duration.ofHours(1), exponential.cap());
    }

    @Test
    void withersChangeOneComponentAndKeepTheRuleType() {
        java.util.function.Predicate<Throwable> notClientError = e -> !(e instanceof IllegalArgumentException);
        RetryRule.ExponentialAndJitter<IOException> rule = RetryRule.exponentialAndJitter(IOException.class)
                .cap(Duration.ofSeconds(30))
                .retries(8)
                .filter(notClientError)
                .base(Duration.ofMillis(200));
        assertEquals(new RetryRule.ExponentialAndJitter<>(IOException.class, Duration.ofMillis(200),
                Duration.ofSeconds(30), 8, notClientError), rule);
        RetryRule.Fixed<IOException> fixed = RetryRule.fixed(IOException.class, Duration.ofSeconds(1)).retries(5).retries(0);
        assertEquals(0, fixed.retries());
        RetryRule.Fibonacci<IOException> fibonacci = RetryRule.fibonacci(IOException.class).retries(2).unit(Duration.ofMillis(1));
        assertEquals(2, fibonacci.retries());
        RetryRule.Range<IOException> range = RetryRule.range(IOException.class, Duration.ZERO, Duration.ofSeconds(1)).retries(3);
        assertEquals(Duration.ofSeconds(1), range.max());
    }

    private static List<Duration> waits(RetryRule<?> rule, int count, RandomGenerator random) {
        List<Duration> waits = new ArrayList<>();
        for (int retry = 1; retry <= count; retry++) {
            waits.add(rule.waitBefore(retry, random));
        }
        return waits;
    }
}
