package dev.exmachina.core.internal.execute;

import org.jspecify.annotations.Nullable;

/**
 * Whether the work a call belongs to was cancelled, seen apart from the thread's interrupt flag
 * (a handler may swallow the interrupt or turn it into another exception). A forked execute passes
 * its own handle. Asked on the thread running the call; must be cheap (a volatile read).
 */
@FunctionalInterface
public interface Cancellation {

    boolean isCancelled();

    /**
     * Tells what the call holds while it sleeps ({@code null}: nothing any more), for a cancel from
     * another thread to give back at once. Set before the call checks for a cancel and sleeps.
     * Default: nothing to do (a direct call is cancelled by an interrupt, in its own thread).
     *
     * @param held what a cancel should give back now, or null
     */
    default void holding(@Nullable HeldWhileWaiting held) {}

    /** For a direct call: nothing beyond the thread's interrupt flag and its bot's cancellation. */
    Cancellation NONE = () -> false;
}
