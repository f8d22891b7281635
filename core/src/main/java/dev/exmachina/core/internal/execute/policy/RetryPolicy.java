package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.Policy;
import dev.exmachina.core.internal.execute.Step;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Retry: runs the steps inside it (breaker, admission, the attempt) again after a failure, as the
 * execute's {@link Retry} rules say, sleeping on the bot clock in between.
 *
 * <p><b>Holds</b> nothing across a wait: every slot and window start is taken inside it, so a
 * retry waits holding no slot. Its per-call state (the rules' {@link RetryState}) is made at the
 * first failure only, so a call that succeeds allocates nothing here.
 *
 * <p><b>Never retried:</b> a cancelled call (interrupt, token, or the bot's word on the thread:
 * {@link ExecuteContext#cancelled}) and a call out of time ({@link CallTimeoutException}). A retry
 * wait that would end at or past the call's {@link Deadline} fails the call at once.
 */
public final class RetryPolicy implements Policy {

    private final Retry retry;
    private final ExecuteContext context;
    private final String waitBlocker;

    /**
     * @param retry the execute's rules
     * @param context the execute's name, clock, observer and cancellation
     */
    public RetryPolicy(Retry retry, ExecuteContext context) {
        this.retry = retry;
        this.context = context;
        this.waitBlocker = "the retry wait of execute '" + context.execute() + "'";
    }

    @Override
    public Place place() {
        return Place.RETRY;
    }

    @Override
    public <A extends @Nullable Object, R extends @Nullable Object> Step<A, R> wrap(Step<A, R> inner) {
        return (A argument, Cancellation token, Deadline deadline, int first) -> {
            RetryState retries = null;
            for (int attempt = first; ; attempt++) {
                Throwable failure;
                try {
                    return inner.run(argument, token, deadline, attempt);
                } catch (Throwable t) {
                    failure = t;
                }
                if (failure instanceof InterruptedException || failure instanceof CallTimeoutException
                        || context.cancelled(token, true)) {
                    throw Step.rethrow(failure); // cancelled or out of time: never retried
                }
                if (retries == null) {
                    retries = retry.start(context.clock().random());
                }
                waitToRetry(failure, retries, deadline, attempt);
            }
        };
    }

    /** Sleeps until the next attempt may start, or throws what ends the call. */
    private void waitToRetry(Throwable failure, RetryState retries, Deadline deadline, int attempt) throws Exception {
        Duration wait = retries.onFailure(failure);
        if (wait == null) {
            throw Step.rethrow(failure);
        }
        BotClock clock = context.clock();
        long now = clock.nanoTime();
        long retryAt = Waits.deadline(now, wait);
        if (deadline.reachedBy(retryAt)) {
            throw deadline.exceeded(attempt, "retry " + retries.retries() + " would wait " + wait
                    + ", until the deadline or past it (" + deadline.left(now) + " left)", failure);
        }
        Observer observer = context.observer();
        observer.retryScheduled(context.execute(), retries.retries(), wait, failure);
        Waits.sleepUntil(clock, waitBlocker, retryAt);
    }

    @Override
    public String toString() {
        return "retry " + retry;
    }
}
