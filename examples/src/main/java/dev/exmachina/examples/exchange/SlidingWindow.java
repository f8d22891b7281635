package dev.exmachina.examples.exchange;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Weighted events in the last {@code window}: the interval {@code (now - window, now]}, and the
 * total of their weights. Not thread-safe; the server guards it with its own lock.
 */
final class SlidingWindow {
    private record Entry(long nanos, int weight) {}

    private final long windowNanos;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private int total;

    SlidingWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** The total weight of the events in the window that ends at {@code nowNanos}. */
    int countAt(long nowNanos) {
        // An event exactly one window old has left the window: windows are half-open.
        while (!entries.isEmpty() && nowNanos - entries.peekFirst().nanos() >= windowNanos) {
            total -= entries.pollFirst().weight();
        }
        return total;
    }

    /** Records an event of weight 1 at {@code nowNanos} and returns the total in the window ending there. */
    int add(long nowNanos) {
        return add(nowNanos, 1);
    }

    /** Records an event of {@code weight} at {@code nowNanos} and returns the total in the window ending there. */
    int add(long nowNanos, int weight) {
        countAt(nowNanos);
        entries.addLast(new Entry(nowNanos, weight));
        total += weight;
        return total;
    }

    /**
     * Nanoseconds from {@code nowNanos} until the oldest event leaves the window (the first instant
     * the total goes down), or 0 when the window is empty.
     */
    long nanosUntilOldestLeaves(long nowNanos) {
        countAt(nowNanos);
        return entries.isEmpty() ? 0 : entries.peekFirst().nanos() + windowNanos - nowNanos;
    }
}
