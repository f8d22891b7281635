package dev.exmachina.core.internal.breaker;

import dev.exmachina.core.CircuitOpenException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The breakers one execute's attempts ask, in order: the execute's own, then its groups' in the
 * order the groups were registered. Immutable.
 *
 * <p><b>Permits.</b> {@link #enter()} returns one token for all of them (the single breaker's permit,
 * or an array of permits); exactly one of {@link #ended} and {@link #giveBack} must follow it. A
 * refusal by one breaker gives back what the breakers before it let through, uncounted.
 */
public final class Breakers {

    private final BreakerImpl[] all;
    private final boolean timesAttempts;

    private Breakers(BreakerImpl[] all) {
        this.all = all;
        boolean timed = false;
        for (BreakerImpl b : all) {
            timed |= b.timesAttempts();
        }
        this.timesAttempts = timed;
    }

    /** The breakers of an execute, or {@code null} when there are none (the attempt loop then skips them). */
    public static @Nullable Breakers of(List<BreakerImpl> breakers) {
        return breakers.isEmpty() ? null : new Breakers(breakers.toArray(BreakerImpl[]::new));
    }

    /** Whether an outcome needs the attempt's duration. */
    public boolean timesAttempts() {
        return timesAttempts;
    }

    /**
     * Asks every breaker, in order.
     *
     * @return the permits, for {@link #ended} or {@link #giveBack}
     * @throws CircuitOpenException from the first breaker that refuses; nothing is held then
     */
    public Object enter() {
        if (all.length == 1) {
            return all[0].enter();
        }
        Object[] permits = new Object[all.length];
        for (int i = 0; i < all.length; i++) {
            try {
                permits[i] = all[i].enter();
            } catch (CircuitOpenException refused) {
                for (int j = 0; j < i; j++) {
                    all[j].giveBack(permits[j]);
                }
                throw refused;
            }
        }
        return permits;
    }

    /** The attempt ended, with {@code failure} or {@code null}, after {@code durationNanos}: counted by each. */
    public void ended(Object permits, @Nullable Throwable failure, long durationNanos) {
        if (all.length == 1) {
            all[0].ended(permits, failure, durationNanos);
            return;
        }
        Object[] each = (Object[]) permits;
        RuntimeException first = null;
        for (int i = 0; i < all.length; i++) {
            try {
                all[i].ended(each[i], failure, durationNanos);
            } catch (RuntimeException filterFailed) { // every breaker still gets its outcome
                if (first == null) {
                    first = filterFailed;
                } else {
                    first.addSuppressed(filterFailed);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The attempt did not run, or is not counted (cancelled): every permit is given back. */
    public void giveBack(Object permits) {
        if (all.length == 1) {
            all[0].giveBack(permits);
            return;
        }
        Object[] each = (Object[]) permits;
        for (int i = 0; i < all.length; i++) {
            all[i].giveBack(each[i]);
        }
    }
}
