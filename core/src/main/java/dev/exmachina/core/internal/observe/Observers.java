package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import java.util.List;

/**
 * A bot's observer: hands each event to its sinks, in order. {@link #observesAttempts()} is true
 * when any sink wants attempts, and then attempt events go only to the sinks that do.
 *
 * <p><b>Concurrency.</b> Immutable; called by any bot thread.
 */
public final class Observers implements Observer {

    private final String bot;
    private final Sink[] sinks;

    private Observers(String bot, List<Sink> sinks) {
        this.bot = bot;
        this.sinks = sinks.toArray(Sink[]::new);
    }

    /** The observer of bot {@code bot}, handing its events to {@code sinks} in this order. */
    public static Observer of(String bot, List<Sink> sinks) {
        return new Observers(bot, sinks);
    }

    @Override
    public String bot() {
        return bot;
    }

    @Override
    public boolean observesAttempts() {
        for (Sink sink : sinks) {
            if (sink.observesAttempts()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void on(BotEvent event) {
        boolean attempt = event instanceof BotEvent.AttemptStarted || event instanceof BotEvent.AttemptEnded;
        for (Sink sink : sinks) {
            if (!attempt || sink.observesAttempts()) {
                sink.on(event);
            }
        }
    }

    @Override
    public String toString() {
        return "Observers[" + bot + "]";
    }
}
