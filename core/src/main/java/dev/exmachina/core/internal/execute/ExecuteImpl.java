package dev.exmachina.core.internal.execute;

import dev.exmachina.core.AttemptTimeoutException;
import dev.exmachina.core.BotClock;
import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * An execute: attempts through its groups' {@link GroupGate}, retries by its {@link Retry}, on the
 * bot's clock.
 *
 * <p><b>Cancellation.</b> A call is cancelled when its thread is interrupted, when its
 * {@link Cancellation} says so (a fork's own flag), or when its bot says the thread's work was
 * cancelled ({@link BotRuntime#cancelled}, which takes a lock: asked on slow paths only, after a
 * wait and after a failure). A handler may swallow the interrupt, so the flag alone is not enough.
 * A cancelled call never starts another attempt and is never retried; an attempt granted after the
 * cancel gives its grant back.
 *
 * <p><b>Backend failures.</b> A gate call that throws (a backend in another process) fails the
 * attempt with that exception, holding nothing: the retry rules apply to it as to a handler's
 * failure, and a failing release fails an attempt that had succeeded.
 *
 * <p><b>Time limits</b> ({@link ExecuteOptions}). An attempt timeout or a call timeout arms an
 * {@link AttemptTimer} around the handler: at the deadline it interrupts the thread; the attempt then
 * fails with {@link AttemptTimeoutException} (retried if a rule says so) or, for the call's deadline,
 * {@link CallTimeoutException} (never retried), whatever the handler threw or returned after the
 * interrupt. The timer's interrupt is cleared once the handler returned, so it is never taken for a
 * cancel; a real cancel is still seen through the token and the bot ({@code cancelled(token, true)}
 * without the flag). A handler that ignored the interrupt and returned more than
 * {@link #OVERRUN_TOLERANCE_NANOS} after the deadline is reported once ({@link Observer#attemptOverran}).
 * A {@code maxWait} or the call's deadline bounds the wait for the groups ({@link Admission}), and a
 * retry wait that would end past the call's deadline fails the call at once.
 *
 * <p><b>Hot path.</b> Uncontended, an attempt costs the gate's {@code tryEnter} and
 * {@code release} (in memory: one lock hold each, one clock read when the group has a window), an
 * interrupt-flag read and a volatile read, and allocates nothing; the clock is read for the
 * observer only when it {@linkplain Observer#observesAttempts() observes attempts}. An execute
 * without time limits reads no clock for them and schedules no timer.
 */
public final class ExecuteImpl<A extends @Nullable Object, R extends @Nullable Object> implements Execute<A, R> {

    private final BotRuntime runtime;
    private final String name;
    private final ExecuteHandler<A, R> handler;
    private final List<? extends ConcurrentGroup> groups;
    private final GroupGate gate;
    private final Admission admission;
    private final Retry retry;
    private final BotClock clock;
    private final String retryWait;
    /** The time limits, or null for none (the common case: then no limit is looked at). */
    private final @Nullable ExecuteOptions limits;

    /**
     * A handler that returns this long after its attempt's deadline ignored the interrupt: reported
     * once through {@link Observer#attemptOverran}. Returning sooner is reacting to it.
     */
    static final long OVERRUN_TOLERANCE_NANOS = 10_000_000;

    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler, Permits permits, Retry retry) {
        this(runtime, name, handler, permits.groups(), permits.gate(runtime.clock()), retry);
    }

    /** An execute with these options (groups already resolved into {@code permits}). */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler, Permits permits,
            ExecuteOptions options) {
        this(runtime, name, handler, permits.groups(), permits.gate(runtime.clock()), options);
    }

    /** An execute deciding through {@code gate} (of any backend) for {@code groups}, in global order. */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler,
            List<? extends ConcurrentGroup> groups, GroupGate gate, Retry retry) {
        this(runtime, name, handler, groups, gate, ExecuteOptions.defaults().retry(retry));
    }

    /**
     * An execute deciding through {@code gate} (of any backend) for {@code groups}, in global order,
     * with the retry and time limits of {@code options} (its group names are not looked at).
     */
    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler,
            List<? extends ConcurrentGroup> groups, GroupGate gate, ExecuteOptions options) {
        this.runtime = runtime;
        this.name = name;
        this.handler = handler;
        this.groups = List.copyOf(groups);
        this.gate = gate;
        this.retry = options.retry();
        this.limits = options.hasTimeLimits() ? options : null;
        this.clock = runtime.clock();
        this.admission = new Admission(name, gate, clock, runtime.observer(), token -> cancelled(token, true));
        this.retryWait = "the retry wait of execute '" + name + "'";
    }

    /** The bot this execute belongs to. */
    public BotRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public R call(A argument) throws Exception {
        return call(argument, Cancellation.NONE);
    }

    /**
     * Runs the execute in this thread for work that {@code token} can cancel (a fork passes its
     * handle), so that a cancel is seen even when a handler swallows the interrupt.
     */
    public R call(A argument, Cancellation token) throws Exception {
        // Kept tiny, and the loop without limits kept as it was, so the JIT inlines both as before.
        ExecuteOptions limits = this.limits;
        return limits == null ? callWithoutLimits(argument, token) : callWithLimits(argument, token, limits);
    }

    /** The attempt loop of an execute without time limits: no timer, no clock read for them. */
    private R callWithoutLimits(A argument, Cancellation token) throws Exception {
        RetryState retries = null;
        Observer observer = runtime.observer();
        int attempt = 0;
        while (true) {
            Throwable failure = null;
            Decision granted = null;
            try {
                granted = gate.tryEnter();
                if (granted.kind() != Decision.Kind.START_NOW || cancelled(token, false)) {
                    granted = admission.await(granted, token);
                }
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // The backend could not decide (its store is unreachable): the attempt fails with
                // that, holding nothing, and the retry rules decide as for any failure.
                granted = null;
                failure = e;
            }
            if (granted != null) {
                attempt++;
                // Asked once per attempt: an observer that does not want attempts costs no clock read.
                boolean observed = observer.observesAttempts();
                long began = 0;
                if (observed) {
                    began = clock.nanoTime();
                    observer.attemptStarted(name, attempt, groups);
                }
                R result = null;
                try {
                    result = handler.apply(argument);
                } catch (Throwable t) {
                    failure = t;
                }
                failure = release(granted, failure);
                if (observed) {
                    observer.attemptEnded(name, attempt, groups, clock.nanoTime() - began, failure);
                }
                if (failure == null) {
                    return result;
                }
            }
            if (failure instanceof InterruptedException || cancelled(token, true)) {
                throw rethrow(failure); // cancelled: never retried
            }
            if (retries == null) {
                retries = retry.start(clock.random());
            }
            Duration wait = retries.onFailure(failure);
            if (wait == null) {
                throw rethrow(failure);
            }
            observer.retryScheduled(name, retries.retries(), wait, failure);
            Waits.sleepUntil(clock, retryWait, Waits.deadline(clock.nanoTime(), wait));
        }
    }

    /** {@link #call(Object, Cancellation)} for an execute with time limits: the same loop, with deadlines. */
    private R callWithLimits(A argument, Cancellation token, ExecuteOptions limits) throws Exception {
        Duration attemptTimeout = limits.attemptTimeout();
        Duration maxWait = limits.maxWait();
        Duration callTimeout = limits.callTimeout();
        long callDeadline = callTimeout == null ? BotClock.NO_DEADLINE : Waits.deadline(clock.nanoTime(), callTimeout);
        RetryState retries = null;
        Observer observer = runtime.observer();
        int attempt = 0;
        while (true) {
            Throwable failure = null;
            Decision granted = null;
            try {
                granted = gate.tryEnter();
                if (granted.kind() != Decision.Kind.START_NOW || cancelled(token, false)) {
                    long since = clock.nanoTime();
                    long waitDeadline = maxWait == null ? callDeadline
                            : earlier(Waits.deadline(since, maxWait), callDeadline);
                    try {
                        granted = admission.await(granted, token, since, waitDeadline);
                    } catch (Admission.Expired expired) {
                        granted = null;
                        Duration waited = Duration.ofNanos(expired.waitedNanos);
                        if (waitDeadline == callDeadline && callTimeout != null) {
                            throw new CallTimeoutException(name, attempt, callTimeout, "waited " + waited
                                    + " for concurrent group '" + expired.group + "', " + expired.getMessage(), null);
                        }
                        failure = new GroupWaitTimeoutException(name, expired.group, waited,
                                java.util.Objects.requireNonNull(maxWait), expired.getMessage());
                    }
                }
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                granted = null;
                failure = e;
            }
            if (granted != null) {
                attempt++;
                boolean observed = observer.observesAttempts();
                long began = clock.nanoTime();
                if (observed) {
                    observer.attemptStarted(name, attempt, groups);
                }
                long attemptDeadline = attemptTimeout == null ? BotClock.NO_DEADLINE : Waits.deadline(began, attemptTimeout);
                long deadline = earlier(attemptDeadline, callDeadline);
                AttemptTimer timer = null;
                R result = null;
                try {
                    if (deadline != BotClock.NO_DEADLINE) { // inside: a clock failing to schedule fails the attempt, holding nothing
                        timer = new AttemptTimer(clock, deadline, deadline == callDeadline && deadline != attemptDeadline);
                    }
                    result = handler.apply(argument);
                } catch (Throwable t) {
                    failure = t;
                }
                if (timer != null && timer.disarm()) {
                    result = null;
                    long overran = clock.nanoTime() - timer.deadline;
                    if (overran > OVERRUN_TOLERANCE_NANOS) {
                        observer.attemptOverran(name, attempt,
                                timer.ofCall ? java.util.Objects.requireNonNull(callTimeout)
                                        : java.util.Objects.requireNonNull(attemptTimeout), overran);
                    }
                    failure = timer.ofCall
                            ? new CallTimeoutException(name, attempt, java.util.Objects.requireNonNull(callTimeout),
                                    "attempt " + attempt + " was interrupted at the deadline", failure)
                            : new AttemptTimeoutException(name, attempt, java.util.Objects.requireNonNull(attemptTimeout), failure);
                    if (cancelled(token, true)) {
                        Thread.currentThread().interrupt(); // a real cancel came too: keep its interrupt
                    }
                }
                failure = release(granted, failure);
                if (observed) {
                    observer.attemptEnded(name, attempt, groups, clock.nanoTime() - began, failure);
                }
                if (failure == null) {
                    return result;
                }
            }
            if (failure instanceof InterruptedException || failure instanceof CallTimeoutException
                    || cancelled(token, true)) {
                throw rethrow(failure); // cancelled or out of time: never retried
            }
            if (retries == null) {
                retries = retry.start(clock.random());
            }
            Duration wait = retries.onFailure(failure);
            if (wait == null) {
                throw rethrow(failure);
            }
            long now = clock.nanoTime();
            long retryAt = Waits.deadline(now, wait);
            if (callTimeout != null && retryAt - callDeadline >= 0) {
                throw new CallTimeoutException(name, attempt, callTimeout, "retry " + retries.retries() + " would wait "
                        + wait + ", until the deadline or past it (" + Duration.ofNanos(Math.max(0, callDeadline - now)) + " left)", failure);
            }
            observer.retryScheduled(name, retries.retries(), wait, failure);
            Waits.sleepUntil(clock, retryWait, retryAt);
        }
    }

    /** The earlier of two deadlines, {@link BotClock#NO_DEADLINE} being later than any. */
    private static long earlier(long a, long b) {
        if (a == BotClock.NO_DEADLINE) {
            return b;
        }
        if (b == BotClock.NO_DEADLINE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    /**
     * Gives the attempt's slots back. A failing release (a backend in another process) fails the
     * attempt, or is attached to its failure; the handler's own failure stays the one thrown.
     */
    private @Nullable Throwable release(Decision granted, @Nullable Throwable failure) {
        try {
            gate.release(granted);
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Whether this call was cancelled: the interrupt flag, the token, and on slow paths
     * ({@code slow}) the bot's word on this thread's work.
     */
    private boolean cancelled(Cancellation token, boolean slow) {
        Thread me = Thread.currentThread();
        return me.isInterrupted() || token.isCancelled() || slow && runtime.cancelled(me);
    }

    /** The failure as it was: checked exceptions and errors alike pass through unwrapped. */
    public static Exception rethrow(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof Exception exception) {
            return exception;
        }
        return new RuntimeException(failure);
    }

    @Override
    public String toString() {
        return "execute '" + name + "'";
    }
}
