package dev.exmachina.core;

/**
 * Sees what a bot does: register one or more with {@link Machina.Builder#listener(BotListener)}.
 * Every method has an empty default, so a listener overrides only what it wants; {@link #onEvent}
 * sees every event, for a listener that prefers one {@code switch} over the sealed {@link BotEvent}.
 *
 * <p><b>Concurrency.</b> Methods are called on the bot thread where the event happens (an emit's
 * thread, a forked execute's thread, the thread in {@code run()}), possibly by several threads at
 * once, never under a lock of the bot: implementations must be thread-safe, quick and must not
 * block (a slow listener slows the bot; on a virtual clock, one that blocks outside the clock stalls
 * the test). Listeners are called in the order they were registered.
 *
 * <p><b>Failure.</b> A listener that throws never breaks the bot: the exception is logged at ERROR
 * the first time for that listener (later ones at DEBUG), and the bot and the other listeners go on.
 *
 * <p><b>Cost.</b> With no listener registered (and neither DEBUG logging of executes nor a Flight
 * Recording of attempts), an attempt reads no clock for events and allocates nothing for them. With
 * one, each attempt reads the bot's clock twice and makes two small records, shared by every
 * listener.
 */
public interface BotListener {

    /**
     * Every event, before the method for its kind.
     *
     * @param event the event
     */
    default void onEvent(BotEvent event) {}

    /**
     * {@link Machina#run()} began.
     *
     * @param event the bot, when, and its concurrent groups
     */
    default void onBotStarted(BotEvent.BotStarted event) {}

    /**
     * {@link Machina#run()} ended, after the shutdown hooks.
     *
     * @param event the bot, when, and what {@code run()} throws for, if anything
     */
    default void onBotStopped(BotEvent.BotStopped event) {}

    /**
     * A startup or shutdown hook failed: {@link Machina#run()} will throw with it as the cause.
     *
     * @param event which kind of hook, and what it threw
     */
    default void onHookFailed(BotEvent.HookFailed event) {}

    /**
     * {@link Machina#close()} was called from one of the bot's own threads and did not wait.
     *
     * @param event the bot
     */
    default void onClosedFromInside(BotEvent.ClosedFromInside event) {}

    /**
     * {@link Machina#close()}'s grace period ran out with the bot still running: the rest is cancelled.
     *
     * @param event the bot and its grace period
     */
    default void onGraceExpired(BotEvent.GraceExpired event) {}

    /**
     * A run of an emit began.
     *
     * @param event the emit, and how many emits run now
     */
    default void onEmitStarted(BotEvent.EmitStarted event) {}

    /**
     * A run of an emit ended.
     *
     * @param event the emit, and how many iterations the run began
     */
    default void onEmitEnded(BotEvent.EmitEnded event) {}

    /**
     * {@link Event#start(String)} left an emit alone.
     *
     * @param event the emit, and why
     */
    default void onStartRefused(BotEvent.StartRefused event) {}

    /**
     * An iteration of an emit began.
     *
     * @param event the emit, the iteration's epoch, and how late it began
     */
    default void onIterationStarted(BotEvent.IterationStarted event) {}

    /**
     * An iteration of an emit ended.
     *
     * @param event the emit, the epoch, how long the handler ran, and what it threw
     */
    default void onIterationEnded(BotEvent.IterationEnded event) {}

    /**
     * An iteration of a fixed-rate emit ran past the instant the next one was due.
     *
     * @param event the emit, and how late the next iteration begins
     */
    default void onIterationOverran(BotEvent.IterationOverran event) {}

    /**
     * An iteration that was due was skipped by its schedule's rule for late iterations.
     *
     * @param event the emit, and how long ago the skipped iteration was due
     */
    default void onIterationSkipped(BotEvent.IterationSkipped event) {}

    /**
     * An attempt of an execute began: it holds its groups' slots and its window start.
     *
     * @param event the execute and the attempt's number
     */
    default void onAttemptStarted(BotEvent.AttemptStarted event) {}

    /**
     * An attempt of an execute ended and gave its slots back.
     *
     * @param event the execute, the attempt's number, its outcome, how long it ran, and what it
     *     threw
     */
    default void onAttemptEnded(BotEvent.AttemptEnded event) {}

    /**
     * An attempt waited in a concurrent group before it could start.
     *
     * @param event the execute, the group, what it waited for, and how long
     */
    default void onGroupWaited(BotEvent.GroupWaited event) {}

    /**
     * A failed attempt will be retried, after a wait that holds no slot.
     *
     * @param event the execute, the retry's number, the wait, and the failure
     */
    default void onRetryScheduled(BotEvent.RetryScheduled event) {}

    /**
     * An emit's handler failed, and its supervision decided what comes next.
     *
     * @param event the emit, the failure, the decision, and the wait before a restart
     */
    default void onEmitFailed(BotEvent.EmitFailed event) {}

    /**
     * An emit's handler threw a real failure after the emit was cancelled.
     *
     * @param event the emit, and what its handler threw
     */
    default void onFailedAfterCancel(BotEvent.FailedAfterCancel event) {}

    /**
     * A singleton emit's lease could not be taken, renewed or given up.
     *
     * @param event the emit, the step, and what the lease threw
     */
    default void onLeaseFailed(BotEvent.LeaseFailed event) {}

    /**
     * An attempt that timed out ignored the interrupt and returned only later, holding its slots.
     *
     * @param event the execute, the attempt, its limit, and how long it overran
     */
    default void onAttemptOverran(BotEvent.AttemptOverran event) {}

    /**
     * A forked execute failed and nobody joined it.
     *
     * @param event the emit that forked it, the execute, and what it threw
     */
    default void onUnjoinedFailure(BotEvent.UnjoinedFailure event) {}

    /**
     * A circuit breaker opened, half-opened or closed.
     *
     * @param event the breaker (live), the state it left and the one it entered, and for an opening
     *     how long it stays open
     */
    default void onCircuitStateChanged(BotEvent.CircuitStateChanged event) {}

    /**
     * A concurrent group was paused until an instant.
     *
     * @param event the group, until when, and how long from now
     */
    default void onGroupPaused(BotEvent.GroupPaused event) {}

    /**
     * A concurrent group's limits were changed at run time.
     *
     * @param event the group, its limits before and after
     */
    default void onGroupLimitsChanged(BotEvent.GroupLimitsChanged event) {}
}
