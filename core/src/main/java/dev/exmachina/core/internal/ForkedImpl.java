package dev.exmachina.core.internal;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Forked;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A forked execute's outcome. Written once by the thread that runs it; {@code done} is published
 * last, then every joiner is unparked through the clock.
 */
final class ForkedImpl<R extends @Nullable Object> implements Forked<R> {

    private final String name;
    private final BotClock clock;
    private final ConcurrentLinkedQueue<Thread> joiners = new ConcurrentLinkedQueue<>();
    private volatile @Nullable Thread thread;
    private volatile boolean cancelled;
    private volatile boolean joined;
    private volatile boolean done;
    private @Nullable R result;
    private @Nullable Throwable failure;

    ForkedImpl(String name, BotClock clock) {
        this.name = name;
        this.clock = clock;
    }

    interface Body<R> {
        R run() throws Exception;
    }

    /** Runs in the forked thread. */
    void run(Body<R> body) {
        thread = Thread.currentThread();
        try {
            if (cancelled) {
                failure = new CancellationException("cancelled before it started");
            } else {
                result = body.run();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            thread = null;
            done = true;
            for (Thread joiner : joiners) {
                clock.unpark(joiner);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    @SuppressWarnings("NullAway")
    public R join() throws Exception {
        joined = true;
        if (!done) {
            joiners.add(Thread.currentThread());
            Waits.await(clock, this, () -> done, BotClock.NO_DEADLINE);
        }
        if (cancelled) {
            var e = new CancellationException("forked execute '" + name + "' was cancelled");
            if (failure != null) {
                e.initCause(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw ExecuteImpl.rethrow(failure);
        }
        return result;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void cancel() {
        cancelled = true;
        Thread running = thread;
        if (running != null && !done) {
            clock.interrupt(running);
        }
    }

    /** A failure nobody will see unless it is logged: failed, not cancelled, never joined. */
    @Nullable Throwable unjoinedFailure() {
        return done && !joined && !cancelled ? failure : null;
    }

    @Override
    public String toString() {
        return "forked execute '" + name + "'" + (done ? " (done)" : "");
    }
}
