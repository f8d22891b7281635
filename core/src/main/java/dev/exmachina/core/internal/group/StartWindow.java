package dev.exmachina.core.internal.group;

/**
 * The start instants of one sliding window, each with the cost it counts (1 for a call of an
 * execute without a cost): every start (actual or reserved) that can still share an interval of
 * length {@code window} with a start to come. Not thread-safe: the owning group's lock guards it.
 *
 * <p><b>Invariants.</b> {@code starts} is sorted ascending (reservations are made in arrival order,
 * each no earlier than the last; a moved start is inserted in its sorted place; removal keeps
 * order). Every interval {@code [t, t + window)} holds starts costing at most {@code limit} in all.
 * Starts with {@code now - start >= window} are trimmed when the next one is decided: they cannot
 * share an interval with any start at or after now, so memory grows with the starts actually in the
 * window, not with the limit. {@code weighted} counts the starts whose cost is not 1: while it is 0,
 * a call costing 1 is decided by index (O(1)), else by summing the costs of the last window.
 *
 * <p><b>Actual starts.</b> A reserved start is re-stamped when its thread actually starts
 * ({@link #restamp}): a thread wakes up late (microseconds, milliseconds on a busy machine), and a
 * start counted at its reserved instant would let the next window open early by that much. The
 * re-stamp checks the actual instant against every start counted at or before it; if the window is
 * full there (an earlier start was late too), the start is moved to the earliest instant the starts
 * at or before it allow ({@link #earliestStamp}), in its sorted place: reservations after it keep
 * theirs and are checked in turn when they are stamped. So each start, when it is stamped, sees
 * less than {@code limit} (minus its cost) in the interval of length {@code window} that ends at
 * it, which bounds every interval of the actual instants.
 *
 * <p>Removing a start (a reservation given back before it came) can only make intervals emptier,
 * so the starts reserved after it stay valid; later reservations are appended after the last one,
 * which keeps first come, first served. A removed start that was not the last leaves a gap that
 * later arrivals do not fill.
 */
final class StartWindow {

    /** How many gaps between reservations a late start looks at before it goes after the last one. */
    private static final int GAPS_LOOKED_AT = 8;

    private int limit;
    private long windowNanos;
    /** A ring: {@code size} starts from {@code head}, with their costs at the same places. */
    private long[] starts = new long[4];
    private int[] costs = new int[4];
    private int head;
    private int size;
    /** Starts whose cost is not 1. */
    private int weighted;

