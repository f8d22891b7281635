package dev.exmachina.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a bot reports to its {@link BotListener}s: one immutable record per kind of event.
 *
 * <p>Durations and instants are <em>bot-clock</em> time ({@link Machina#clock()}): on a virtual
 * clock they are exact, so a test can assert them to the nanosecond. Every event names its bot, so
 * one listener may serve several bots.
 */
public sealed interface BotEvent {

    /**
     * The bot's name ({@link Machina#name()}).
     *
     * @return the name of the bot the event happened in, so that one listener can tell bots apart
     */
    String bot();

    /** How an attempt of an execute ended. */
    enum Outcome {
        /** The handler returned. */
        SUCCESS,
        /** The handler threw; the call may be retried. */
        FAILURE,
        /** The attempt was cancelled or interrupted ({@link Forked#cancel()}, an emit's cancel, {@code close()}): never retried. */
        CANCELLED
    }

    /** What a waiting attempt waited for in a concurrent group. */
    enum WaitedFor {
        /** A concurrency slot: the group had as many attempts in flight as it allows. */
        SLOT,
        /** Its start in the group's sliding window: the window had as many starts as it allows. */
        WINDOW_START
    }

    /** What an emit's {@link Supervision} decided about a failed iteration. */
    enum Decision {
        /** The bot stops and {@link Machina#run()} throws ({@link Supervision#stopBot()}, or a restart policy that gave up). */
        STOP_BOT,
        /** The emit goes on with its next iteration ({@link Supervision#logAndContinue()}). */
        CONTINUE,
        /** The emit goes on after a wait ({@link Supervision#restart}). */
        RESTART
    }

    /**
     * {@link Machina#run()} began.
     *
     * @param bot the bot's name
     * @param at when, on the bot's clock
     * @param groups the bot's concurrent groups, live: their counts change as the bot runs (for gauges)
     */
    record BotStarted(String bot, Instant at, List<ConcurrentGroup> groups) implements BotEvent {
        /** Copies {@code groups}: the list is fixed, the groups in it stay live. */
        public BotStarted {
            groups = List.copyOf(groups);
        }
    }

    /**
     * {@link Machina#run()} ended, after the shutdown hooks.
     *
     * @param bot the bot's name
     * @param at when, on the bot's clock
     * @param failure what {@code run()} throws for (its cause), or null when it returns normally
     */
    record BotStopped(String bot, Instant at, @Nullable Throwable failure) implements BotEvent {}

    /**
     * An iteration of an emit began.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param epoch 1, 2, … within this run of the emit
     * @param lag how long after its scheduled instant it began (zero when on time)
     */
    record IterationStarted(String bot, String emit, long epoch, Duration lag) implements BotEvent {}

    /**
     * An iteration of an emit ended.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param epoch 1, 2, … within this run of the emit
     * @param duration how long the handler ran
     * @param failure what the handler threw, or null
     */
    record IterationEnded(String bot, String emit, long epoch, Duration duration, @Nullable Throwable failure)
            implements BotEvent {}

    /**
     * An attempt of an execute began: it holds its groups' slots and its window start.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param attempt 1 for the first attempt of a call, 2 for its first retry, …
     */
    record AttemptStarted(String bot, String execute, int attempt) implements BotEvent {}

    /**
     * An attempt of an execute ended and gave its slots back.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param attempt 1 for the first attempt of a call, 2 for its first retry, …
     * @param outcome how it ended
     * @param duration how long the handler ran
     * @param failure what it threw, or null on {@link Outcome#SUCCESS}
     */
    record AttemptEnded(String bot, String execute, int attempt, Outcome outcome, Duration duration,
            @Nullable Throwable failure) implements BotEvent {
        /** Checks the components: {@code outcome} is not {@code null}. */
        public AttemptEnded {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * An attempt waited in a concurrent group before it could start.
     *
     * @param bot the bot's name
     * @param execute the execute whose attempt waited
     * @param group the group it waited in
     * @param waitedFor a slot or a window start
     * @param waited how long
     */
    record GroupWaited(String bot, String execute, String group, WaitedFor waitedFor, Duration waited)
            implements BotEvent {}

    /**
     * A failed attempt will be retried.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param retry 1 for the first retry of the call, 2 for the second, …
     * @param waitTime the wait before the next attempt (holding no slot; named as {@code RetryRule.Fixed}'s, since a record component may not be called {@code wait})
     * @param cause the failure being retried
     */
    record RetryScheduled(String bot, String execute, int retry, Duration waitTime, Throwable cause) implements BotEvent {}

    /**
     * An emit's handler failed, and what its supervision decided.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param failure what the handler threw
     * @param decision what happens next
     * @param restartWait the wait before the next iteration under {@link Decision#RESTART}, else null
     */
    record EmitFailed(String bot, String emit, Throwable failure, Decision decision, @Nullable Duration restartWait)
            implements BotEvent {}

    /**
     * A startup or shutdown hook failed: {@link Machina#run()} will throw with it as the cause.
     *
     * @param bot the bot's name
     * @param startup true for a startup hook (the emits do not start), false for a shutdown hook
     * @param failure what the hook threw
     */
    record HookFailed(String bot, boolean startup, Throwable failure) implements BotEvent {}
}
