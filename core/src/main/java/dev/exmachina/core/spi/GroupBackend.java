package dev.exmachina.core.spi;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import java.util.List;

/**
 * Where a bot's concurrent groups keep their state and decide: in memory (the default, exact on a
 * virtual clock), or in a store shared by a fleet of processes.
 *
 * <p>A backend only decides; it never blocks or sleeps. Core asks a {@link GroupGate} per execute,
 * waits on its {@link BotClock} for what the decision says, and tells the gate what happened
 * (started, gave back, released). So every wait of a bot stays on the bot's clock.
 *
 * <p><b>Concurrency.</b> Implementations are thread-safe. Registration happens before the bot runs.
 */
public interface GroupBackend {

    /**
     * Registers a group. Groups are registered in creation order, which is the one global order in
     * which every execute takes its groups (so executes sharing groups cannot deadlock).
     *
     * @param name the group's name, unique among the bot's groups
     * @param limits the group's limits
     * @param clock the bot's clock, for the group's windows
     * @return the group, as {@link dev.exmachina.core.Machina#concurrentGroup} returns it
     */
    ConcurrentGroup register(String name, GroupLimits limits, BotClock clock);

    /**
     * The gate of one execute: decides for each of its attempts, for all its groups at once.
     *
     * @param groups the execute's groups, each returned by {@link #register} of this backend, in
     *     global (creation) order
     * @param clock the bot's clock
     * @return a gate for the execute's attempts
     */
    GroupGate gate(List<ConcurrentGroup> groups, BotClock clock);
}
