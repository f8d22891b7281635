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
     * Registers a group that reports what is done to it at run time ({@link ConcurrentGroup#pauseUntil},
     * {@link ConcurrentGroup#changeLimits}) to {@code events}: core registers every group this way. A
     * backend whose groups can be paused or changed overrides it; the default ignores {@code events}.
     *
     * <p>A group that supports it changes its limits with {@link ConcurrentGroup#changeLimits} (for a
     * fleet: in the shared store, so every process follows) and pauses with
     * {@link ConcurrentGroup#pauseUntil} (for a fleet: every process's callers wait); its gates then
     * decide with the limits and the pause in force, and wake their waiters to decide again at once.
     *
     * @param name the group's name, unique among the bot's groups
     * @param limits the group's limits
     * @param clock the bot's clock, for the group's windows
     * @param events where the group reports pauses and changes of limits
     * @return the group, as {@link dev.exmachina.core.Machina#concurrentGroup} returns it
     */
    default ConcurrentGroup register(String name, GroupLimits limits, BotClock clock, GroupEvents events) {
        return register(name, limits, clock);
    }

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
