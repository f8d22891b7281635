package dev.exmachina.core.internal.group;

import org.jspecify.annotations.Nullable;

/**
 * Where a reserved start counts once its thread runs: at the instant it actually begins, in every
 * window anchored at starts, or, when a window is full there (an earlier start woke late too) or a
 * group is paused, at the earliest later instant they all allow (see {@link StartWindow#earliestStamp}).
 * Stateless: the caller holds the locks of {@code windowed} (global order).
 *
 * @param at the instant the start counts at, in every start window
 * @param movedBy the group whose window or pause moved it later than now, or null: it starts now
 */
record ActualStart(long at, @Nullable GroupImpl movedBy) {

    /**
     * Takes the reservation at {@code reserved} (costing {@code cost}) out of every start window and
     * counts it at the earliest instant from {@code now} (or the end of {@code paused}'s pause) that
     * every start window allows, in its sorted place: reservations after it keep theirs.
     */
    static ActualStart stamp(GroupImpl[] windowed, long reserved, int cost, long now, @Nullable GroupImpl paused) {
        long at = paused == null ? now : Math.max(now, paused.pausedUntilNanos);
        GroupImpl decider = paused;
        for (GroupImpl group : windowed) {
            StartWindow window = group.window;
            if (window != null) {
                window.remove(reserved, cost);
            }
        }
        boolean moved = true;
        while (moved) { // the earliest instant every window allows, counting the starts at or before it
            moved = false;
            for (GroupImpl group : windowed) {
                StartWindow window = group.window;
                long earliest = window == null ? at : window.earliestStamp(now, at, cost);
                if (earliest - at > 0) {
                    at = earliest;
                    decider = group;
                    moved = true;
                }
            }
        }
        for (GroupImpl group : windowed) {
            StartWindow window = group.window;
            if (window != null) {
                window.insert(at, cost);
            }
        }
        return new ActualStart(at, at - now > 0 ? decider : null);
    }
}
