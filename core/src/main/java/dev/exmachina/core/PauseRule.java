package dev.exmachina.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Which failures of an execute pause its concurrent groups, and for how long: made by
 * {@link ExecuteOptions#pauseOn(Class, Function)}. Immutable.
 *
 * <p>A failure of type {@code on} (or a subtype) asks {@code pause}; a positive duration pauses every
 * group of the execute until that long from now ({@link ConcurrentGroup#pauseUntil}); {@code null},
 * zero or a negative duration pauses nothing. Rules are asked in the order they were given; the first
 * whose type matches decides. A cancelled attempt never pauses anything.
 *
 * @param on the failures it matches
 * @param pause how long a failure pauses the groups (a 429's {@code Retry-After}); {@code null} for no pause
 * @param <E> the failures it matches
 */
public record PauseRule<E extends Throwable>(Class<E> on, Function<? super E, @Nullable Duration> pause) {

    /**
     * Checks the rule.
     *
     * @throws NullPointerException if {@code on} or {@code pause} is null
     */
    public PauseRule {
        Objects.requireNonNull(on, "on");
        Objects.requireNonNull(pause, "pause");
    }

    /**
     * Whether this rule matches {@code failure}.
     *
     * @param failure what the attempt threw
     * @return true if it is an {@code on}
     */
    public boolean matches(Throwable failure) {
        return on.isInstance(failure);
    }

    /**
     * How long {@code failure} pauses the groups.
     *
     * @param failure what the attempt threw; must {@link #matches match}
     * @return the pause, or {@code null} (or a non-positive duration) for none
     */
    public @Nullable Duration pauseFor(Throwable failure) {
        return pause.apply(on.cast(failure));
    }
}
