package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Forked;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.observe.Observer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A forked execute's outcome. Written once by the thread that runs it; {@code done} is published
 * last, then every joiner is unparked through the clock. A failure that nobody has joined once both
 * the execute and the iteration that forked it have ended is logged at ERROR, once.
 *
 * <p><b>Cancellation.</b> As with a future: {@link #cancel()} before the outcome is published marks
 * the fork cancelled (a body not yet begun never begins; a running one is interrupted) and
 * {@link #join()} then throws {@link CancellationException}; after that, cancel does nothing and join
 * gives the outcome. The move to cancelled and the move to done are made under {@code this}'s
 * monitor, so exactly one of them wins; {@code thread} is written under it too, so that a cancel
 * either finds the thread to interrupt or keeps the body from starting. No clock call is made
 * while it is held.
 */
public final class ForkedImpl<R extends @Nullable Object> implements Forked<R>, Cancellation {

    private final String name;
    private final String emit;
    private final BotClock clock;
    private final Observer observer;
    /** The execute's end and its iteration's end: the second one checks for an unjoined failure. */
    private final AtomicInteger endsToCome = new AtomicInteger(2);
    private final ConcurrentLinkedQueue<Thread> joiners = new ConcurrentLinkedQueue<>();
    /** Guarded by {@code this}: the thread running the body, while it does. */
    private @Nullable Thread thread;
    /** Set under {@code this}, only while not done. */
    private volatile boolean cancelled;
    private volatile boolean joined;
    /** Set under {@code this}, only once, after the outcome was written. */
    private volatile boolean done;
    private @Nullable R result;
    private @Nullable Throwable failure;

    public ForkedImpl(String name, String emit, BotClock clock, Observer observer) {
        this.name = name;
        this.emit = emit;
        this.clock = clock;
        this.observer = observer;
    }

    public interface Body<R> {
        R run() throws Exception;
    }

    /** Runs in the forked thread; {@code onDone} runs once the outcome is published. */
    public void run(Body<R> body, Runnable onDone) {
        boolean start;
        synchronized (this) {
            start = !cancelled;
            if (start) {
                thread = Thread.currentThread();
            }
        }
        try {
            if (start) {
                result = body.run();
            } else {
                failure = new CancellationException("cancelled before it started");
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (this) {
                thread = null;
                done = true;
            }
            for (Thread joiner : joiners) {
                clock.unpark(joiner);
            }
            try {
                onDone.run();
            } finally {
                ended();
            }
        }
    }

    /** Called once when the iteration that forked this execute ends. */
    public void iterationEnded() {
        ended();
    }

    private void ended() {
        if (endsToCome.decrementAndGet() == 0 && done && !joined && !cancelled && failure != null) {
            observer.unjoinedFailure(emit, name, failure);
        }
    }

    /** Whether {@link #cancel()} took effect (it was called before the execute finished). */
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BotClock clock() {
        return clock;
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

    /** Whether this execute runs on {@code candidate} now. */
    public synchronized boolean runsOn(Thread candidate) {
        return thread == candidate;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    /** Before the execute finished: marks it cancelled and interrupts it; after: does nothing. */
    @Override
    public void cancel() {
        Thread running;
        synchronized (this) {
            if (done || cancelled) {
                return;
            }
            cancelled = true;
            running = thread;
        }
        if (running != null) {
            clock.interrupt(running);
        }
    }

    @Override
    public String toString() {
        return "forked execute '" + name + "'" + (done ? " (done)" : "");
    }
}
