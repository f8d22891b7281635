package dev.exmachina.core.internal.observe;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.ConcurrentGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The one seam every event of a bot goes through, as a public {@link BotEvent} record: core reports
 * an event by making its record and passing it to {@link #on}; the bot's observer ({@link Observers})
 * hands that same record to every {@link Sink} (slf4j logging, JFR, the user's listeners).
 *
 * <p>The default methods below are the loops' shorthand: each makes one record from what the loop
 * already holds (nanoseconds, the groups of an attempt) and passes it to {@link #on}. They add no
 * event of their own.
 *
 * <p><b>Contract.</b> Called on the thread where the event happens, never under a lock of core;
 * returns quickly, never blocks, never throws (a sink of user listeners catches and reports their
 * failures itself). Durations and instants are bot-clock time, so on a virtual clock they are exact.
 *
 * <p><b>Cost.</b> Per-attempt events are the hot path: a caller asks {@link #observesAttempts()}
 * once per attempt and, when it is false, neither reads the clock for them nor makes their records,
 * so an execute nobody observes allocates nothing for events.
 */
public interface Observer {

    /**
     * The names the execute path uses for {@link BotEvent.WaitedFor}'s values: the same constants,
     * no translation. To be replaced by {@code BotEvent.WaitedFor} at its call sites.
     */
    final class Wait {
        public static final BotEvent.WaitedFor SLOT = BotEvent.WaitedFor.SLOT;
        public static final BotEvent.WaitedFor WINDOW_START = BotEvent.WaitedFor.WINDOW_START;

        private Wait() {}
    }

    /** The bot's name, which every event carries. */
    String bot();

    /** Takes one event of the bot. */
    void on(BotEvent event);

    /**
     * Whether attempt events ({@link BotEvent.AttemptStarted}, {@link BotEvent.AttemptEnded}) are
     * wanted now; asked once per attempt, so it must be a field read or two.
     */
    default boolean observesAttempts() {
        return false;
    }

    // ---- the loops' shorthand: each makes one record --------------------------------------------

    /** Attempt {@code attempt} (1, 2, …) of a call started, holding {@code groups}. Only while {@link #observesAttempts()}. */
    default void attemptStarted(String execute, int attempt, List<? extends ConcurrentGroup> groups) {
        on(new BotEvent.AttemptStarted(bot(), execute, attempt, List.copyOf(groups)));
    }

    /**
     * The attempt ended after {@code durationNanos}; {@code failure}: what it threw, or null. On the
     * attempt's thread (its interrupt flag tells a cancel). Only while {@link #observesAttempts()}.
     */
    default void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {
        on(new BotEvent.AttemptEnded(bot(), execute, attempt, List.copyOf(groups), outcome(failure),
                Duration.ofNanos(durationNanos), failure));
    }

    /** An attempt waited {@code waitedNanos} for a slot of {@code group} or for its window start. */
    default void groupWaited(String execute, String group, BotEvent.WaitedFor what, long waitedNanos) {
        on(new BotEvent.GroupWaited(bot(), execute, group, what, Duration.ofNanos(waitedNanos)));
    }

    /** A failed attempt will be retried after {@code wait}; {@code retry} is 1 for the first retry. */
    default void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {
        on(new BotEvent.RetryScheduled(bot(), execute, retry, wait, cause));
    }

    /** A timed-out attempt's handler ignored the interrupt and returned {@code overranNanos} after the deadline. */
    default void attemptOverran(String execute, int attempt, Duration timeout, long overranNanos) {
        on(new BotEvent.AttemptOverran(bot(), execute, attempt, timeout, Duration.ofNanos(overranNanos)));
    }

    /** A forked execute failed and neither the iteration nor anyone else joined it. */
    default void unjoinedFailure(String emit, String execute, Throwable failure) {
        on(new BotEvent.UnjoinedFailure(bot(), emit, execute, failure));
    }

    /** An iteration began, {@code lagNanos} after its scheduled instant (0 on time, and on a run's first). */
    default void iterationStarted(String emit, long epoch, long lagNanos) {
        on(new BotEvent.IterationStarted(bot(), emit, epoch, Duration.ofNanos(lagNanos)));
    }

    /** An iteration ended after {@code durationNanos}; {@code failure}: what its handler threw, or null. */
    default void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {
        on(new BotEvent.IterationEnded(bot(), emit, epoch, Duration.ofNanos(durationNanos), failure));
    }

    /** An iteration (fixed rate or cron) ran past the next scheduled start by {@code lagNanos}; the next runs at once. */
    default void iterationOverran(String emit, long lagNanos) {
        on(new BotEvent.IterationOverran(bot(), emit, Duration.ofNanos(lagNanos)));
    }

    /** An iteration due {@code lateNanos} ago was skipped by its schedule's rule for late iterations. */
    default void iterationSkipped(String emit, long lateNanos) {
        on(new BotEvent.IterationSkipped(bot(), emit, Duration.ofNanos(lateNanos)));
    }

    /** A failed iteration, and what the supervision decided; {@code restartWait} only for a restart. */
    default void emitFailed(String emit, Throwable failure, BotEvent.Decision decision, @Nullable Duration restartWait) {
        on(new BotEvent.EmitFailed(bot(), emit, failure, decision, restartWait));
    }

    /** A real failure reached the emit loop after the emit was cancelled. */
    default void failedAfterCancel(String emit, Throwable failure) {
        on(new BotEvent.FailedAfterCancel(bot(), emit, failure));
    }

    /**
     * How an attempt that threw {@code failure} ended: cancelled if it was interrupted or cancelled.
     * On the attempt's thread.
     */
    static BotEvent.Outcome outcome(@Nullable Throwable failure) {
        if (failure == null) {
            return BotEvent.Outcome.SUCCESS;
        }
        if (failure instanceof InterruptedException || failure instanceof CancellationException
                || Thread.currentThread().isInterrupted()) {
            return BotEvent.Outcome.CANCELLED;
        }
        return BotEvent.Outcome.FAILURE;
    }

    /** An observer that sees nothing. */
    Observer NONE = new Observer() {
        @Override
        public String bot() {
            return "";
        }

        @Override
        public void on(BotEvent event) {}

        @Override
        public String toString() {
            return "Observer.NONE";
        }
    };
}
