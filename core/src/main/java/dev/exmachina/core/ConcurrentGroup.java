package dev.exmachina.core;

/**
 * A named set of limits shared by the executes that list it: at most {@code concurrency} attempts
 * in flight, at most {@code callsPerWindow} starts in any sliding {@code window}.
 *
 * <p><b>Concurrency.</b> Thread-safe. Waiting attempts are served first come, first served, and are
 * woken as soon as they may start (no polling). An attempt first takes a concurrency slot, then
 * waits for its start in the window; a waiter that is interrupted gives back what it held. An
 * execute takes its groups in the order the groups were created, whatever order it lists them in,
 * so two executes sharing groups cannot deadlock.
 */
public interface ConcurrentGroup {

    String name();

    GroupLimits limits();

    /** Attempts holding a slot of this group now (waiting for their window start included). */
    int inFlight();

    /** Attempts waiting for a concurrency slot now. */
    int waiting();
}
