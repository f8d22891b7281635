package dev.exmachina.core.spi;

import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a backend's group reports what was done to it at run time, for the bot's listeners and log:
 * given to {@link GroupBackend#register(String, GroupLimits, dev.exmachina.core.BotClock, GroupEvents)}.
 * Thread-safe; call it after releasing your own locks. It never throws.
 */
public interface GroupEvents {

    /**
     * Reports nothing: for backends registered without a bot.
     *
     * @return events that go nowhere
     */
    static GroupEvents none() {
        return NoEvents.NONE;
    }

    /**
     * The group was paused until {@code until}.
     *
     * @param group the group's name
     * @param until when it may start attempts again (the bot's clock)
     * @param pause how long from now that is
     */
    void paused(String group, Instant until, Duration pause);

    /**
     * The group's limits were changed.
     *
     * @param group the group's name
     * @param from the limits before
     * @param to the limits now in force
     */
    void limitsChanged(String group, GroupLimits from, GroupLimits to);
}
