package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;

/**
 * A place a bot's events go: its slf4j log ({@link LoggingSink}), Flight Recorder ({@link JfrSink}),
 * its listeners ({@link ListenerSink}). Every sink reads the same {@link BotEvent} records.
 *
 * <p><b>Contract.</b> As {@link Observer}'s: called on the thread of the event, never under a lock
 * of core, quick, never throws. Attempt events reach a sink only while its
 * {@link #observesAttempts()} holds.
 */
public interface Sink {

    /** Whether this sink wants attempt events now: a field read or two, asked once per attempt. */
    boolean observesAttempts();

    /** Takes one event. */
    void on(BotEvent event);
}
