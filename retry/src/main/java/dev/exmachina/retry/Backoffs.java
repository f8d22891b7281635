package dev.exmachina.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The waits of the rules, as pure functions of the retry number and a generator: the backoff of each
 * record, and a failure's own wait before it. Waits that would overflow saturate ({@link Nanos}).
 */
final class Backoffs {
    /** fib(92) is the largest Fibonacci number that fits in a {@code long}. */
    private static final int LARGEST_EXACT_FIBONACCI = 92;

    private Backoffs() {}

    /** The wait {@code rule} gives before its {@code retry}-th retry after {@code failure}: the failure's own, else the backoff. */
    static <E extends Throwable> Duration after(RetryRule<E> rule, int retry, Throwable failure, RandomGenerator random) {
        Checks.retryNumber(retry);
        Checks.notNull(failure, "failure");
        if (rule.on().isInstance(failure)) {
            Duration asked = rule.waitFrom().apply(rule.on().cast(failure));
            if (asked != null) {
                return asked.isNegative() ? Duration.ZERO : asked;
            }
        }
        return rule.waitBefore(retry, random);
    }

    /** fib(retry) × {@code unit}: 1, 1, 2, 3, 5, … units. */
    static Duration fibonacci(int retry, Duration unit) {
        Checks.retryNumber(retry);
        if (retry > LARGEST_EXACT_FIBONACCI) {
            return Nanos.LONGEST;
        }
        long previous = 0;
        long current = 1;
        for (int i = 1; i < retry; i++) {
            long next = previous + current;
            previous = current;
            current = next;
        }
        return Duration.ofNanos(Nanos.multiply(current, Nanos.clamp(unit)));
    }

    /** Uniform in {@code [max(0, min), max(0, max)]}, to the nanosecond. */
    static Duration uniform(int retry, Duration min, Duration max, RandomGenerator random) {
        Checks.retryNumber(retry);
        return Duration.ofNanos(Nanos.uniform(Nanos.clamp(min), Nanos.clamp(max), random));
    }

    /** {@code base} first (uniform in {@code [0, base]} if {@code jitterFirst}), then uniform in {@code [0, min(cap, base · 2^(retry-1))]}. */
    static Duration exponentialAndJitter(int retry, Duration base, Duration cap, boolean jitterFirst,
            RandomGenerator random) {
        Checks.retryNumber(retry);
        if (retry == 1) {
            return jitterFirst ? Duration.ofNanos(Nanos.uniform(0, Nanos.clamp(base), random)) : base;
        }
        long ceiling = Math.min(Nanos.clamp(cap), Nanos.shiftLeft(Nanos.clamp(base), retry - 1));
        return Duration.ofNanos(Nanos.uniform(0, ceiling, random));
    }
}
