package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.Decision;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link InMemoryGate} words its grants: now or at an instant, carrying a weighted call's
 * {@link Weight}, and which group's pause holds them. Stateless.
 */
final class Grants {

    private Grants() {}

    /** A grant starting at {@code start}, now if no {@code decider} set it; a weighted call's carries its {@link Weight}. */
    static Decision.Granted grant(long start, @Nullable GroupImpl decider, int cost, boolean weighed) {
        if (weighed) {
            Weight weight = new Weight(cost, start);
            return decider == null ? Decision.startNow(weight) : Decision.startAt(start, decider.name(), weight);
        }
        return decider == null ? Decision.START_NOW : Decision.startAt(start, decider.name());
    }

    /** {@code granted} moved to {@code at} by {@code decider}'s window or pause, keeping its lease. */
    static Decision.StartAt moved(Decision.StartAt granted, long at, GroupImpl decider) {
        return granted.lease() == null ? Decision.startAt(at, decider.name())
                : Decision.startAt(at, decider.name(), granted.lease());
    }

    /** The group among {@code groups} whose pause is in force and ends last, or null (no clock read then). */
    static @Nullable GroupImpl pausedNow(GroupImpl[] groups, BotClock clock) {
        GroupImpl latest = null;
        for (GroupImpl group : groups) {
            long until = group.pausedUntilNanos;
            if (until != GroupImpl.NOT_PAUSED && (latest == null || until - latest.pausedUntilNanos > 0)) {
                latest = group;
            }
        }
        return latest != null && latest.pausedUntilNanos - clock.nanoTime() > 0 ? latest : null;
    }
}
