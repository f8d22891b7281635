package dev.exmachina.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Saturating nanosecond arithmetic for wait generators: a wait that would overflow becomes
 * {@link Long#MAX_VALUE} nanoseconds (about 292 years) instead of throwing, so a rule with
 * unlimited retries can be asked for its 10,000th wait.
 */
final class Nanos {
    /** The longest wait a generator returns; {@link Duration#toNanos} throws beyond it. */
    static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private Nanos() {}

    /** The duration in nanoseconds, {@code 0} if negative, {@link Long#MAX_VALUE} if too long. */
    static long clamp(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.compareTo(LONGEST) >= 0 ? Long.MAX_VALUE : duration.toNanos();
    }

    static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        // Both operands are non-negative here: the product fits iff the high half is zero and the sign bit is clear.
        return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
    }

    /** {@code value · 2^shift}, saturating. */
    static long shiftLeft(long value, int shift) {
        if (value == 0) {
            return 0;
        }
        if (shift >= Long.SIZE - 1 || value > (Long.MAX_VALUE >> shift)) {
            return Long.MAX_VALUE;
        }
        return value << shift;
    }

    /** Uniform in {@code [min, max]}, both inclusive, {@code 0 <= min <= max}. */
    static long uniform(long min, long max, RandomGenerator random) {
        if (min == max) {
            return min;
        }
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        // max + 1 would overflow: draw from the half-open range shifted down by one.
        if (min > 0) {
            return random.nextLong(min - 1, max) + 1;
        }
        return random.nextLong() >>> 1;
    }
}
