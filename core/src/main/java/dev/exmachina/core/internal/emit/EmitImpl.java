package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.execute.ForkedImpl;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * An emit: its registration, its lifecycle state, and the entry of the loop its thread runs (one
 * {@link EmitRun} per run, which owns the scope its executes are forked into: the run ends only
 * after every forked execute has; forks may outlive the iteration that forked them, not the run).
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
 *   IDLE -&gt; QUEUED                          queue()    the run state, under its lock
 *   QUEUED -&gt; RUNNING                       begin()    the loop's thread, first thing
 *   QUEUED, RUNNING -&gt; STOPPING             stop()     any thread
 *   QUEUED, RUNNING, STOPPING -&gt; CANCELLING cancel()   any thread
 *   RUNNING, STOPPING, CANCELLING -&gt; IDLE   end()      the loop's thread, last thing
 *   QUEUED, STOPPING, CANCELLING -&gt; IDLE    unqueue()  the run state, under its lock, for a start
 *                                                      the runner has not forked (the bot stops)
 * </pre>
 * Any other call leaves the state as it is (stop or cancel of an idle emit does nothing).
 *
 * <p><b>Lock rule.</b> {@link #lock} guards {@code state}, {@code exhausted}, {@code thread} and
 * {@code forks}; {@code state} is also volatile, so the loop's waits read it without the lock. The
 * lock is never held while calling out (clock, observer, host, handler, forks). Lock order: the
 * run state's lock, then an emit's lock; an emit never takes another lock while holding its own.
 *
 * <p>The emit knows its bot through its {@link BotRuntime}; the {@link EmitHost} (the supervisor) is
 * given to each run of its loop, so an emit is whole when it is registered.
 */
public final class EmitImpl implements Emit {

    /** The lifecycle state of an emit; see the class comment. */
    public enum State { IDLE, QUEUED, RUNNING, STOPPING, CANCELLING }

    /** Who asks for a start: {@code run()}'s autostart leaves an exhausted emit alone, a handler's start runs its count again. */
    public enum Start { AUTOSTART, ASKED }

    private final BotRuntime runtime;
    private final String name;
    private final EmitOptions options;
    private final EmitHandler handler;

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

    public EmitImpl(BotRuntime runtime, String name, EmitOptions options, EmitHandler handler) {
        this.runtime = runtime;
        this.name = name;
        this.options = options;
        this.handler = handler;
    }

    public BotRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EmitOptions options() {
        return options;
    }

    EmitHandler handler() {
        return handler;
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
     * IDLE -&gt; QUEUED. Run state only, under its lock.
     *
     * @param by {@link Start#AUTOSTART} leaves an exhausted emit alone; {@link Start#ASKED}
     *     ({@code event.start}) runs a finished count again
     * @return whether the emit was queued (false: it is alive, or exhausted and autostarted)
     */
    public boolean queue(Start by) {
        lock.lock();
        try {
            if (state != State.IDLE || (by == Start.AUTOSTART && exhausted)) {
                return false;
            }
            exhausted = false;
            state = State.QUEUED;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Back to IDLE for a start that was queued and will not be forked. Run state only, under its lock. */
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
     * Adds a fork of the current run to the forks a cancel interrupts. Loop thread.
     *
     * @return whether the emit is cancelled already: then the caller cancels the fork before it starts
     */
    boolean addFork(ForkedImpl<?> forked) {
        lock.lock();
        try {
            if (forks == null) {
                forks = new LinkedHashSet<>();
            }
            forks.add(forked);
            return state == State.CANCELLING; // read with the add: a later cancel() sees the fork
        } finally {
            lock.unlock();
        }
    }

    /** Removes a fork that has finished. Its thread. */
    void forgetFork(ForkedImpl<?> forked) {
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
     * The loop, on the emit's own thread, forked by the supervisor ({@code host}) after
     * {@link #queue}. Throws nothing: a failure, or anything escaping the loop, goes to the host; the
     * emit is idle and the host told before it returns.
     */
    public void runLoop(EmitHost host) {
        Thread.currentThread().setName(runtime.botName() + "/" + name); // the root scope names threads by bot only
        EmitRun run = new EmitRun(this, host);
        boolean ranWholeCount = false;
        boolean begun = false;
        try {
            begun = begin();
            if (begun) {
                runtime.observer().on(new BotEvent.EmitStarted(runtime.botName(), name, host.runningEmits()));
                ranWholeCount = run.loop();
            }
        } finally {
            run.close();
            end(ranWholeCount);
            host.emitEnded(this);
            if (begun) {
                runtime.observer().on(new BotEvent.EmitEnded(runtime.botName(), name, run.epochs()));
            }
        }
    }

    /** Whether the loop may go on plainly: not stopping, not cancelled. Any thread, no lock. */
    boolean running() {
        return state == State.RUNNING;
    }

    /** Whether the emit was cancelled. Any thread, no lock. */
    boolean cancelling() {
        return state == State.CANCELLING;
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

    @Override
    public String toString() {
        return "emit '" + name + "'";
    }
}
