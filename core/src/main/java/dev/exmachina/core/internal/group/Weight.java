package dev.exmachina.core.internal.group;

import dev.exmachina.core.spi.Decision;

/**
 * What an in-memory grant of a weighted call remembers: its cost, the instant its start counts in
 * the start windows (the reservation, then the actual start), and the actual cost once settled.
 * Written by the attempt's own thread only (its decision, its start, its settle), read on its release.
 */
final class Weight implements Decision.Lease {
    final int cost;
    long at;
    int actual;

    Weight(int cost, long at) {
        this.cost = cost;
        this.at = at;
        this.actual = cost;
    }

    /** The cost of a grant: its weight's, or 1 for a call without a cost. */
    static int of(Decision.Granted granted) {
        return granted.lease() instanceof Weight weight ? weight.cost : 1;
    }

    @Override
    public String toString() {
        return "cost " + cost + (actual == cost ? "" : ", settled at " + actual);
    }
}
