package dev.exmachina.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link CircuitBreaker}. Immutable; made by {@link CircuitBreaker.Builder}, which
 * starts from {@link #defaults()}.
 *
 * <p><b>Closed.</b> Every attempt's outcome goes into the sliding {@link #window()}. Once it holds at
 * least {@link #minimumCalls()} outcomes, the breaker opens when failures make up
 * {@link #failureRate()} percent of them or more, or, with {@link #slowCall()} set, when attempts
 * slower than that make up {@link #slowCallRate()} percent or more.
 *
 * <p><b>Open.</b> Every call is refused with {@link CircuitOpenException} for the open wait: the
 * first time {@link #openWait()}, and twice as long each time it opens again after a failed half-open,
 * up to {@link #maxOpenWait()}; a close resets it.
 *
 * <p><b>Half-open.</b> Exactly {@link #halfOpenProbes()} attempts are let through; the others are
 * refused. A probe that is cancelled, stopped by its call's deadline, or whose failure a rule ignores
 * gives its permit back for another call. When every probe has ended, the breaker closes, unless the
 * probes' own failure or slow-call rate reaches its threshold: then it opens again, for longer. If the
 * probes have not all ended {@link #maxHalfOpen()} after it half-opened, it opens again too.
 *
 * <p>Every value is checked when the config is made: a bad one throws
 * {@link IllegalArgumentException} naming it (a {@code null} one, {@link NullPointerException}).
 *
 * @param window the sliding window of outcomes the rates are computed over
 * @param minimumCalls outcomes the window must hold before a rate can open the breaker, at least 1
 *     (and, for a {@link SlidingWindow.Calls} window, at most its size)
 * @param failureRate the failure rate, in percent (1 to 100), at or above which the breaker opens
 * @param slowCall an attempt that ran longer than this is slow; {@code null}: no attempt is slow
 * @param slowCallRate the slow-call rate, in percent (1 to 100), at or above which the breaker opens
 * @param openWait how long the breaker first stays open, positive
 * @param maxOpenWait the longest it stays open, however often it opened again; at least
 *     {@code openWait}
 * @param halfOpenProbes how many attempts half-open lets through to decide, at least 1
 * @param maxHalfOpen the longest the breaker stays half-open before it opens again, positive
 * @param rules which failures count, asked in order; empty: every failure counts
 */
public record CircuitBreakerConfig(SlidingWindow window, int minimumCalls, int failureRate,
        @Nullable Duration slowCall, int slowCallRate, Duration openWait, Duration maxOpenWait,
        int halfOpenProbes, Duration maxHalfOpen, List<CircuitBreakerRule<?>> rules) {

    /**
     * Which outcomes the rates are computed over.
     */
    public sealed interface SlidingWindow permits SlidingWindow.Calls, SlidingWindow.Time {

        /**
         * The outcomes of the last {@code size} attempts.
         *
         * @param size how many attempts' outcomes are kept, at least 1
         */
        record Calls(int size) implements SlidingWindow {
            /**
             * Checks the size.
             *
             * @throws IllegalArgumentException if {@code size} is below 1
             */
            public Calls {
                if (size < 1) {
                    throw new IllegalArgumentException("a window of calls must hold at least 1 call, size was " + size);
                }
            }
        }

        /**
         * The outcomes of the attempts that ended in the last {@code length} of the bot's clock, kept
         * in {@value #BUCKETS} buckets of {@code length / }{@value #BUCKETS}: an outcome counts for
         * at least {@code length - length/}{@value #BUCKETS} and at most {@code length} after its
         * attempt ended. Memory does not grow with the rate of calls.
         *
         * @param length how far back outcomes count, at least {@value #BUCKETS} nanoseconds and at
         *     most {@link GroupLimits#MAX_WINDOW}
         */
        record Time(Duration length) implements SlidingWindow {
            /** The buckets a window of time is kept in. */
            public static final int BUCKETS = 10;

            /**
             * Checks the length.
             *
             * @throws IllegalArgumentException if {@code length} is shorter than {@value #BUCKETS}
             *     nanoseconds or longer than {@link GroupLimits#MAX_WINDOW}
             */
            public Time {
                Objects.requireNonNull(length, "length must not be null");
                if (length.compareTo(Duration.ofNanos(BUCKETS)) < 0 || length.compareTo(GroupLimits.MAX_WINDOW) > 0) {
                    throw new IllegalArgumentException("a window of time must be " + BUCKETS + "ns to "
                            + GroupLimits.MAX_WINDOW + " long, was " + length);
                }
            }
        }
    }

    /**
     * Checks every value; prefer {@link CircuitBreaker#builder(String)}.
     *
     * @param window the sliding window of outcomes
     * @param minimumCalls outcomes needed before a rate can open the breaker
     * @param failureRate the failure rate in percent that opens it
     * @param slowCall the duration past which an attempt is slow, or {@code null}
     * @param slowCallRate the slow-call rate in percent that opens it
     * @param openWait the first open wait
     * @param maxOpenWait the longest open wait
     * @param halfOpenProbes attempts let through when half-open
     * @param maxHalfOpen the longest stay in half-open
     * @param rules which failures count
     * @throws NullPointerException naming a component that is null (only {@code slowCall} may be)
     * @throws IllegalArgumentException naming a value out of range, and the range
     */
    public CircuitBreakerConfig {
        Objects.requireNonNull(window, "window must not be null");
        Objects.requireNonNull(openWait, "openWait must not be null");
        Objects.requireNonNull(maxOpenWait, "maxOpenWait must not be null");
        Objects.requireNonNull(maxHalfOpen, "maxHalfOpen must not be null");
        Objects.requireNonNull(rules, "rules must not be null");
        if (rules.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("rules must not contain null, were " + rules);
        }
        rules = List.copyOf(rules);
        if (minimumCalls < 1) {
            throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
        }
        if (window instanceof SlidingWindow.Calls calls && minimumCalls > calls.size()) {
            throw new IllegalArgumentException("minimumCalls must be <= the window's size (" + calls.size()
                    + "), or the breaker could never open; was " + minimumCalls);
        }
        percent(failureRate, "failureRate");
        percent(slowCallRate, "slowCallRate");
        if (slowCall != null) {
            positive(slowCall, "slowCall");
        }
        positive(openWait, "openWait");
        positive(maxHalfOpen, "maxHalfOpen");
        if (maxOpenWait.compareTo(openWait) < 0) {
            throw new IllegalArgumentException("maxOpenWait must be >= openWait (" + openWait + "), was " + maxOpenWait);
        }
        if (maxOpenWait.compareTo(GroupLimits.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("maxOpenWait must be at most " + GroupLimits.MAX_WINDOW
                    + " (Long.MAX_VALUE nanoseconds), was " + maxOpenWait);
        }
        if (maxHalfOpen.compareTo(GroupLimits.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("maxHalfOpen must be at most " + GroupLimits.MAX_WINDOW
                    + " (Long.MAX_VALUE nanoseconds), was " + maxHalfOpen);
        }
        if (halfOpenProbes < 1) {
            throw new IllegalArgumentException("halfOpenProbes must be >= 1, was " + halfOpenProbes);
        }
    }

    /**
     * The defaults: a window of the last 100 calls, at least 10 of them, opens at 50 % failures, no
     * slow calls (100 % once {@code slowCall} is set), open 30 s then up to 5 min, 3 probes, at most
     * 1 min half-open, every failure counts.
     *
     * @return the default settings
     */
    public static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(new SlidingWindow.Calls(100), 10, 50, null, 100, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 3, Duration.ofMinutes(1), List.of());
    }

    private static void percent(int value, String name) {
        if (value < 1 || value > 100) {
            throw new IllegalArgumentException(name + " is a percentage and must be 1 to 100, was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
