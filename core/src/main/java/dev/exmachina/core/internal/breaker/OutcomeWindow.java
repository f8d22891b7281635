package dev.exmachina.core.internal.breaker;

/**
 * The outcomes of a closed breaker's attempts, and whether they reach a threshold. Thread-safe: each
 * implementation guards its counts with a {@link java.util.concurrent.locks.ReentrantLock} held for a
 * few array writes (never a monitor: a virtual thread is never pinned).
 */
interface OutcomeWindow {

    /**
     * Adds one outcome, ended at {@code nowNanos} (bot clock; read only by windows of time).
     *
     * @return whether the window now holds at least the minimum of calls and a rate reaches its threshold
     */
    boolean record(boolean failed, boolean slow, long nowNanos);

    /** Whether this window needs the clock's time for {@link #record}. */
    boolean needsTime();
}
