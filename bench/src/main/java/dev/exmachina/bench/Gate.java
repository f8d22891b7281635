package dev.exmachina.bench;

import java.util.function.LongConsumer;

/** A limiter under the window check: lets a caller through and tells when it did. */
@FunctionalInterface
public interface Gate {
    /**
     * Waits until the limiter lets this caller start, then tells {@code started} the instant of
     * the start ({@link System#nanoTime()} base): read by the caller once let go, or the instant
     * the limiter decided when it exposes that.
     */
    void pass(LongConsumer started) throws Exception;
}
