package dev.exmachina.core.internal.execute;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Forked;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.observe.Observer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A forked execute's outcome. Written once by the thread that runs it; {@code done} is published
 * last, then every joiner is unparked through the clock. A failure that nobody has joined once both
 * the execute and the iteration that forked it have ended is logged at ERROR, once.
 *
 * <p><b>Cancellation.</b> As with a future: {@link #cancel()} before the outcome is published marks
 * the fork cancelled (a body not yet begun never begins; a running one is interrupted) and
 * {@link #join()} then throws {@link CancellationException}; after that, cancel does nothing and join
 * gives the outcome. The move to cancelled and the move to done are made under {@code lock}, so
 * exactly one of them wins; {@code thread} is written under it too, so that a cancel either finds
 * the thread to interrupt or keeps the body from starting. No clock call is made while it is held.
 *
 * <p>A fork is also cancelled when its bot cancelled the work on its thread (its emit was
 * cancelled, or {@code close()} cancels everything) and it ended with a failure before its own
 * {@link #cancel()} came: the failure is the cancel's doing, so it counts as cancelled, and is
 * never reported as a failure nobody joined.
 */
public final class ForkedImpl<R extends @Nullable Object> implements Forked<R>, Cancellation {

    private final String name;
    private final String emit;
    private final BotClock clock;
    private final Observer observer;
    /** Whether the bot cancelled the work on a thread. */
    private final Predicate<Thread> botCancelled;
    private final ReentrantLock lock = new ReentrantLock();
    /** The execute's end and its iteration's end: the second one checks for an unjoined failure. */
    private final AtomicInteger endsToCome = new AtomicInteger(2);
    private final ConcurrentLinkedQueue<Thread> joiners = new ConcurrentLinkedQueue<>();
    /** Guarded by {@code lock}: the thread running the body, while it does. */
    private @Nullable Thread thread;
    /** Set under {@code lock}, only while not done. */
    private volatile boolean cancelled;
    private volatile boolean joined;
    /** Set under {@code lock}, only once, after the outcome was written. */
    private volatile boolean done;
    /** What the body holds while it sleeps (a reserved window start), for {@link #cancel()} to give back. */
    private volatile @Nullable HeldWhileWaiting held;
    private @Nullable R result;
    private @Nullable Throwable failure;

    /**
     * @param name the execute's name
     * @param emit the name of the emit that forked it
     * @param clock the bot's clock
     * @param observer the bot's observer
     * @param botCancelled whether the bot cancelled the work running on a thread
     */
    public ForkedImpl(String name, String emit, BotClock clock, Observer observer, Predicate<Thread> botCancelled) {
        this.name = name;
        this.emit = emit;
        this.clock = clock;
        this.observer = observer;
        this.botCancelled = botCancelled;
    }

    public interface Body<R> {
        R run() throws Exception;
    }

    /** Runs in the forked thread; {@code onDone} runs once the outcome is published. */
    public void run(Body<R> body, Runnable onDone) {
        boolean start;
        lock.lock();
        try {
            start = !cancelled;
            if (start) {
                thread = Thread.currentThread();
            }
        } finally {
            lock.unlock();
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
            // Asked while this thread still runs the fork (the bot looks for it among its emit's forks).
            boolean cancelledByBot = failure != null && !cancelled && botCancelled.test(Thread.currentThread());
            lock.lock();
            try {
                thread = null;
                if (cancelledByBot) {
                    cancelled = true; // its cancel() is on its way: the failure is the cancel's doing
                }
                done = true;
            } finally {
                lock.unlock();
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
    public boolean runsOn(Thread candidate) {
        lock.lock();
        try {
            return thread == candidate;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isDone() {
        return done;
    }

    /**
     * Before the execute finished: marks it cancelled, gives back at once what it holds while it
     * sleeps (a reserved window start: free again when this returns), and interrupts it; after:
     * does nothing.
     */
    @Override
    public void cancel() {
        Thread running;
        lock.lock();
        try {
            if (done || cancelled) {
                return;
            }
            cancelled = true;
            running = thread;
        } finally {
            lock.unlock();
        }
        HeldWhileWaiting sleepingWith = held; // read after writing cancelled: see holding()
        if (sleepingWith != null) {
            sleepingWith.giveBackNow();
        }
        if (running != null) {
            clock.interrupt(running);
        }
    }

    /**
     * The body sleeps holding {@code held}, or holds nothing any more (null). The body writes it
     * before it checks for a cancel, and {@link #cancel()} reads it after marking the fork cancelled,
     * so one of the two sees the other: the grant is given back by exactly one ({@link HeldWhileWaiting}).
     */
    @Override
    public void holding(@Nullable HeldWhileWaiting held) {
        this.held = held;
    }

    @Override
    public String toString() {
        return "forked execute '" + name + "'" + (done ? " (done)" : "");
    }
}
