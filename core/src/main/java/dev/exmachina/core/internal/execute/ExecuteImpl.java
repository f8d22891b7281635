package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.engine.BotRuntime;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** An execute: attempts through its {@link Permits}, retries by its {@link Retry}, on the bot's clock. */
public final class ExecuteImpl<A extends @Nullable Object, R extends @Nullable Object> implements Execute<A, R> {

    private final BotRuntime runtime;
    private final String name;
    private final ExecuteHandler<A, R> handler;
    private final Permits permits;
    private final Retry retry;
    private final BotClock clock;
    private final String retryWait;

    public ExecuteImpl(BotRuntime runtime, String name, ExecuteHandler<A, R> handler, Permits permits, Retry retry) {
        this.runtime = runtime;
        this.name = name;
        this.handler = handler;
        this.permits = permits;
        this.retry = retry;
        this.clock = runtime.clock();
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
        RetryState retries = null;
        Observer observer = runtime.observer();
        int attempt = 0;
        while (true) {
            permits.acquire(clock);
            attempt++;
            Throwable failure = null;
            // Asked once per attempt: an observer that does not want attempts costs no clock read.
            boolean observed = observer.observesAttempts();
            long began = 0;
            if (observed) {
                began = clock.nanoTime();
                observer.attemptStarted(name, attempt, permits.groups());
            }
            try {
                return handler.apply(argument);
            } catch (Throwable t) {
                failure = t;
            } finally {
                permits.release(clock);
                if (observed) {
                    observer.attemptEnded(name, attempt, permits.groups(), clock.nanoTime() - began, failure);
                }
            }
            if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
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
