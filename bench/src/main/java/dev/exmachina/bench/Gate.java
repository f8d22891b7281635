package dev.exmachina.bench;

/** A limiter under the window check: lets a caller through and tells when it did. */
@FunctionalInterface
public interface Gate {
    /**
     * Waits until the limiter lets this caller start, then runs {@code atStart} in the caller's
     * thread (or in the thread the limiter runs the work in).
     */
    void pass(Runnable atStart) throws Exception;
}
