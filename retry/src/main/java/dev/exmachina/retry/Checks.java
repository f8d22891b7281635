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

    static int retryNumber(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, was " + retry);
        }
        return retry;
    }
}