    StartWindow(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    /** New limits: the starts counted stay counted; reservations are checked again when they are stamped. */
    void change(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private long at(int i) {
        return starts[(head + i) & (starts.length - 1)];
    }

    private int cost(int i) {
        return costs[(head + i) & (costs.length - 1)];
    }

    /** {@link #earliest(long, int)} for a call costing 1. */
    long earliest(long now) {
        return earliest(now, 1);
    }

    /**
     * The earliest instant at or after {@code now} at which a start costing {@code cost} keeps every
     * interval within {@code limit}, and no earlier than the last reserved start.
     */
    long earliest(long now, int cost) {
        trim(now);
        if (size == 0) {
            return now;
        }
        long start = Math.max(now, at(size - 1));
        if (weighted == 0 && cost == 1) {
            if (size >= limit) {
                start = Math.max(start, saturatedAdd(at(size - limit), windowNanos));
            }
            return start;
        }
        long sum = cost;
        for (int i = size - 1; i >= 0; i--) { // every start is at or before start: the last ones bind
            sum += cost(i);
            if (sum > limit) {
                return Math.max(start, saturatedAdd(at(i), windowNanos));
            }
        }
        return start;
    }

    /** {@link #record(long, int)} for a call costing 1. */
    void record(long start) {
        record(start, 1);
    }

    /** Records a start from {@link #earliest} (so no earlier than the last), costing {@code cost}. */
    void record(long start, int cost) {
        if (size == starts.length) {
            grow();
        }
        int place = (head + size) & (starts.length - 1);
        starts[place] = start;
        costs[place] = cost;
        size++;
        if (cost != 1) {
            weighted++;
        }
    }

    /** {@link #giveBack(long, long, int)} for a call costing 1. */
    void giveBack(long start, long now) {
        giveBack(start, now, 1);
    }

    /**
     * Gives back a start reserved at {@code start}, if it has not come yet ({@code start > now}):
     * an attempt that never starts no longer counts. A start that has come stays counted.
     */
    void giveBack(long start, long now, int cost) {
        if (start - now > 0) {
            remove(start, cost);
        }
    }

    /** {@link #remove(long, int)} for a call costing 1. */
    void remove(long start) {
        remove(start, 1);
    }

    /**
     * Removes one start at {@code start} costing {@code cost}, if counted (a start more than a window
     * old may be trimmed already). The shorter side of the ring moves, so removing the next
     * reservation to come, with many more reserved behind it, costs the few starts of the last window.
     */
    void remove(long start, int cost) {
        int i = find(start, cost);
        if (i < 0) {
            return;
        }
        int mask = starts.length - 1;
        if (i < size - 1 - i) {
            for (int j = i; j > 0; j--) {
                starts[(head + j) & mask] = at(j - 1);
                costs[(head + j) & mask] = cost(j - 1);
            }
            head = (head + 1) & mask;
        } else {
            for (int j = i; j < size - 1; j++) {
                starts[(head + j) & mask] = at(j + 1);
                costs[(head + j) & mask] = cost(j + 1);
            }
        }
        size--;
        if (cost != 1) {
            weighted--;
        }
    }

    /** The index of a start at {@code start} costing {@code cost}, or -1. */
    private int find(long start, int cost) {
        for (int i = countBefore(start); i < size && at(i) == start; i++) {
            if (cost(i) == cost) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A start counted at {@code start} with {@code estimate} turned out to cost {@code actual}: it
     * counts that from now on, at the same instant. Does nothing if it was trimmed already.
     */
    void settle(long start, int estimate, int actual) {
        int i = find(start, estimate);
        if (i < 0) {
            return;
        }
        costs[(head + i) & (costs.length - 1)] = actual;
        weighted += (actual != 1 ? 1 : 0) - (estimate != 1 ? 1 : 0);
    }

    /** {@link #insert(long, int)} for a call costing 1. */
    void insert(long start) {
        insert(start, 1);
    }

    /** Counts a start at {@code start} costing {@code cost}, in its sorted place (after the starts at the same instant). */
    void insert(long start, int cost) {
        if (size == starts.length) {
            grow();
        }
        int mask = starts.length - 1;
        int i = countAtOrBefore(start);
        if (i < size - i) {
            head = (head - 1) & mask; // the older starts move one down
            for (int j = 0; j < i; j++) {
                starts[(head + j) & mask] = at(j + 1);
                costs[(head + j) & mask] = cost(j + 1);
            }
        } else {
            for (int j = size; j > i; j--) {
                starts[(head + j) & mask] = at(j - 1);
                costs[(head + j) & mask] = cost(j - 1);
            }
        }
        starts[(head + i) & mask] = start;
        costs[(head + i) & mask] = cost;
        size++;
        if (cost != 1) {
            weighted++;
        }
    }

    /** How many starts are at or before {@code instant} (the index of the first one after it). */
    private int countAtOrBefore(long instant) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (at(mid) - instant <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** How many starts are before {@code instant} (the index of the first one at or after it). */
    private int countBefore(long instant) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (at(mid) - instant < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The reservation at {@code reserved} starts now, at {@code actual}: counts it there if the
     * window allows, and returns {@code actual}; else counts it at the earliest instant after
     * {@code actual} that the starts at or before it allow ({@link #earliestStamp}), returned.
     */
    long restamp(long reserved, long actual) {
        remove(reserved, 1);
        long at = earliestStamp(actual, actual, 1);
        insert(at, 1);
        return at;
    }

    /**
     * The earliest instant at or after {@code actual} where a start costing {@code cost} keeps the
     * interval of length {@code window} ending at it within {@code limit}, counting only the starts at
     * or before that instant: for a start whose thread woke late and found the window full there.
     * Reservations after it are not waited for (they are checked when they are stamped), so a late
     * start moves past the few starts that filled its window, not behind the queue of later
     * reservations (unless they are packed window after window, with no gap to take). Trims at
     * {@code now} only (a start between now and {@code actual} still needs what lies before it).
     */
    long earliestStamp(long now, long actual, int cost) {
        trim(now);
        long at = actual;
        for (int tries = 0; tries < GAPS_LOOKED_AT; tries++) {
            long opens = opensFor(at, cost);
            if (opens - at <= 0) {
                return at;
            }
            at = opens; // more reserved starts may lie in (at, opens]: look again
        }
        return Math.max(at, earliest(now, cost));
    }

    /**
     * The instant from which a start costing {@code cost} fits the interval ending at it, counting
     * the starts at or before {@code at}: {@code at} itself when it fits there.
     */
    private long opensFor(long at, int cost) {
        int upTo = countAtOrBefore(at);
        if (weighted == 0 && cost == 1) {
            return upTo < limit ? at : saturatedAdd(at(upTo - limit), windowNanos);
        }
        long sum = cost;
        for (int i = upTo - 1; i >= 0 && at - at(i) < windowNanos; i--) {
            sum += cost(i);
            if (sum > limit) {
                return saturatedAdd(at(i), windowNanos);
            }
        }
        return at;
    }

    /**
     * The costs of the starts in the interval of length {@code window} ending at {@code now}
     * (reservations still to come left out). Reads only: trims nothing.
     */
    long used(long now) {
        long sum = 0;
        for (int i = size - 1; i >= 0; i--) {
            long start = at(i);
            if (now - start >= windowNanos) {
                break; // sorted: every earlier start is out of the window too
            }
            if (start - now <= 0) {
                sum += cost(i);
            }
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

    /** Starts counted now, reserved ones included (for tests and diagnostics). */
    int size() {
        return size;
    }

    private void trim(long now) {
        while (size > 0 && now - starts[head] >= windowNanos) {
            if (costs[head] != 1) {
                weighted--;
            }
            head = (head + 1) & (starts.length - 1);
            size--;
        }
    }

    private void grow() {
        long[] bigger = new long[starts.length * 2];
        int[] biggerCosts = new int[starts.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = at(i);
            biggerCosts[i] = cost(i);
        }
        starts = bigger;
        costs = biggerCosts;
        head = 0;
    }

    /** {@code a + b} (b >= 0), saturating just below Long.MAX_VALUE rather than wrapping. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
