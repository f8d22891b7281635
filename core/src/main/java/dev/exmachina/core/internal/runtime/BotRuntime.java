package dev.exmachina.core.internal.runtime;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.observe.Observer;

/**
 * What a bot's handles (executes, emits, events, forks) need from their bot, and nothing more:
 * its name, its clock, its observer, and whether work on a thread was cancelled. Below every
 * package that uses it (emit, execute), above only the clock and the observer; the engine makes one
 * per bot. Thread-safe.
 */
public interface BotRuntime {

    /** The bot's name, for logs and thread names. */
    String botName();

    BotClock clock();

    Observer observer();

    /**
     * Whether the work running on {@code thread} was cancelled: its emit was cancelled, or the bot
     * cancels everything (an interrupted {@code run()}, {@code close()} after its grace period).
     * Asked on slow paths only (after a failed attempt, before a retry), so it may take a lock.
     */
    boolean cancelled(Thread thread);

    /**
     * Has {@code action} run at the end of each of the bot's runs: after the run's last thread and
     * its shutdown hooks ended, before {@code run()} reports {@code BotStopped} and returns. For what
     * a part of the bot left pending on the clock (a circuit breaker's timer), which must not outlive
     * the run. The action is short and never throws. A runtime that has no runs (a test's) ignores it.
     */
    default void onEachRunEnd(Runnable action) {}
}
