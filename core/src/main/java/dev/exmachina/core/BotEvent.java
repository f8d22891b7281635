package dev.exmachina.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a bot reports: one immutable record per kind of event. The same records feed every place a
 * bot is seen from: its slf4j log lines, its JDK Flight Recorder events and its
 * {@link BotListener}s (and through them {@code exmachina-micrometer}), so a listener sees every
 * event the log shows.
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

    /** Which hooks a hook belongs to. */
    enum HookKind {
        /** Run by {@link Machina#run()} before any emit starts ({@link Machina.Builder#onStartup}). */
        STARTUP,
        /** Run by {@link Machina#run()} after everything has finished ({@link Machina.Builder#onShutdown}). */
        SHUTDOWN
    }

    /** Why {@link Event#start(String)} left an emit alone. */
    enum StartRefusal {
        /** The emit is already running (or its start is queued): no second copy runs. */
        ALREADY_RUNNING,
        /** The bot is stopping (a stop, a close, a failure): it starts nothing more. */
        BOT_STOPPING
    }

    /** Which call of a singleton emit's {@link dev.exmachina.core.spi.EmitLease} went wrong. */
    enum LeaseStep {
        /** Taking the lease before an iteration threw: the iteration is skipped (fail closed). */
        TAKE,
        /** Renewing the lease failed: the iteration under way finishes, the next runs only if the lease is taken again. */
        RENEW,
        /** Giving the lease up at the end of the emit's run threw: the lease expires by itself. */
        RELEASE
    }

    // ---- the bot --------------------------------------------------------------------------------

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
     * A startup or shutdown hook failed: {@link Machina#run()} will throw with it as the cause.
     *
     * @param bot the bot's name
     * @param hook which hooks it belongs to: after a failed startup hook, no emit starts
     * @param failure what the hook threw
     */
    record HookFailed(String bot, HookKind hook, Throwable failure) implements BotEvent {
        /** Checks the components: {@code hook} is not {@code null}. */
        public HookFailed {
            Objects.requireNonNull(hook, "hook");
        }
    }

    /**
     * {@link Machina#close()} was called from one of the bot's own threads (a hook, an emit, a forked
     * execute), which it cannot wait for: the bot is stopped and closed, and {@code run()} returns
     * once the iterations under way have finished.
     *
     * @param bot the bot's name
     */
    record ClosedFromInside(String bot) implements BotEvent {}

    /**
     * {@link Machina#close()} waited its grace period and the bot still runs: what is left (emits,
     * forked executes, the hook running) is cancelled now.
     *
     * @param bot the bot's name
     * @param gracePeriod the builder's grace period that ran out
     */
    record GraceExpired(String bot, Duration gracePeriod) implements BotEvent {}

    // ---- emits ----------------------------------------------------------------------------------

    /**
     * A run of an emit began on its thread.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param running the emits running now, this one included
     */
    record EmitStarted(String bot, String emit, int running) implements BotEvent {}

    /**
     * A run of an emit ended: its count ran out, it was stopped or cancelled, or it failed.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param iterations how many iterations this run began
     */
    record EmitEnded(String bot, String emit, long iterations) implements BotEvent {}

    /**
     * {@link Event#start(String)} left an emit alone.
     *
     * @param bot the bot's name
     * @param emit the emit asked for
     * @param reason why it was not started
     */
    record StartRefused(String bot, String emit, StartRefusal reason) implements BotEvent {
        /** Checks the components: {@code reason} is not {@code null}. */
        public StartRefused {
            Objects.requireNonNull(reason, "reason");
        }
    }

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
     * An iteration of an {@link EmitMode#ENTIRE} (fixed rate) emit, or of one on a cron
     * {@link Schedule}, ran past the instant the next one was due: under
     * {@link Schedule.Misfire#RUN_ONCE} the next iteration begins at once, this late, once however
     * many instants were passed.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param lag how far past its due instant the next iteration begins
     */
    record IterationOverran(String bot, String emit, Duration lag) implements BotEvent {}

    /**
     * An iteration that was due was skipped, by its schedule's rule for late iterations: the emit
     * waits for the next scheduled instant instead of running late.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param late how long ago the skipped iteration was due
     */
    record IterationSkipped(String bot, String emit, Duration late) implements BotEvent {}

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
     * An emit's handler threw after the emit was cancelled: not the cancel's own interrupt (an
     * {@link InterruptedException}, {@link java.io.InterruptedIOException},
     * {@link java.nio.channels.ClosedByInterruptException} or
     * {@link java.util.concurrent.CancellationException}) but a real failure, reported rather than lost.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param failure what the handler threw
     */
    record FailedAfterCancel(String bot, String emit, Throwable failure) implements BotEvent {}

    /**
     * A singleton emit's lease ({@link EmitOptions#singleton}) could not be taken, renewed or given up.
     *
     * @param bot the bot's name
     * @param emit the emit's name
     * @param step which call went wrong, and so what the emit does about it
     * @param failure what the lease threw, or null when it refused (a renewal of a lease that
     *     another process holds, or that expired)
     */
    record LeaseFailed(String bot, String emit, LeaseStep step, @Nullable Throwable failure) implements BotEvent {
        /** Checks the components: {@code step} is not {@code null}. */
        public LeaseFailed {
            Objects.requireNonNull(step, "step");
        }
    }

    // ---- executes -------------------------------------------------------------------------------

    /**
     * An attempt of an execute began: it holds its groups' slots and its window start.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param attempt 1 for the first attempt of a call, 2 for its first retry, …
     * @param groups the concurrent groups it holds, in the order it took them, live (their counts
     *     change as the bot runs)
     */
    record AttemptStarted(String bot, String execute, int attempt, List<ConcurrentGroup> groups) implements BotEvent {
        /** Copies {@code groups} (no copy when it is already an unmodifiable list). */
        public AttemptStarted {
            groups = List.copyOf(groups);
        }
    }

    /**
     * An attempt of an execute ended and gave its slots back.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param attempt 1 for the first attempt of a call, 2 for its first retry, …
     * @param groups the concurrent groups it held, live
     * @param outcome how it ended
     * @param duration how long the handler ran
     * @param failure what it threw, or null on {@link Outcome#SUCCESS}
     */
    record AttemptEnded(String bot, String execute, int attempt, List<ConcurrentGroup> groups, Outcome outcome,
            Duration duration, @Nullable Throwable failure) implements BotEvent {
        /** Checks the components: {@code outcome} is not {@code null}; copies {@code groups} as {@link AttemptStarted} does. */
        public AttemptEnded {
            groups = List.copyOf(groups);
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * An attempt timed out ({@link ExecuteOptions#attemptTimeout}, or the call's deadline) but its
     * handler ignored the interrupt and returned only later, holding its slots all along (a thread
     * cannot be killed). Reported once per such attempt, when it returns.
     *
     * @param bot the bot's name
     * @param execute the execute's name
     * @param attempt 1 for the first attempt of a call, 2 for its first retry, …
     * @param timeout the limit it ran past
     * @param overran how long after the deadline the handler returned
     */
    record AttemptOverran(String bot, String execute, int attempt, Duration timeout, Duration overran)
            implements BotEvent {}

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
     * A forked execute ({@link Event#execute}) failed and nobody joined it: neither the iteration
     * that forked it nor anyone else called {@link Forked#join()} before it ended, so its failure
     * would otherwise be lost. Reported once. A fork that was cancelled is not reported.
     *
     * @param bot the bot's name
     * @param emit the emit whose iteration forked it
     * @param execute the execute's name
     * @param failure what it threw
     */
    record UnjoinedFailure(String bot, String emit, String execute, Throwable failure) implements BotEvent {}

    /**
     * A circuit breaker changed state: it opened (its window reached a threshold, or a half-open
     * failed or ran out of time), half-opened (its open wait ended) or closed (its probes succeeded).
     * Reported once per change, by the thread that made it: a call, or the clock's timer thread at the
     * end of an open wait or a half-open bound. On a virtual clock changes are reported in the order
     * they happen; on the real clock two changes made by different threads at nearly the same instant
     * may reach a listener in either order ({@link CircuitBreaker#state()} reads the current state).
     *
     * @param bot the bot's name
     * @param breaker the breaker, live: {@link CircuitBreaker#state()} reads its state now (for gauges)
     * @param from the state it left
     * @param to the state it entered
     * @param openWait when {@code to} is {@link CircuitBreaker.State#OPEN}, how long it stays open
     *     before it half-opens; else null
     */
    record CircuitStateChanged(String bot, CircuitBreaker breaker, CircuitBreaker.State from,
            CircuitBreaker.State to, @Nullable Duration openWait) implements BotEvent {
        /** Checks the components: {@code from}, {@code to} and the breaker are not {@code null}. */
        public CircuitStateChanged {
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * A concurrent group was paused ({@link ConcurrentGroup#pauseUntil}, or a failure matching an
     * execute's {@link ExecuteOptions#pauseOn} rule): no attempt starts through it before {@code until}.
     *
     * @param bot the bot's name
     * @param group the group's name
     * @param until when it may start attempts again (the bot's clock)
     * @param pause how long from now that is
     */
    record GroupPaused(String bot, String group, Instant until, Duration pause) implements BotEvent {}

    /**
     * A concurrent group's limits were changed at run time ({@link ConcurrentGroup#changeLimits}).
     *
     * @param bot the bot's name
     * @param group the group's name
     * @param from the limits before
     * @param to the limits in force now
     */
    record GroupLimitsChanged(String bot, String group, GroupLimits from, GroupLimits to) implements BotEvent {}
}
