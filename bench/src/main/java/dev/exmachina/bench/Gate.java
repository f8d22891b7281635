package dev.exmachina.bench;

import java.util.function.LongConsumer;

/** A limiter under the window check: lets a caller through and tells when it did. */
@FunctionalInterface
public interface Gate {
    /**
     * Waits until the limiter lets this caller start, then tells {@code started} the instant of
     * the start, on the time base of {@link #now()}.
     */
    void pass(LongConsumer started) throws Exception;

    /** The time the gate runs on: the real clock unless the gate runs on a virtual one. */
    default long now() {
        return System.nanoTime();
    }

    /** Runs the saturating threads: virtual threads, unless the gate needs threads of its own. */
    default void runThreads(int threads, VirtualThreads.IndexedBody body) throws Exception {
        VirtualThreads.runAll(threads, body);
    }
}
