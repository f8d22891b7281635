package dev.exmachina.testkit.internal;

import org.jspecify.annotations.Nullable;

/**
 * One driving call of the test thread, as {@link Baton} runs it: who drives, what kind of
 * call it is, and how far in time it may go. A plain holder: the baton alone writes it.
 */
final class Drive {

    enum Kind { ADVANCE, CURRENT, UNTIL_IDLE, PARK }

    final Participant driver;
    final Kind kind;
    /** Entries due strictly before this are released within the drive. */
    final long limit;
    /** Why the drive fails, set by the baton before it gives the baton back to the driver. */
    @Nullable IllegalStateException failure;

    Drive(Participant driver, Kind kind, long limit) {
        this.driver = driver;
        this.kind = kind;
        this.limit = limit;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : Math.min(sum, Long.MAX_VALUE - 1);
    }
}
