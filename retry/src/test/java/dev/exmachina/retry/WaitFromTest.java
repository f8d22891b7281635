package dev.exmachina.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Waits taken from the failure ({@code Retry-After}), the backoff as fallback, and a jittered first retry. */
class WaitFromTest {

    /** An HTTP failure that may carry the server's {@code Retry-After}. */
    static final class HttpFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final @Nullable Duration retryAfter;

        HttpFailure(int status, @Nullable Duration retryAfter) {
            super("HTTP " + status);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        @Nullable Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Tests that every rule takes the failure's wait when it gives one and its backoff when it gives none. */
    @Test
    void everyRuleTakesTheFailuresWaitAndFallsBackToItsBackoff() {
        List<RetryRule<HttpFailure>> rules = List.of(
                RetryRule.fixed(HttpFailure.class, Duration.ofMillis(250)).waitFrom(HttpFailure::retryAfter),
                RetryRule.fibonacci(HttpFailure.class).unit(Duration.ofMillis(250)).waitFrom(HttpFailure::retryAfter),
                RetryRule.range(HttpFailure.class, Duration.ofMillis(250), Duration.ofMillis(250)).waitFrom(HttpFailure::retryAfter),
                RetryRule.exponentialAndJitter(HttpFailure.class).base(Duration.ofMillis(250)).waitFrom(HttpFailure::retryAfter));
        for (RetryRule<HttpFailure> rule : rules) {
            var random = new SplittableRandom(7);
            assertEquals(Duration.ofSeconds(3), rule.waitBefore(1, new HttpFailure(429, Duration.ofSeconds(3)), random), rule.toString());
            assertEquals(Duration.ofMillis(250), rule.waitBefore(1, new HttpFailure(503, null), random), rule.toString());
            assertEquals(Duration.ZERO, rule.waitBefore(1, new HttpFailure(503, Duration.ofSeconds(-5)), random),
                    "a Retry-After in the past waits nothing: " + rule);
        }
    }

    /** Tests that a failure of another type than the rule's (a subclass rule over a broader state) uses the backoff. */
    @Test
    void aFailureOfAnotherTypeUsesTheBackoff() {
        RetryRule<HttpFailure> rule = RetryRule.fixed(HttpFailure.class, Duration.ofMillis(250)).waitFrom(e -> Duration.ofSeconds(9));
        assertEquals(Duration.ofMillis(250), rule.waitBefore(1, new IOException("other"), new SplittableRandom(1)));
    }

    /** Tests that {@code RetryState} asks the failure: a 429 with Retry-After 2 s, then a 503 without one. */
    @Test
    void retryStateUsesTheWaitFromTheFailure() {
        Retry retry = Retry.of(RetryRule.exponentialAndJitter(HttpFailure.class).base(Duration.ofMillis(100))
                .waitFrom(HttpFailure::retryAfter).retries(3));
        RetryState state = retry.start(new SplittableRandom(1));
        assertEquals(Duration.ofSeconds(2), state.onFailure(new HttpFailure(429, Duration.ofSeconds(2))));
        Duration second = state.onFailure(new HttpFailure(503, null));
        assertTrue(!second.isNegative() && second.compareTo(Duration.ofMillis(200)) <= 0, second.toString());
        assertEquals(Duration.ofSeconds(1), state.onFailure(new HttpFailure(503, Duration.ofSeconds(1))));
        assertEquals(null, state.onFailure(new HttpFailure(503, Duration.ofSeconds(1))), "the budget of 3 is spent");
    }

    /** Tests that {@code jitterFirst} draws the first wait uniformly in [0, base], reproducibly from the seed. */
    @Test
    void jitterFirstSpreadsTheFirstRetry() {
        var rule = RetryRule.exponentialAndJitter(IOException.class).base(Duration.ofMillis(100)).jitterFirst(true);
        var random = new SplittableRandom(3);
        long distinct = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> rule.waitBefore(1, random))
                .peek(w -> assertTrue(!w.isNegative() && w.compareTo(Duration.ofMillis(100)) <= 0, w.toString()))
                .distinct().count();
        assertTrue(distinct > 900, "first waits are spread: " + distinct);
        assertEquals(rule.waitBefore(1, new SplittableRandom(3)), rule.waitBefore(1, new SplittableRandom(3)));
        assertEquals(Duration.ofMillis(100), rule.jitterFirst(false).waitBefore(1, random));
    }

    /** Tests that the 0.1 constructors still build rules, which never take a wait from the failure, and that null is refused. */
    @Test
    void oldConstructorsStillWorkAndNullIsRefused() {
        Predicate<Object> any = e -> true;
        var fixed = new RetryRule.Fixed<>(IOException.class, Duration.ofSeconds(1), 2, any);
        assertEquals(Duration.ofSeconds(1), fixed.waitBefore(1, new IOException(), new SplittableRandom(1)));
        var exp = new RetryRule.ExponentialAndJitter<>(IOException.class, Duration.ofSeconds(1), Duration.ofHours(1), null, any);
        assertEquals(false, exp.jitterFirst());
        var thrown = assertThrows(NullPointerException.class, () -> fixed.waitFrom(null));
        assertTrue(thrown.getMessage().contains("waitFrom"), thrown.getMessage());
    }
}
