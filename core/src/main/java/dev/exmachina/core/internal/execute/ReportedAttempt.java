package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.internal.execute.policy.Deadline;
import dev.exmachina.core.internal.observe.Observer;
import org.jspecify.annotations.Nullable;

/**
 * An attempt that started, told to the observer: its start, then its end with its duration and
 * outcome (a timeout included). Holds nothing. The clock is read only when the observer
 * {@linkplain Observer#observesAttempts() observes attempts}, asked once per attempt. Innermost
 * (no attempt timeout), it calls the handler itself: an execute without options runs one step.
 */
final class ReportedAttempt<A extends @Nullable Object, R extends @Nullable Object> implements Step<A, R> {

    private final String execute;
    private final ExecuteContext context;
    private final Observer observer;
    private final BotClock clock;
    private final ExecuteHandler<A, R> handler;
    /** The steps between the report and the handler, or null when the handler comes next. */
    private final @Nullable Step<A, R> inner;

    /** Reports {@code inner} (an attempt timeout around the handler), or the handler itself if null. */
    ReportedAttempt(ExecuteContext context, ExecuteHandler<A, R> handler, @Nullable Step<A, R> inner) {
        this.execute = context.execute();
        this.context = context;
        this.observer = context.observer();
        this.clock = context.clock();
        this.handler = handler;
        this.inner = inner;
    }

    private R attempt(A argument, Cancellation token, Deadline deadline, int attempt) throws Exception {
        Step<A, R> next = inner;
        return next == null ? handler.apply(argument) : next.run(argument, token, deadline, attempt);
    }

    @Override
    public R run(A argument, Cancellation token, Deadline deadline, int attempt) throws Exception {
        if (!observer.observesAttempts()) {
            return attempt(argument, token, deadline, attempt);
        }
        long began = clock.nanoTime();
        observer.attemptStarted(execute, attempt, context.groups());
        Throwable failure = null;
        try {
            return attempt(argument, token, deadline, attempt);
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            observer.attemptEnded(execute, attempt, context.groups(), clock.nanoTime() - began, failure);
        }
    }
}
