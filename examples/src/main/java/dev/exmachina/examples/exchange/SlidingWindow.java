package dev.exmachina.examples.exchange;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Timestamps of events in the last {@code window}: the interval {@code (now - window, now]}.
 * Not thread-safe; the server guards it with its own lock.
 */
final class SlidingWindow {
    private final long windowNanos;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    SlidingWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** How many events are in the window that ends at {@code nowNanos}. */
    int countAt(long nowNanos) {
        // An event exactly one window old has left the window: windows are half-open.
        while (!times.isEmpty() && nowNanos - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        return times.size();
    }

    /** Records an event at {@code nowNanos} and returns the count in the window ending there. */
    int add(long nowNanos) {
        countAt(nowNanos);
        times.addLast(nowNanos);
        return times.size();
    }
}
