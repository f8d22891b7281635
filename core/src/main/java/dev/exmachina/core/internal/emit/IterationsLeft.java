package dev.exmachina.core.internal.emit;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How many iterations a run of an emit has left: a count that goes down to zero, or no count at all
 * (the emit runs until stopped). Confined to the emit's loop thread.
 */
final class IterationsLeft {

    /** Empty: no count. */
    private final OptionalLong counted;
    private long left;

    private IterationsLeft(OptionalLong counted) {
        this.counted = counted;
        this.left = counted.orElse(0);
    }

    /** For an emit's {@code count} option: {@code null} when it has none. */
    static IterationsLeft of(@Nullable Long count) {
        return new IterationsLeft(count == null ? OptionalLong.empty() : OptionalLong.of(count));
    }

    /** Whether a counted run has run its whole count; never for a run without a count. */
    boolean noneLeft() {
        return counted.isPresent() && left == 0;
    }

    /** One iteration begins. */
    void take() {
        if (counted.isPresent()) {
            left--;
        }
    }

    /** What {@link dev.exmachina.core.Event#count()} says: the iterations left after this one, or empty. */
    OptionalLong count() {
        return counted.isPresent() ? OptionalLong.of(left) : counted;
    }
}
