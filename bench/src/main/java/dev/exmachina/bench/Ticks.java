package dev.exmachina.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tick lateness of many loops that wait a fixed interval after each iteration: an iteration is due
 * at the end of the previous one plus the interval; lateness is how much later it began.
 */
final class Ticks {
    private final long interval;
    private final long[] previousEnd;
    private final long[] late;
    private final AtomicInteger recorded = new AtomicInteger();
    private volatile boolean recording;

    Ticks(int loops, long intervalNanos, int capacity) {
        this.interval = intervalNanos;
        this.previousEnd = new long[loops];
        this.late = new long[capacity];
    }

    void begin(int loop) {
        long now = System.nanoTime();
        long end = previousEnd[loop];
        if (recording && end != 0) {
            int k = recorded.getAndIncrement();
            if (k < late.length) late[k] = now - (end + interval);
        }
    }

    void end(int loop) {
        previousEnd[loop] = System.nanoTime();
    }

    void recording(boolean on) {
        recording = on;
    }

    /** Lateness of the recorded ticks, sorted, in nanoseconds. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(late, Math.min(recorded.get(), late.length));
        Arrays.sort(copy);
        return copy;
    }
}
