package dev.exmachina.core.internal.group;

import org.jspecify.annotations.Nullable;

/**
 * What a server announced is left for a group ({@link GroupImpl#announce}): at most {@code remaining}
 * more units (starts, or costs of weighted calls) begin before {@code resetNanos}; a start reserved
 * at or after it is not counted. Guarded by its group's lock; replaced whole by the next announcement.
 *
 * <p><b>Invariant:</b> {@code 0 <= remaining}; it only shrinks, by the cost of each start reserved
 * before the reset.
 */
final class Budget {

    /** No group: nothing to count in. */
    static final GroupImpl[] NONE = new GroupImpl[0];

    final long resetNanos;
    private long remaining;

    Budget(long remaining, long resetNanos) {
        this.remaining = remaining;
        this.resetNanos = resetNanos;
    }

    /** The earliest start at or after {@code start} with room for {@code cost}: {@code start}, or the reset. */
    long earliest(long start, int cost) {
        return start - resetNanos >= 0 || cost <= remaining ? start : resetNanos;
    }

    /** Counts a start reserved at {@code start} (one that {@link #earliest} allowed). */
    void record(long start, int cost) {
        if (start - resetNanos < 0) {
            remaining -= cost;
        }
    }

    /** Whether the reset has come at {@code now}: the budget no longer limits anything. */
    boolean over(long now) {
        return now - resetNanos >= 0;
    }

    /** Whether a group among {@code groups} has a budget (read without locks: which locks to take). */
    static boolean anyIn(GroupImpl[] groups) {
        for (GroupImpl group : groups) {
            if (group.budget != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The group among {@code groups} (their locks held) whose budget has no room for {@code cost} at
     * {@code start} and resets last, or null when every budget allows it; forgets budgets reset by {@code now}.
     */
    static @Nullable GroupImpl exhausted(GroupImpl[] groups, long start, int cost, long now) {
        GroupImpl latest = null;
        long latestReset = 0;
        for (GroupImpl group : groups) {
            Budget budget = group.budget;
            if (budget != null && budget.over(now)) {
                group.budget = null; // the fast path again
            } else if (budget != null && budget.earliest(start, cost) != start
                    && (latest == null || budget.resetNanos - latestReset > 0)) {
                latest = group;
                latestReset = budget.resetNanos;
            }
        }
        return latest;
    }

    /** Counts a start reserved at {@code start} in every budget among {@code groups} (their locks held). */
    static void record(GroupImpl[] groups, long start, int cost) {
        for (GroupImpl group : groups) {
            Budget budget = group.budget;
            if (budget != null) {
                budget.record(start, cost);
            }
        }
    }

    @Override
    public String toString() {
        return remaining + " left until " + resetNanos;
    }
}
