package dev.exmachina.testkit.internal;

import org.jspecify.annotations.Nullable;

/**
 * A bot thread of the clock, or the test thread for the length of one driving call. Every field is
 * guarded by the clock's lock; {@link Baton} describes the states and transitions.
 */
final class Participant {

    enum State { READY, RUNNING, PARKED, DONE }

    final Thread thread;
    /** The test thread while it drives: given the baton back at the end of its drive. */
    final boolean driver;
    State state;
    /** An unpark that came while the thread was READY or RUNNING: its next park returns at once. */
    boolean permit;
    /** Made READY since its drive began: a driver that was woken is not deadlocked. */
    boolean woken;
    /** Its wait in the due queue while PARKED with a deadline; null otherwise. */
    @Nullable Due wait;
    /** What it waits for while PARKED, for diagnostics. */
    @Nullable Object blocker;

    Participant(Thread thread, boolean driver, State state) {
        this.thread = thread;
        this.driver = driver;
        this.state = state;
    }
}
