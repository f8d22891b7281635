package dev.exmachina.core.internal.group;

/**
 * A sliding window anchored at completions: each start occupies places (one per unit of its cost,
 * 1 for a call of an execute without a cost) out of {@code limit} from the moment it is reserved
 * until {@code window} after its attempt ended. Not thread-safe: the owning group's lock guards it.
 *
 * <p><b>Why.</b> A server counts a request when it arrives, at some instant between the attempt's
 * start and its end. Any interval {@code [x, x + window)} the server looks at can only see requests
 * whose attempt started before {@code x + window} and ended at or after {@code x}; each of those
 * still occupies its places at {@code x + window - 1 ns}. A place holds one attempt at a time, so the
 * server never counts more than {@code limit} in any interval of length {@code window}, whatever the
 * latency, and however late a thread wakes for its start (a place is taken from the reservation on).
 *
 * <p><b>State.</b> {@code held}: places held by attempts reserved or running (their end unknown).
 * {@code frees}: the instants at which places of ended attempts come free ({@code end + window}),
 * sorted ascending, each with how many places ({@code units}); instants already passed are dropped,
 * those places are free. {@code freeing} is the sum of {@code units}. Places neither held nor
 * freeing are free now. Memory grows with the attempts that ended within the last window, never
 * with {@code limit}.
 */
final class CompletionWindow {

    /** What {@link #earliest} returns when the places held by running attempts leave too few: wait for an end. */
    static final long WAIT_FOR_AN_END = Long.MIN_VALUE;

    private int limit;
    private long windowNanos;
    private long[] frees = new long[4];
    private int[] units = new int[4];
    private int head;
    private int size;
    private long held;
    private long freeing;

    CompletionWindow(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    /** New limits: places held stay held; places coming free keep their instants. */
    void change(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private long at(int i) {
        return frees[(head + i) & (frees.length - 1)];
    }

    private int units(int i) {
        return units[(head + i) & (units.length - 1)];
    }

    /** {@link #earliest(long, int)} for a call costing 1. */
    long earliest(long now) {
        return earliest(now, 1);
    }

    /**
     * The earliest instant at or after {@code now} at which {@code cost} places are free for one more
     * start, or {@link #WAIT_FOR_AN_END} when the places held by attempts that have not ended leave
     * fewer.
     */
    long earliest(long now, int cost) {
        trim(now);
        if (held + freeing + cost <= limit) {
            return now;
        }
        if (held + cost > limit) {
            return WAIT_FOR_AN_END;
        }
        long left = freeing;
        for (int i = 0; i < size; i++) {
            left -= units(i);
            if (held + left + cost <= limit) {
                return Math.max(now, at(i));
            }
        }
        throw new AssertionError("held + cost <= limit, yet no place comes free");
    }

    /** Whether one more start costing 1 could be reserved (now or at a known instant): a waiter should be woken. */
    boolean hasPlace(long now) {
        return earliest(now, 1) != WAIT_FOR_AN_END;
    }

    /** {@link #record(long, int)} for a call costing 1. */
    void record(long start) {
        record(start, 1);
    }

    /** Takes the {@code cost} places {@link #earliest} found for a start at {@code start} (no earlier than it). */
    void record(long start, int cost) {
        long over = held + freeing + cost - limit; // the places coming free at or before start: now this start's
        while (over > 0 && size > 0) {
            int first = units(0);
            if (first <= over) {
                over -= first;
                freeing -= first;
                head = (head + 1) & (frees.length - 1);
                size--;
            } else {
                units[head] = (int) (first - over);
                freeing -= over;
                over = 0;
            }
        }
        held += cost;
    }

    /** {@link #ended(long, int, int)} for a call costing 1. */
    void ended(long now) {
        ended(now, 1, 1);
    }

    /**
     * An attempt that held {@code heldPlaces} ended at {@code now}: {@code freedPlaces} of them (its
     * actual cost, once settled) come free {@code window} later; the rest at once.
     */
    void ended(long now, int heldPlaces, int freedPlaces) {
        held -= heldPlaces;
        insert(saturatedAdd(now, windowNanos), freedPlaces);
    }

    /** {@link #giveBack(long, long, int)} for a call costing 1. */
    void giveBack(long start, long now) {
        giveBack(start, now, 1);
    }

    /**
     * A reserved start at {@code start} will not happen: its places go back, free at {@code start}
     * if that is still to come (the places it took may have been freed only then), else free now.
     */
    void giveBack(long start, long now, int cost) {
        held -= cost;
        if (start - now > 0) {
            insert(start, cost);
        }
    }

    /** Places held or not yet free (for tests and diagnostics). */
    long occupied(long now) {
        trim(now);
        return held + freeing;
    }

    /**
     * Places held at {@code now}: by attempts reserved or running, and by ended ones until their
     * places come free. Reads only: trims nothing, unlike {@link #occupied}.
     */
    long held(long now) {
        long sum = held;
        for (int i = size - 1; i >= 0 && at(i) - now > 0; i--) {
            sum += units(i);
        }
        return sum;
    }

    /** The limit in force. */
    int limit() {
        return limit;
    }

    /** The window's length in force, in nanoseconds. */
    long windowNanos() {
        return windowNanos;
    }

    private void insert(long free, int count) {
        if (count == 0) {
            return;
        }
        if (size == frees.length) {
            long[] bigger = new long[frees.length * 2];
            int[] biggerUnits = new int[frees.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
                biggerUnits[i] = units(i);
            }
            frees = bigger;
            units = biggerUnits;
            head = 0;
        }
        int mask = frees.length - 1;
        int i = size;
        while (i > 0 && at(i - 1) - free > 0) {
            frees[(head + i) & mask] = at(i - 1);
            units[(head + i) & mask] = units(i - 1);
            i--;
        }
        frees[(head + i) & mask] = free;
        units[(head + i) & mask] = count;
        size++;
        freeing += count;
    }

    private void trim(long now) {
        while (size > 0 && at(0) - now <= 0) {
            freeing -= units[head];
            head = (head + 1) & (frees.length - 1);
            size--;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
