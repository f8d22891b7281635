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
 * <p><b>Cost.</b> With no listener registered, an attempt reads no clock for events. With one, each
 * attempt reads the bot's clock twice and makes two small records.
 */
public interface BotListener {

    /**
     * Every event, before the method for its kind.
     *
     * @param event the event
     */
    default void onEvent(BotEvent event) {}

    /** @param event {@link Machina#run()} began */
    default void onBotStarted(BotEvent.BotStarted event) {}

    /** @param event {@link Machina#run()} ended */
    default void onBotStopped(BotEvent.BotStopped event) {}

    /** @param event an emit's iteration began */
    default void onIterationStarted(BotEvent.IterationStarted event) {}

    /** @param event an emit's iteration ended */
    default void onIterationEnded(BotEvent.IterationEnded event) {}

    /** @param event an attempt of an execute began */
    default void onAttemptStarted(BotEvent.AttemptStarted event) {}

    /** @param event an attempt of an execute ended */
    default void onAttemptEnded(BotEvent.AttemptEnded event) {}

    /** @param event an attempt waited in a concurrent group */
    default void onGroupWaited(BotEvent.GroupWaited event) {}

    /** @param event a failed attempt will be retried */
    default void onRetryScheduled(BotEvent.RetryScheduled event) {}

    /** @param event an emit's handler failed; what its supervision decided */
    default void onEmitFailed(BotEvent.EmitFailed event) {}

    /** @param event a startup or shutdown hook failed */
    default void onHookFailed(BotEvent.HookFailed event) {}
}
