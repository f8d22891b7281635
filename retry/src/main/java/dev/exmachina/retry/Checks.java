package dev.exmachina.retry;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the rule records, so every rule reports a bad value the same way. */
final class Checks {
    private Checks() {}

    static <T> T notNull(@Nullable T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    static Duration notNegative(@Nullable Duration value, String name) {
        notNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    static Duration positive(@Nullable Duration value, String name) {
        notNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        return value;
    }

    static @Nullable Integer budget(@Nullable Integer retries) {
        if (retries != null && retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        }
        return retries;
    }

    /** The components every rule has: a type, a budget, a filter and a reader of the failure's wait. */
    static void rule(@Nullable Class<?> on, @Nullable Integer retries, @Nullable Object filter, @Nullable Object waitFrom) {
        notNull(on, "on");
        budget(retries);
        notNull(filter, "filter");
        notNull(waitFrom, "waitFrom");
    }

    /** {@code value <= bound}, both not null; the message names {@code value}, the bad one. */
    static void atMost(@Nullable Duration value, String name, @Nullable Duration bound, String boundName) {
        notNull(value, name);
        notNull(bound, boundName);
        if (value.compareTo(bound) > 0) {
            throw new IllegalArgumentException(name + " must be <= " + boundName + " (" + bound + "), was " + value);
        }
    }

    /** {@code value >= bound}, both not null; the message names {@code value}, the bad one. */
    static void atLeast(@Nullable Duration value, String name, @Nullable Duration bound, String boundName) {
        notNull(value, name);
        notNull(bound, boundName);
        if (value.compareTo(bound) < 0) {
            throw new IllegalArgumentException(name + " must be >= " + boundName + " (" + bound + "), was " + value);
        }
    }

    static int retryNumber(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, was " + retry);
        }
        return retry;
    }
}
