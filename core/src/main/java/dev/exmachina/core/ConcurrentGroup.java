package dev.exmachina.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of limits shared by the executes that list it: at most {@code concurrency} attempts
 * in flight, at most {@code callsPerWindow} starts in any sliding {@code window}.
 *
 * <p><b>Concurrency.</b> Thread-safe. Waiting attempts are served first come, first served, and are
 * woken as soon as they may start (no polling). An attempt first takes a concurrency slot, then
 * waits for its start in the window; a waiter that is interrupted gives back what it held. An
 * execute takes its groups in the order the groups were created, whatever order it lists them in,
 * so two executes sharing groups cannot deadlock.
 *
 * <p><b>Never a cancelled start.</b> A waiting attempt that is interrupted or cancelled never
 * starts: it gives back its place in the queue, any slot it holds or was handed meanwhile (which
 * goes on to the next waiter), and a reserved window start that has not come yet (which no longer
 * counts against the window).
 *
 * <p><b>Counts.</b> {@link #inFlight()} and {@link #waiting()} count attempts of this group, each in
 * exactly one of them: in flight, an attempt running its handler with a slot of this group; waiting,
 * an attempt that has not started yet, whether it waits for a slot of this group or holds one while it
 * waits for another group's slot or for its start in a window. An attempt between two tries (a
 * retry wait) is in neither.
 *
 * <p><b>Windows.</b> Anchored at starts (the default), a start counts at the instant its attempt
 * actually begins: a thread that wakes up late for a reserved start is counted when it runs, and a
 * later start that would then be one too many in a window waits a little longer. Anchored at
 * completion ({@link GroupLimits#anchoredAtCompletion()}), each start holds its place in the window
 * until a window after its attempt ended; when every place is held by an attempt still running, the
 * next attempt waits (holding its slots, counted as waiting) for one to end.
 *
 * <p><b>Bounded waits.</b> An execute's {@link ExecuteOptions#maxWait} or
 * {@link ExecuteOptions#callTimeout} bounds how long its attempts wait here; one that gives up holds
 * nothing afterwards, like a cancelled waiter.
 *
 * <p><b>Circuit breaker.</b> A breaker in the group's limits ({@link GroupLimits#circuitBreaker}) is
 * asked by every attempt through the group before it queues here: an open breaker refuses the attempt
 * with {@link CircuitOpenException}, and the attempt is counted neither in flight nor waiting.
 *
 * <p><b>At run time.</b> {@link #changeLimits} replaces the limits of a registered group: waiting
 * attempts are decided again at once under the new limits, and lowering a limit never cancels an
 * attempt that started (the starts already counted stay counted). {@link #pauseUntil} makes every caller wait until
 * an instant, on the bot's clock, while attempts already running finish. Both are reported to the
 * bot's listeners ({@link BotEvent.GroupLimitsChanged}, {@link BotEvent.GroupPaused}) and logged.
 * {@link #limitUntil} takes a server's word for what is left of its quota until its reset.
 * {@link #windowUse} tells how much of each window is used now.
 *
 * <p>Decisions are made by the bot's group backend ({@link dev.exmachina.core.spi.GroupBackend}):
 * in memory by default.
 */
public interface ConcurrentGroup {

    /**
     * The name it was registered under, unique among the bot's groups.
     *
     * @return the group's name, as executes list it in {@link ExecuteOptions#groups}
     */
    String name();

    /**
     * The limits in force: those it was registered with, or the last {@link #changeLimits}.
     *
     * @return the group's limits
     */
    GroupLimits limits();

    /**
     * Replaces the group's limits (concurrency and windows) while the bot runs: waiting attempts are
     * decided again at once under the new limits: a raised concurrency hands its new slots to the first
     * queued attempts, and attempts asleep until a start reserved in a window anchored at starts are
     * woken and stamped again (started now, or moved later if a window is full); a start reserved in a
     * window anchored at completion keeps its place. An attempt that started is
     * never cancelled: above a lowered concurrency, slots go away as attempts end; the starts (and
     * costs) already counted stay counted. The circuit breaker cannot change here; a backend may also
     * refuse to change the number of windows or their anchors (the in-memory one does).
     *
     * @param limits the new limits, with the same circuit breaker as now (or none if none)
     * @throws IllegalArgumentException if {@code limits} names another circuit breaker, or changes what
     *     the backend cannot change
     * @throws UnsupportedOperationException if the bot's group backend cannot change limits
     */
    default void changeLimits(GroupLimits limits) {
        throw new UnsupportedOperationException("the group backend of '" + name()
                + "' cannot change limits at run time: " + getClass().getName());
    }

    /**
     * Pauses the group until {@code until} (the bot's clock, {@link BotClock#instant()}): no attempt
     * starts through it before then, whatever its limits; attempts already running finish. Waiters keep
     * their place, first come, first served, and start from {@code until} on as the limits allow. A
     * pause never shortens one in force; an instant already past does nothing.
     *
     * @param until when the group may start attempts again
     * @throws UnsupportedOperationException if the bot's group backend cannot pause
     */
    default void pauseUntil(Instant until) {
        throw new UnsupportedOperationException("the group backend of '" + name() + "' cannot pause groups: "
                + getClass().getName());
    }

    /**
     * Takes the server's word for what is left of its quota: until {@code resetAt} (the bot's clock),
     * at most {@code remaining} more units begin through the group, a unit being a start, or the cost
     * of a weighted call ({@link ExecuteOptions#cost(int)}). Callers beyond that wait, on the clock,
     * until {@code resetAt}, then start as the group's other limits allow; a start needs room in the
     * budget <em>and</em> in every window, and a pause still holds everyone.
     *
     * <p>The budget counts the starts decided after this call returns. Attempts already running, or
     * already granted a later start, are not counted again: the server's {@code remaining} has usually
     * counted the requests it has seen, and a caller that knows of attempts the server has not seen
     * yet subtracts them before announcing. A start given back before it began (a cancelled waiter)
     * stays counted: the budget errs on the server's side. A later announcement replaces this one
     * (fresh count, new reset); one whose reset is not after now does nothing; after the reset the
     * budget no longer limits anything. {@code remaining} 0 stops every caller until {@code resetAt},
     * like {@link #pauseUntil} but without the pause's event.
     *
     * @param remaining how many units may still begin before {@code resetAt}, 0 or more
     * @param resetAt when the server's quota resets
     * @throws IllegalArgumentException if {@code remaining} is negative
     * @throws UnsupportedOperationException if the bot's group backend cannot follow an announced quota
     */
    default void limitUntil(long remaining, Instant resetAt) {
        throw new UnsupportedOperationException("the group backend of '" + name()
                + "' cannot follow a quota the server announces: " + getClass().getName());
    }

    /**
     * The end of the pause in force, if the group is paused now.
     *
     * @return the instant it may start attempts again, or empty when it is not paused
     */
    default Optional<Instant> pausedUntil() {
        return Optional.empty();
    }

    /**
     * How much of each of the group's windows is used now: one {@link WindowUse} per window of its
     * {@link #limits()}, the first one first; empty for a group without a window.
     *
     * <p>A snapshot: each window is read at one instant of the bot's clock, the windows one after the
     * other, and attempts may start or end right after. On a {@code VirtualClock} (nothing moves while
     * the test reads) it is exact. Reading decides nothing: no waiter moves, nothing is counted.
     *
     * @return the use of each window, in the order of {@link GroupLimits#windows()}
     * @throws UnsupportedOperationException if the bot's group backend cannot tell (the default; a
     *     backend that decides elsewhere, such as a shared store, may not keep the window's contents
     *     at hand): the in-memory backend always tells
     */
    default List<WindowUse> windowUse() {
        throw new UnsupportedOperationException("the group backend of '" + name()
                + "' cannot tell how much of its windows is used: " + getClass().getName());
    }

    /**
     * How much of one window of a group is used now ({@link #windowUse}).
     *
     * <p>Anchored at starts ({@link GroupLimits.WindowAnchor#START}), {@code used} is the units that
     * began in the interval of the window's length ending now, on the bot's clock: one per start, or
     * the cost of a weighted call ({@link ExecuteOptions#cost(int)}, or its settled cost once known). A
     * start reserved for later (an attempt asleep until its turn) is not counted until it comes.
     * Anchored at completion ({@link GroupLimits.WindowAnchor#COMPLETION}), {@code used} is the places
     * held: by attempts granted a start or running, and by attempts that ended less than a window ago.
     *
     * @param window the window: its limit, length and anchor, as in force now
     * @param used the units counted in it now, 0 or more
     */
    record WindowUse(GroupLimits.Window window, long used) {
        /**
         * Checks the use.
         *
         * @throws NullPointerException if {@code window} is null
         * @throws IllegalArgumentException if {@code used} is negative
         */
        public WindowUse {
            Objects.requireNonNull(window, "window");
            if (used < 0) {
                throw new IllegalArgumentException("a window's use is 0 or more, was " + used);
            }
        }

        @Override
        public String toString() {
            return used + " used of " + window;
        }
    }

    /**
     * Attempts running their handler now, each holding a slot of this group.
     *
     * @return the count at the instant of the call; it may change right after
     */
    int inFlight();

    /**
     * Attempts of this group that have not started yet: queued for a slot of this group, or holding
     * one while they wait for another group's slot or for their window start.
     *
     * @return the count at the instant of the call; it may change right after
     */
    int waiting();
}
