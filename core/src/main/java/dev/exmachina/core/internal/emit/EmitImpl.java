package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.engine.BotRuntime;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.execute.ForkedImpl;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.scope.TaskScope;
import dev.exmachina.retry.RetryState;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An emit: its registration, its lifecycle state, and the loop its thread runs. A run of the loop
 * owns the scope its executes are forked into, opened on the first fork: the run ends only after
 * every forked execute has (forks may outlive the iteration that forked them, not the run).
 *
 * <p><b>State.</b> {@link #state} is one of
 * <ul>
 *   <li>{@code IDLE}: not running, no start pending. {@link #isAlive()} is false only here.
 *   <li>{@code QUEUED}: a start was accepted; the supervisor forks the loop.
 *   <li>{@code RUNNING}: the loop runs on {@link #thread} and begins iteration after iteration.
 *   <li>{@code STOPPING}: a graceful stop: the iteration running finishes (or, if the loop had not
 *       begun, its first iteration runs: a start is not undone by a graceful stop), no further one
 *       begins.
 *   <li>{@code CANCELLING}: the loop's thread and its forks are interrupted; no iteration begins,
 *       and no fork starts its body. Alive until the loop has ended.
 * </ul>
 * plus {@link #exhausted}, a fact of the last run (it ran its whole count), which keeps
 * {@code run()}'s autostart from running it again.
 *
 * <p><b>Transitions</b>, each by one method of this class, the only writers of the state:
 * <pre>
 *   IDLE -&gt; QUEUED                          queue()    the supervisor, under its lock
 *   QUEUED -&gt; RUNNING                       begin()    the loop's thread, first thing
 *   QUEUED, RUNNING -&gt; STOPPING             stop()     any thread
 *   QUEUED, RUNNING, STOPPING -&gt; CANCELLING cancel()   any thread
 *   RUNNING, STOPPING, CANCELLING -&gt; IDLE   end()      the loop's thread, last thing
 *   QUEUED, STOPPING, CANCELLING -&gt; IDLE    unqueue()  the supervisor, under its lock, for a start
 *                                                      it has not forked (the bot stops)
 * </pre>
 * Any other call leaves the state as it is (stop or cancel of an idle emit does nothing).
 *
 * <p><b>Lock rule.</b> {@link #lock} guards {@code state}, {@code exhausted}, {@code thread} and
 * {@code forks}; {@code state} is also volatile, so the loop's waits read it without the lock. The
 * lock is never held while calling out (clock, observer, host, handler, forks). Lock order: the
 * supervisor's lock, then an emit's lock; an emit never takes another lock while holding its own.
 */
public final class EmitImpl implements Emit {

    /** The lifecycle state of an emit; see the class comment. */
    public enum State { IDLE, QUEUED, RUNNING, STOPPING, CANCELLING }

    private final BotRuntime runtime;
    private final EmitHost host;
    private final String name;
    private final EmitOptions options;
    private final EmitHandler handler;
    private final BotClock.WaitReason intervalWait;
    /** The condition of every wait between iterations: no longer plainly running. */
    private final BooleanSupplier stopped = () -> this.state != State.RUNNING;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; volatile for lock-free reads. */
    private volatile State state = State.IDLE;
    /** Guarded by {@link #lock}: the last run ran its whole count. */
    private boolean exhausted;
    /** Guarded by {@link #lock}: the loop's thread, from begin() to end(). */
    private @Nullable Thread thread;
    /**
     * Guarded by {@link #lock}: forked executes still running, in fork order (so cancelling them is
     * deterministic); made on the first fork, as most emits never fork.
     */
    private @Nullable Set<ForkedImpl<?>> forks;

    /** The current run's scope, opened on its first fork; loop thread only. */
    private @Nullable TaskScope scope;
    /** Consecutive failures under {@link Supervision.Restart}; loop thread only. */
    private @Nullable RetryState restarts;
    /** Iterations of the current run; loop thread only. */
    private long epoch;

    /** Compared by identity: "wait the usual interval" after a failure that the loop goes on from. */
    private static final Duration USUAL_INTERVAL = Duration.ofNanos(-1);

    public EmitImpl(BotRuntime runtime, EmitHost host, String name, EmitOptions options, EmitHandler handler) {
        this.runtime = runtime;
        this.host = host;
        this.name = name;
        this.options = options;
        this.handler = handler;
        this.intervalWait = new BotClock.WaitReason("the interval of emit '" + name + "'", options.count() == null);
    }

    public BotRuntime runtime() {
        return runtime;
    }

    public EmitHost host() {
        return host;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EmitOptions options() {
        return options;
    }

    @Override
    public boolean isAlive() {
        return state != State.IDLE;
    }

    public State state() {
        return state;
    }

    // ---- transitions ----------------------------------------------------------------------------

    /**
     * IDLE -&gt; QUEUED. Supervisor only, under its lock.
     *
     * @param autostart true for {@code run()}'s autostart, which leaves an exhausted emit alone;
     *     false for {@code event.start}, which runs a finished count again
     * @return whether the emit was queued (false: it is alive, or exhausted and {@code autostart})
     */
    public boolean queue(boolean autostart) {
        lock.lock();
        try {
            if (state != State.IDLE || (autostart && exhausted)) {
                return false;
            }
            exhausted = false;
            state = State.QUEUED;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Back to IDLE for a start the supervisor queued and will not fork. Supervisor only, under its lock. */
    public void unqueue() {
        lock.lock();
        try {
            assert thread == null && state != State.RUNNING && state != State.IDLE : this + " is not only queued";
            state = State.IDLE;
        } finally {
            lock.unlock();
        }
    }

    /** QUEUED -&gt; RUNNING (STOPPING stays). Loop thread. @return false if cancelled before it began. */
    private boolean begin() {
        lock.lock();
        try {
            assert state != State.IDLE && state != State.RUNNING : this + " begins from " + state;
            thread = Thread.currentThread();
            if (state == State.QUEUED) {
                state = State.RUNNING;
            }
            return state != State.CANCELLING;
        } finally {
            lock.unlock();
        }
    }

    /** Any state -&gt; IDLE at the end of a run. Loop thread. */
    private void end(boolean ranWholeCount) {
        lock.lock();
        try {
            assert thread == Thread.currentThread() : "end() on " + Thread.currentThread() + ", not the loop's thread";
            thread = null;
            exhausted = ranWholeCount;
            state = State.IDLE;
        } finally {
            lock.unlock();
        }
    }

    /** Graceful: QUEUED, RUNNING -&gt; STOPPING; the current iteration finishes, no further one begins. Any thread. */
    public void stop() {
        Thread running;
        lock.lock();
        try {
            if (state != State.QUEUED && state != State.RUNNING) {
                return;
            }
            state = State.STOPPING;
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            runtime.clock().unpark(running); // cut the interval wait short
        }
    }

    /** Now: QUEUED, RUNNING, STOPPING -&gt; CANCELLING; the thread and every fork are interrupted. Any thread. */
    public void cancel() {
        Thread running;
        List<ForkedImpl<?>> toCancel;
        lock.lock();
        try {
            if (state == State.IDLE || state == State.CANCELLING) {
                return;
            }
            state = State.CANCELLING;
            running = thread;
            toCancel = forks == null ? List.of() : List.copyOf(forks);
        } finally {
            lock.unlock();
        }
        if (running != null) {
            runtime.clock().interrupt(running);
        }
        toCancel.forEach(ForkedImpl::cancel);
    }

    // ---- queries --------------------------------------------------------------------------------

    /** Whether {@code candidate} runs this emit's loop or one of its forked executes now. Any thread. */
    public boolean runsOn(Thread candidate) {
        lock.lock();
        try {
            return runsOnLocked(candidate);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code candidate} runs work of this emit and the emit was cancelled. Any thread. */
    public boolean cancelledOn(Thread candidate) {
        lock.lock();
        try {
            return state == State.CANCELLING && runsOnLocked(candidate);
        } finally {
            lock.unlock();
        }
    }

    private boolean runsOnLocked(Thread candidate) {
        assert lock.isHeldByCurrentThread();
        if (thread == candidate) {
            return true;
        }
        if (forks != null) {
            for (ForkedImpl<?> forked : forks) {
                if (forked.runsOn(candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Interrupts every forked execute still running (the bot failed). Any thread. */
    public void cancelForks() {
        List<ForkedImpl<?>> snapshot;
        lock.lock();
        try {
            snapshot = forks == null ? List.of() : List.copyOf(forks);
        } finally {
            lock.unlock();
        }
        snapshot.forEach(ForkedImpl::cancel);
    }

    // ---- the run --------------------------------------------------------------------------------

    /**
     * Forks {@code execute} into this run's scope. Loop thread only. A fork of a cancelled emit is
     * cancelled before it starts: it never runs its body.
     */
    public <A extends @Nullable Object, R extends @Nullable Object> ForkedImpl<R> fork(ExecuteImpl<A, R> execute, A argument) {
        if (scope == null) {
            scope = new TaskScope(runtime.clock(), runtime.botName() + "/" + name,
                    escaped -> host.emitFailed(this, escaped));
        }
        ForkedImpl<R> forked = new ForkedImpl<>(execute.name(), name, runtime.clock(), runtime.observer());
        boolean cancelled;
        lock.lock();
        try {
            if (forks == null) {
                forks = new LinkedHashSet<>();
            }
            forks.add(forked);
            cancelled = state == State.CANCELLING; // read with the add: a later cancel() sees the fork
        } finally {
            lock.unlock();
        }
        if (cancelled) {
            forked.cancel();
        }
        scope.fork(() -> forked.run(() -> execute.call(argument), () -> forgetFork(forked)));
        return forked;
    }

    private void forgetFork(ForkedImpl<?> forked) {
        lock.lock();
        try {
            if (forks != null) {
                forks.remove(forked);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The loop, on the emit's own thread, forked by the supervisor after {@link #queue}. Throws
     * nothing: a failure, or anything escaping the loop, goes to the host; the emit is idle and the
     * host told before it returns.
     */
    public void runLoop() {
        Observer observer = runtime.observer();
        Thread.currentThread().setName(runtime.botName() + "/" + name); // the root scope names threads by bot only
        boolean ranWholeCount = false;
        boolean begun = false;
        long epochs = 0;
        try {
            begun = begin();
            if (begun) {
                observer.emitStarted(name, host.runningEmits());
                ranWholeCount = loop(observer);
            }
        } catch (InterruptedException e) {
            if (state != State.CANCELLING) {
                fail(e, observer); // an interrupt nobody asked for through cancel(): not lost
            }
            // else: cancelled while waiting between iterations, the loop ends here
        } catch (Throwable escaped) {
            fail(escaped, observer);
        } finally {
            try {
                closeScope();
            } catch (Throwable escaped) {
                fail(escaped, observer);
            } finally {
                epochs = epoch;
                end(ranWholeCount);
                host.emitEnded(this);
                if (begun) {
                    observer.emitEnded(name, epochs);
                }
            }
        }
    }

    private void fail(Throwable failure, Observer observer) {
        observer.emitFailed(name, failure, Observer.Decision.STOP_BOT, null);
        host.emitFailed(this, failure);
    }

    /** @return whether the run ran its whole count */
    private boolean loop(Observer observer) throws InterruptedException {
        BotClock clock = runtime.clock();
        restarts = null; // a new run starts with the restart policy's full budget
        epoch = 0;
        Long count = options.count();
        long remaining = count == null ? -1 : count;
        long interval = options.interval().toNanos(); // fits: EmitOptions refuses more
        long previous = 0;
        long end = 0;
        long scheduled = 0; // when the next iteration was due, for its lag
        boolean waited = true; // whether time may have passed since the last iteration ended
        // The first iteration runs unless the emit was cancelled (begin() said so): a stop does not undo a start.
        while (remaining != 0 && (epoch == 0 || state == State.RUNNING)) {
            long begin = waited ? clock.nanoTime() : end; // no wait, no second clock read
            waited = true;
            epoch++;
            if (remaining > 0) {
                remaining--;
            }
            observer.iterationStarted(name, epoch, epoch == 1 ? 0 : Math.max(0, begin - scheduled));
            EventImpl event = new EventImpl(this, epoch, previous, remaining);
            Throwable failure = null;
            try {
                handler.handle(event);
            } catch (Throwable t) {
                failure = t;
            }
            event.end();
            end = clock.nanoTime();
            previous = end - begin;
            observer.iterationEnded(name, epoch, previous, failure);
            if (state == State.CANCELLING) {
                if (failure != null && !isCancellation(failure)) {
                    observer.failedAfterCancel(name, failure); // a real failure: logged, never lost
                }
                break;
            }
            if (failure != null) {
                Duration wait = onFailure(failure);
                if (wait == null) {
                    break;
                }
                if (wait != USUAL_INTERVAL) {
                    scheduled = Waits.deadline(end, wait);
                    if (Waits.await(clock, intervalWait, stopped, scheduled)) {
                        break; // stopped during the wait
                    }
                    continue; // the restart wait replaces the interval
                }
            } else {
                restarts = null;
            }
            if (remaining == 0 || state != State.RUNNING || interval == 0) {
                waited = false;
                scheduled = end;
                continue;
            }
            scheduled = plus(options.mode() == EmitMode.AFTER ? end : begin, interval);
            if (scheduled - end < 0) {
                observer.iterationOverran(name, end - scheduled);
                waited = false;
                continue;
            }
            Waits.await(clock, intervalWait, stopped, scheduled);
        }
        return remaining == 0;
    }

    /**
     * What a cancel itself makes code throw (an interrupted wait or I/O, a cancelled fork's join): not
     * a failure of that code when the bot asked for the cancel.
     */
    public static boolean isCancellation(Throwable failure) {
        return failure instanceof InterruptedException
                || failure instanceof InterruptedIOException
                || failure instanceof ClosedByInterruptException
                || failure instanceof CancellationException;
    }

    /** {@code time + nanos}, saturating below {@link BotClock#NO_DEADLINE}. */
    private static long plus(long time, long nanos) {
        long sum = time + nanos;
        return ((time ^ sum) & (nanos ^ sum)) < 0 || sum == BotClock.NO_DEADLINE ? BotClock.NO_DEADLINE - 1 : sum;
    }

    /**
     * Applies the emit's supervision to a failed iteration.
     *
     * <p>Under {@link Supervision.Restart}, a restart policy that throws (a rule's filter or the
     * retry listener) stops the bot with the policy's exception, which carries the handler's failure
     * as suppressed (the retry module adds it): neither is lost.
     *
     * @return how long to wait before the next iteration ({@link #USUAL_INTERVAL}: as after a
     *     success), or null to end the loop
     */
    private @Nullable Duration onFailure(Throwable failure) {
        Observer observer = runtime.observer();
        return switch (options.supervision()) {
            case Supervision.StopBot stop -> {
                fail(failure, observer);
                yield null;
            }
            case Supervision.LogAndContinue go -> {
                observer.emitFailed(name, failure, Observer.Decision.CONTINUE, null);
                yield USUAL_INTERVAL;
            }
            case Supervision.Restart restart -> {
                Duration wait;
                try {
                    if (restarts == null) {
                        restarts = restart.retry().start(runtime.clock().random());
                    }
                    wait = restarts.onFailure(failure);
                } catch (Throwable policyFailed) {
                    if (policyFailed != failure && !List.of(policyFailed.getSuppressed()).contains(failure)) {
                        policyFailed.addSuppressed(failure);
                    }
                    fail(policyFailed, observer);
                    yield null;
                }
                if (wait == null) {
                    fail(failure, observer);
                    yield null;
                }
                observer.emitFailed(name, failure, Observer.Decision.RESTART, wait);
                yield wait;
            }
        };
    }

    /** Waits for this run's forked executes (cancelled first if the emit was), then closes the scope. */
    private void closeScope() {
        TaskScope open = scope;
        if (open == null) {
            return;
        }
        scope = null;
        if (state == State.CANCELLING) {
            cancelForks();
        }
        open.close();
    }

    @Override
    public String toString() {
        return "emit '" + name + "'";
    }
}
