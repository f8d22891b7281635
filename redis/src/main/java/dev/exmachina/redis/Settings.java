package dev.exmachina.redis;

import dev.exmachina.core.Intervals;
import java.time.Duration;
import java.util.Objects;

/** The checks both builders make of what a user sets: a key prefix and a lease's time to live. */
final class Settings {

    /** The shortest lease: renewed every third of it, so shorter would renew faster than Redis answers. */
    private static final Duration SHORTEST_TTL = Duration.ofMillis(100);

    private Settings() {}

    /** {@code prefix}, checked: not null, not blank. */
    static String prefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank, was \"" + prefix + "\"");
        }
        return prefix;
    }

    /** {@code ttl}, checked: not null, at least 100 ms; {@code name} is the builder method's. */
    static Duration ttl(Duration ttl, String name) {
        Objects.requireNonNull(ttl, name);
        if (ttl.compareTo(SHORTEST_TTL) < 0) {
            throw new IllegalArgumentException(name + " must be at least 100ms, was "
                    + (ttl.isNegative() ? ttl.toString() : Intervals.format(ttl)));
        }
        return ttl;
    }
}
