package dev.exmachina.core.internal.observe;

import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.ConcurrentGroup;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one seam every event of a bot goes through: logging is its first implementation
 * ({@link LoggingObserver}); listeners, JFR events and metrics hang on it too.
 *
 * <p><b>Contract.</b> Methods are called on the thread where the event happens, never under a
 * lock of core, and must return quickly without blocking. An implementation must not throw (a
 * fan-out of user listeners catches and reports their failures itself). Durations and instants are
 * bot-clock time, so on a virtual clock they are exact.
 *
 * <p><b>Cost.</b> Per-attempt events are the hot path: callers ask {@link #observesAttempts()} once
 * per call and, when it is false, neither read the clock for them nor call them, so an observer
 * that does not want them costs one call to that method.
 */
public interface Observer {

    /** What a waiting attempt waited for. */
    enum Wait { SLOT, WINDOW_START }

    /** What a failed emit iteration leads to, by the emit's supervision. */
    enum Decision { STOP_BOT, CONTINUE, RESTART }

    /** Which hooks. */
    enum Hooks { STARTUP, SHUTDOWN }

    // ---- the bot ---------------------------------------------------------------------------------

    default void botStarting(String bot) {}

    /** {@code failure}: what {@code run()} throws for, or null. */
    default void botStopped(String bot, @Nullable Throwable failure) {}

    default void hookFailed(String bot, Hooks hooks, Throwable failure) {}

    /** {@code close()} was called from one of the bot's own threads, which it cannot wait for. */
    default void closedFromInside(String bot) {}

    /** {@code close()}'s grace period ended with the bot still running: what is left is cancelled. */
    default void graceExpired(String bot, Duration gracePeriod) {}

    // ---- emits ---------------------------------------------------------------------------------

    /** {@code event.start(emit)} found it already running: no second copy. */
    default void emitAlreadyRunning(String emit) {}

    /** {@code event.start(emit)} while the bot stops: not started. */
    default void emitNotStartedStopping(String emit) {}

    /** An emit's run began on its thread; {@code running}: emits running now, this one included. */
    default void emitStarted(String emit, int running) {}

    /** An emit's run ended after {@code epochs} iterations. */
    default void emitEnded(String emit, long epochs) {}

    /**
     * An iteration began, {@code lagNanos} after its scheduled instant (0 on time, and on the first
     * iteration of a run).
     */
    default void iterationStarted(String emit, long epoch, long lagNanos) {}

    /** An iteration ended after {@code durationNanos}; {@code failure}: what its handler threw, or null. */
    default void iterationEnded(String emit, long epoch, long durationNanos, @Nullable Throwable failure) {}

    /** An {@code ENTIRE}-mode iteration ran past the next scheduled start by {@code lagNanos}. */
    default void iterationOverran(String emit, long lagNanos) {}

    /**
     * A failed iteration and what the supervision decided; {@code restartWait} is the wait before
     * the next iteration under {@link Decision#RESTART}, else null.
     */
    default void emitFailed(String emit, Throwable failure, Decision decision, @Nullable Duration restartWait) {}

    /** A failure reached the emit loop after the emit was cancelled: logged, never lost. */
    default void failedAfterCancel(String emit, Throwable failure) {}

    /** A forked execute failed and neither the iteration nor anyone else joined it. */
    default void unjoinedFailure(String emit, String execute, Throwable failure) {}

    // ---- executes ------------------------------------------------------------------------------

    /** Whether {@link #attemptStarted} and {@link #attemptEnded} are wanted now. */
    default boolean observesAttempts() {
        return false;
    }

    /** Attempt {@code attempt} (1, 2, …) of a call started, holding {@code groups}. */
    default void attemptStarted(String execute, int attempt, List<? extends ConcurrentGroup> groups) {}

    /** The attempt ended after {@code durationNanos}; {@code failure}: what it threw, or null. */
    default void attemptEnded(String execute, int attempt, List<? extends ConcurrentGroup> groups,
            long durationNanos, @Nullable Throwable failure) {}

    /** An attempt waited {@code waitedNanos} for a slot of {@code group} or for its window start. */
    default void groupWaited(String execute, String group, Wait what, long waitedNanos) {}

    /** A failed attempt will be retried after {@code wait}; {@code retry} is 1 for the first retry. */
    default void retryScheduled(String execute, int retry, Duration wait, Throwable cause) {}

    /**
     * An attempt timed out ({@code ExecuteOptions.attemptTimeout}) but its handler ignored the
     * interrupt and returned only {@code overranNanos} after the deadline, holding its slots all
     * along (a thread cannot be killed). Called once per such attempt, on its thread, when it returns.
     */
    default void attemptOverran(String execute, int attempt, Duration timeout, long overranNanos) {}

    // ---- circuit breakers ------------------------------------------------------------------------

    /**
     * {@code breaker} changed from {@code from} to {@code to}; {@code openWait}: for a change to open,
     * how long it stays open, else null. Called by the thread that made the change (a call, or the
     * clock's timer thread at the end of an open wait or a half-open bound).
     */
    default void circuitStateChanged(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to,
            @Nullable Duration openWait) {}

    /** An observer that sees nothing. */
    Observer NONE = new Observer() {};
}
