package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.AttemptTimeoutException;
import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The deadline of one attempt, innermost, while the attempt holds its groups: from the attempt's
 * start, the earlier of its own timeout ({@code attemptTimeout}) and the call's {@link Deadline}.
 *
 * <p><b>Holds</b> one clock timer ({@link AttemptTimer}) while the handler runs, disarmed when it
 * returns. At the deadline the timer interrupts the thread; the attempt then fails with an
 * {@link AttemptTimeoutException} (retried if a rule says so) or, for the call's deadline, the
 * call's {@link dev.exmachina.core.CallTimeoutException} (never retried), whatever the handler threw
 * or returned after the interrupt. The timer's interrupt is cleared once the handler returned, so
 * it is never taken for a cancel; a real cancel is still seen through the token and the bot. A
 * handler that ignored the interrupt and returned more than {@link #OVERRUN_TOLERANCE_NANOS} after
 * the deadline is reported once ({@code attemptOverran}): it kept its slots until then.
 */
public final class AttemptTimeout implements Policy {

    /**
     * A handler that returns this long after its attempt's deadline ignored the interrupt: reported
     * once. Returning sooner is reacting to it.
     */
    static final long OVERRUN_TOLERANCE_NANOS = 10_000_000;

    private final ExecuteContext context;
    /** The attempt's own limit; empty when only the call's deadline is kept here. */
    private final Optional<Duration> timeout;

    private AttemptTimeout(ExecuteContext context, Optional<Duration> timeout) {
        this.context = context;
        this.timeout = timeout;
    }

    /** Each attempt may run {@code timeout} at most, and no later than the call's deadline. */
    public static AttemptTimeout of(ExecuteContext context, Duration timeout) {
        return new AttemptTimeout(context, Optional.of(timeout));
    }

    /** An attempt may run until the call's deadline: a call timeout without an attempt timeout. */
    public static AttemptTimeout untilCallDeadline(ExecuteContext context) {
        return new AttemptTimeout(context, Optional.empty());
    }

    @Override
    public Place place() {
        return Place.ATTEMPT_TIMEOUT;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline deadline, int attempt) -> {
            BotClock clock = context.clock();
            long attemptDeadline = timeout.isEmpty() ? BotClock.NO_DEADLINE : Waits.deadline(clock.nanoTime(), timeout.get());
            long at = deadline.earlierThan(attemptDeadline);
            if (at == BotClock.NO_DEADLINE) {
                return inner.run(argument, token, deadline, attempt);
            }
            boolean ofCall = deadline.is(at) && at != attemptDeadline;
            AttemptTimer timer = null;
            R result = null;
            Throwable failure = null;
            try { // inside: a clock failing to schedule fails the attempt
                timer = new AttemptTimer(clock, at, ofCall);
                result = inner.run(argument, token, deadline, attempt);
            } catch (Throwable t) {
                failure = t;
            }
            if (timer != null && timer.disarm()) {
                throw timedOut(timer, token, deadline, attempt, failure);
            }
            if (failure != null) {
                throw Step.rethrow(failure);
            }
            return result;
        };
    }

    /** The failure of an attempt whose timer fired; reports an overrun. */
    private Exception timedOut(AttemptTimer timer, Cancellation token, Deadline deadline, int attempt,
            @Nullable Throwable failure) {
        long overran = context.clock().nanoTime() - timer.deadline;
        Duration limit = timer.ofCall ? deadline.timeout() : timeout.orElseThrow();
        if (overran > OVERRUN_TOLERANCE_NANOS) {
            context.observer().attemptOverran(context.execute(), attempt, limit, overran);
        }
        if (context.cancelled(token, true)) {
            Thread.currentThread().interrupt(); // a real cancel came too: keep its interrupt
        }
        return timer.ofCall
                ? deadline.exceeded(attempt, "attempt " + attempt + " was interrupted at the deadline", failure)
                : new AttemptTimeoutException(context.execute(), attempt, limit, failure);
    }

    @Override
    public String toString() {
        return timeout.map(limit -> "attempt timeout " + limit).orElse("attempt timeout at the call's deadline");
    }
}
