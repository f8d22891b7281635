package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.group.InMemoryBackend;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.spi.GroupBackend;

/**
 * What a bot's handles (executes, emits, events, forks) need from their bot, and nothing more:
 * its name, its clock, its observer, and whether work on a thread was cancelled. Thread-safe.
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

    /** Where the bot's concurrent groups live and decide: in memory unless the builder was given a backend. */
    default GroupBackend groupBackend() {
        return new InMemoryBackend();
    }
}
