package dev.exmachina.core.internal.group;

/**
 * A sliding window anchored at completions: each start occupies one of {@code limit} places from
 * the moment it is reserved until {@code window} after its attempt ended. Not thread-safe: the owning
 * group's lock guards it.
 *
 * <p><b>Why.</b> A server counts a request when it arrives, at some instant between the attempt's
 * start and its end. Any interval {@code [x, x + window)} the server looks at can only see requests
 * whose attempt started before {@code x + window} and ended at or after {@code x}; each of those
 * still occupies its place at {@code x + window - 1 ns}. A place holds one attempt at a time, so the
 * server never counts more than {@code limit} in any interval of length {@code window}, whatever the
 * latency, and however late a thread wakes for its start (a place is taken from the reservation on).
 *
 * <p><b>State.</b> {@code held}: places held by attempts reserved or running (their end unknown).
 * {@code frees}: the instants at which places of ended attempts come free ({@code end + window}),
 * sorted ascending; instants already passed are dropped, those places are free. Places neither
 * held nor in {@code frees} are free now. Memory grows with the attempts that ended within the last
 * window, never with {@code limit}.
 */
final class CompletionWindow {

    private final int limit;
    private final long windowNanos;
    private long[] frees = new long[4];
    private int head;
    private int size;
    private int held;

    CompletionWindow(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private long at(int i) {
        return frees[(head + i) & (frees.length - 1)];
    }

    /**
     * Whether one more start could be reserved, now or at a known instant ({@link #earliest}): false
     * when every place is held by an attempt that has not ended (only an end frees one). Then a
     * waiter waits for an end; else it should be woken.
     */
    boolean hasPlace(long now) {
        trim(now);
        return (long) held + size < limit || size > 0;
    }

    /**
     * The earliest instant at or after {@code now} at which a place is free for one more start.
     *
     * @throws IllegalStateException if there is no such instant: ask {@link #hasPlace} first
     */
    long earliest(long now) {
        trim(now);
        if ((long) held + size < limit) {
            return now;
        }
        if (size > 0) {
            return Math.max(now, at(0));
        }
        throw new IllegalStateException("every place is held by an attempt that has not ended: " + held);
    }

    /** Takes the place {@link #earliest} found for a start at {@code start} (no earlier than it). */
    void record(long start) {
        if ((long) held + size >= limit) {
            // The earliest place to come free (it is at or before start): it is now this start's.
            head = (head + 1) & (frees.length - 1);
            size--;
        }
        held++;
    }

    /** An attempt that held a place ended at {@code now}: its place comes free {@code window} later. */
    void ended(long now) {
        held--;
        insert(saturatedAdd(now, windowNanos));
    }

    /**
     * A reserved start at {@code start} will not happen: its place goes back, free at {@code start}
     * if that is still to come (the place it took may have been freed only then), else free now.
     */
    void giveBack(long start, long now) {
        held--;
        if (start - now > 0) {
            insert(start);
        }
    }

    /** Places held or not yet free (for tests and diagnostics). */
    int occupied(long now) {
        trim(now);
        return held + size;
    }

    private void insert(long free) {
        if (size == frees.length) {
            long[] bigger = new long[frees.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
            }
            frees = bigger;
            head = 0;
        }
        int i = size;
        while (i > 0 && at(i - 1) - free > 0) {
            frees[(head + i) & (frees.length - 1)] = at(i - 1);
            i--;
        }
        frees[(head + i) & (frees.length - 1)] = free;
        size++;
    }

    private void trim(long now) {
        while (size > 0 && at(0) - now <= 0) {
            head = (head + 1) & (frees.length - 1);
            size--;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
