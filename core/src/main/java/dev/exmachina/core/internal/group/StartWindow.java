package dev.exmachina.core.internal.group;

/**
 * The start instants of one sliding window: every start (actual or reserved) that can still share
 * an interval of length {@code window} with a start to come. Not thread-safe: the owning group's
 * lock guards it.
 *
 * <p><b>Invariants.</b> {@code starts} is sorted ascending (reservations are made in arrival order,
 * each no earlier than the last, and removal keeps order). Every interval {@code [t, t + window)}
 * holds at most {@code limit} of them. Starts with {@code now - start >= window} are trimmed when
 * the next one is reserved: they cannot share an interval with any start at or after now, so memory
 * grows with the starts actually in the window, not with the limit.
 *
 * <p><b>Actual starts.</b> A reserved start is re-stamped when its thread actually starts
 * ({@link #restamp}): a thread wakes up late (microseconds, milliseconds on a busy machine), and a
 * start counted at its reserved instant would let the next window open early by that much. The
 * re-stamp checks the actual instant against every start counted at or before it; if the window is
 * full there (an earlier start was late too), the start is moved to the next instant the window
 * allows. So each start, when it is stamped, sees fewer than {@code limit} starts in the interval of
 * length {@code window} that ends at it, which bounds every interval of the actual instants.
 *
 * <p>Removing a start (a reservation given back before it came) can only make intervals emptier,
 * so the starts reserved after it stay valid; later reservations are appended after the last one,
 * which keeps first come, first served. A removed start that was not the last leaves a gap that
 * later arrivals do not fill.
 */
final class StartWindow {

    private final int limit;
    private final long windowNanos;
    /** A ring: {@code size} starts from {@code head}. */
    private long[] starts = new long[4];
    private int head;
    private int size;

    StartWindow(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private long at(int i) {
        return starts[(head + i) & (starts.length - 1)];
    }

    /**
     * The earliest instant at or after {@code now} at which one more start keeps every interval at
     * no more than {@code limit} starts, and no earlier than the last reserved start.
     */
    long earliest(long now) {
        trim(now);
        if (size == 0) {
            return now;
        }
        long start = Math.max(now, at(size - 1));
        if (size >= limit) {
            start = Math.max(start, saturatedAdd(at(size - limit), windowNanos));
        }
        return start;
    }

    /** Records a start from {@link #earliest} (so no earlier than the last). */
    void record(long start) {
        if (size == starts.length) {
            grow();
        }
        starts[(head + size) & (starts.length - 1)] = start;
        size++;
    }

    /**
     * Gives back a start reserved at {@code start}, if it has not come yet ({@code start > now}):
     * an attempt that never starts no longer counts. A start that has come stays counted.
     */
    void giveBack(long start, long now) {
        if (start - now > 0) {
            remove(start);
        }
    }

    /**
     * Whether a start stamped at {@code actual} (now, on the clock of the starts) keeps the interval
     * of length {@code window} ending at it within {@code limit}: fewer than {@code limit} starts
     * (stamped or reserved) in {@code (actual - window, actual]}. Call after {@link #remove} of the
     * start's own reservation. Reservations after {@code actual} are checked when they are stamped.
     * A binary search: O(log n) in the starts counted.
     */
    boolean allows(long actual) {
        trim(actual);
        int upTo = countAtOrBefore(actual);
        return upTo < limit || actual - at(upTo - limit) >= windowNanos;
    }

    /**
     * Removes one start at {@code start}, if counted (a start more than a window old may be trimmed
     * already). The shorter side of the ring moves, so removing the next reservation to come, with
     * many more reserved behind it, costs the few starts of the last window.
     */
    void remove(long start) {
        int i = countBefore(start);
        if (i == size || at(i) != start) {
            return;
        }
        int mask = starts.length - 1;
        if (i < size - 1 - i) {
            for (int j = i; j > 0; j--) {
                starts[(head + j) & mask] = at(j - 1);
            }
            head = (head + 1) & mask;
        } else {
            for (int j = i; j < size - 1; j++) {
                starts[(head + j) & mask] = at(j + 1);
            }
        }
        size--;
    }

    /** Counts a start at {@code start}, in its sorted place (after the starts at the same instant). */
    void insert(long start) {
        if (size == starts.length) {
            grow();
        }
        int mask = starts.length - 1;
        int i = countAtOrBefore(start);
        if (i < size - i) {
            head = (head - 1) & mask; // the older starts move one down
            for (int j = 0; j < i; j++) {
                starts[(head + j) & mask] = at(j + 1);
            }
        } else {
            for (int j = size; j > i; j--) {
                starts[(head + j) & mask] = at(j - 1);
            }
        }
        starts[(head + i) & mask] = start;
        size++;
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
     * window allows ({@link #allows}), and returns {@code actual}; else removes it and reserves the
     * next start the window allows, returned (later than {@code actual}).
     */
    long restamp(long reserved, long actual) {
        remove(reserved);
        if (allows(actual)) {
            insert(actual);
            return actual;
        }
        long later = earliest(actual);
        record(later);
        return later;
    }

    /** Starts counted now, reserved ones included (for tests and diagnostics). */
    int size() {
        return size;
    }

    private void trim(long now) {
        while (size > 0 && now - starts[head] >= windowNanos) {
            head = (head + 1) & (starts.length - 1);
            size--;
        }
    }

    private void grow() {
        long[] bigger = new long[starts.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = at(i);
        }
        starts = bigger;
        head = 0;
    }

    /** {@code a + b} (b >= 0), saturating just below Long.MAX_VALUE rather than wrapping. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
