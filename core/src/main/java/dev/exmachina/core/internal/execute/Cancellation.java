package dev.exmachina.core.internal.execute;

/**
 * Whether the work a call belongs to was cancelled, seen apart from the thread's interrupt flag
 * (a handler may swallow the interrupt or turn it into another exception). A forked execute passes
 * its own handle. Asked on the thread running the call; must be cheap (a volatile read).
 */
@FunctionalInterface
public interface Cancellation {

    boolean isCancelled();

    /** For a direct call: nothing beyond the thread's interrupt flag and its bot's cancellation. */
    Cancellation NONE = () -> false;
}
