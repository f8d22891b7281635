package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.internal.emit.EmitHost;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.observe.Observer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The state of a bot's runs, shared by the runner ({@link Supervisor}) and every other thread:
 * whether a run is under way and by whom, whether it stops or cancelled everything, the starts
 * queued for the runner, its failure, and the threads waiting for it to end. Every change another
 * thread makes (a handler's start, stop or cancel by name, an emit's end or failure, {@code stop()},
 * {@code close()}) goes through a method here.
 *
 * <p><b>Invariants.</b> {@code runner == null} between runs, and then {@code pendingStarts} is empty
 * and {@code runEmits} too. An emit is in {@code pendingStarts} only while queued and not forked
 * (state QUEUED, STOPPING or CANCELLING, no thread); once {@code stopping}, nothing is added to it.
 * {@code cancelledAll} implies {@code stopping}.
 *
 * <p><b>Concurrency.</b> {@link #lock} guards every field below it (written only under it; two are
 * volatile, to be read without it); it is never held while waiting,
 * nor while calling the observer, a hook or the registry. Lock order: the registry's lock, then this
 * one, then an emit's or the hook runner's (both leaves).
 */
final class RunState implements EmitHost, Registry.Gate {

    private final String name;
    private final BotClock clock;
    private final Observer observer;
    private final HookRunner hooks;
    private final Registry registry;

    private final ReentrantLock lock = new ReentrantLock();
    /** The thread in run(), or null between runs. Volatile: {@link #notRunning()} reads it without the lock. */
    private volatile @Nullable Thread runner;
    /** The bot runs no more; set once. */
    private boolean closed;
    /** The current run starts nothing more (stop, close, failure, cancel). */
    private boolean stopping;
    /** stop() came while no run was under way: the next run starts as stopping. */
    private boolean stopBeforeRun;
    /** The current run cancelled everything. Volatile: {@link #cancelledAll()} reads it without the lock. */
    private volatile boolean cancelledAll;
    private final ArrayDeque<EmitImpl> pendingStarts = new ArrayDeque<>();
    /** Emits forked by this run whose loop has not ended. */
    private int runningEmits;
    /** The emits of the current run (registration is closed while it runs). */
    private List<EmitImpl> runEmits = List.of();
    /** The first failure of the current run (later ones suppressed in it), and its emit. */
    private @Nullable Throwable failure;
    private @Nullable String failedEmit;
    /** Threads in close() waiting for the run to end. */
    private final List<Thread> runWaiters = new ArrayList<>();

    RunState(BotRuntime runtime, String name, BotClock clock, Observer observer, HookRunner hooks) {
        this.registry = new Registry(runtime, this, this); // it only keeps this, as its gate and host
        this.name = name;
        this.clock = clock;
        this.observer = observer;
        this.hooks = hooks;
    }

    Registry registry() {
        return registry;
    }

    // ---- what handles and registrations ask ------------------------------------------------------

    @Override
    public @Nullable String refusal() {
        lock.lock();
        try {
            if (closed) {
                return "the bot is closed";
            }
            return runner == null ? null : "the bot is running; register before run()";
        } finally {
            lock.unlock();
        }
    }

    /** See {@link BotRuntime#cancelled(Thread)}. */
    boolean cancelled(Thread thread) {
        lock.lock();
        try {
            if (cancelledAll && isOwnThread(thread)) {
                return true;
            }
            for (EmitImpl emit : runEmits) {
                if (emit.cancelledOn(thread)) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code thread} runs this bot, a hook, an emit or one of their forked executes. Lock held. */
    private boolean isOwnThread(Thread thread) {
        assert lock.isHeldByCurrentThread();
        if (runner == thread || hooks.runsOn(thread)) {
            return true;
        }
        for (EmitImpl emit : runEmits) {
            if (emit.runsOn(thread)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ExecuteImpl<?, ?> execute(String execute) { return registry.execute(execute); }

    @Override
    public int runningEmits() {
        lock.lock();
        try {
            return runningEmits;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a start for the runner to fork; an emit already alive, or a bot that stops, is left alone. */
    @Override
    public void start(String emitName) {
        EmitImpl emit = registry.emit(emitName);
        Thread wake = null;
        boolean alive = false;
        lock.lock();
        try {
            if (emit.isAlive()) {
                alive = true;
            } else if (runner != null && !stopping) {
                if (emit.queue(false)) {
                    pendingStarts.add(emit);
                    wake = runner;
                } else {
                    alive = true; // queued by someone else in between
                }
            }
        } finally {
            lock.unlock();
        }
        if (alive) {
            observer.emitAlreadyRunning(emitName);
        } else if (wake == null) {
            observer.emitNotStartedStopping(emitName);
        } else {
            clock.unpark(wake);
        }
    }

    /** A graceful stop; a start already queued is not undone (its first iteration runs). */
    @Override
    public void stop(String emitName) { registry.emit(emitName).stop(); }

    @Override
    public void cancel(String emitName) { registry.emit(emitName).cancel(); }

    @Override
    public void emitEnded(EmitImpl emit) {
        lock.lock();
        try {
            runningEmits--;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void emitFailed(EmitImpl emit, Throwable cause) {
        fail(emit.name(), cause);
    }

    /** The bot failed: record the first failure (later ones suppressed), stop every emit, cancel every fork. */
    void fail(@Nullable String emitName, Throwable cause) {
        record(emitName, cause);
        stopAll(true);
    }

    /** Records a failure without stopping anything (a hook's). */
    void record(@Nullable String emitName, Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
                failedEmit = emitName;
            } else if (failure != cause) {
                failure.addSuppressed(cause);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- stop, cancel ---------------------------------------------------------------------------

    /** Graceful stop of every emit; with {@code cancelForks}, forked executes are interrupted too. */
    void stopAll(boolean cancelForks) {
        List<EmitImpl> all;
        Thread wake;
        lock.lock();
        try {
            if (runner == null) {
                stopBeforeRun = true;
            }
            stopping = true;
            dropPendingStarts();
            all = runEmits;
            wake = runner;
        } finally {
            lock.unlock();
        }
        for (EmitImpl emit : all) {
            emit.stop();
            if (cancelForks) {
                emit.cancelForks();
            }
        }
        if (wake != null) {
            clock.unpark(wake);
        }
    }

    private void dropPendingStarts() {
        assert lock.isHeldByCurrentThread();
        for (EmitImpl pending : pendingStarts) {
            pending.unqueue();
        }
        pendingStarts.clear();
    }

    /** Cancels everything of the current run: every emit, its forks, the hook running. */
    void cancelAll() {
        stopAll(false);
        List<EmitImpl> all;
        lock.lock();
        try {
            cancelledAll = true;
            all = runEmits;
        } finally {
            lock.unlock();
        }
        all.forEach(EmitImpl::cancel);
        hooks.interruptCurrent();
    }

    boolean cancelledAll() {
        return cancelledAll;
    }

    // ---- the runner's steps ---------------------------------------------------------------------

    /** Begins a run on the current thread. @throws IllegalStateException if closed or running */
    void begin() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("bot '" + name + "' is closed");
            }
            if (runner != null) {
                throw new IllegalStateException("bot '" + name + "' is already running in thread " + runner.getName());
            }
            runner = Thread.currentThread();
            stopping = stopBeforeRun;
            stopBeforeRun = false;
            cancelledAll = false;
            failure = null;
            failedEmit = null;
        } finally {
            lock.unlock();
        }
        List<EmitImpl> emits = registry.emits(); // registration is refused from here on
        lock.lock();
        try {
            runEmits = emits;
        } finally {
            lock.unlock();
        }
    }

    /** Queues every autostart emit that is idle and not exhausted, unless the run stops. */
    void queueAutostarts() {
        lock.lock();
        try {
            for (EmitImpl emit : runEmits) {
                if (emit.options().autostart() && !stopping && emit.queue(true)) {
                    pendingStarts.add(emit);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The starts to fork now, counted as running; null when there are none and {@code live} (emit
     * threads of the root scope) is zero: the run is over.
     */
    @Nullable List<EmitImpl> takeStarts(int live) {
        lock.lock();
        try {
            if (pendingStarts.isEmpty() && live == 0) {
                return null;
            }
            List<EmitImpl> starts = List.copyOf(pendingStarts);
            pendingStarts.clear();
            runningEmits += starts.size();
            return starts;
        } finally {
            lock.unlock();
        }
    }

    /** A start the runner could not fork: the emit goes back to idle, and the bot fails. */
    void forkFailed(EmitImpl emit, Throwable cause) {
        lock.lock();
        try {
            emit.unqueue();
            runningEmits--;
        } finally {
            lock.unlock();
        }
        fail(emit.name(), cause);
    }

    /** Ends the run: wakes close() and tells the observer. @return the exception run() throws, or null */
    @Nullable MachinaException end() {
        List<Thread> waiters;
        Throwable failed;
        String emit;
        lock.lock();
        try {
            dropPendingStarts();
            runner = null;
            runEmits = List.of();
            failed = failure;
            emit = failedEmit;
            waiters = List.copyOf(runWaiters);
            runWaiters.clear();
        } finally {
            lock.unlock();
        }
        waiters.forEach(clock::unpark);
        observer.botStopped(name, failed);
        if (failed == null) {
            return null;
        }
        return new MachinaException(emit == null
                ? "bot '" + name + "' failed: " + failed
                : "emit '" + emit + "' of bot '" + name + "' failed: " + failed, failed);
    }

    // ---- close ----------------------------------------------------------------------------------

    enum Closing { ALREADY_CLOSED, FROM_INSIDE, FROM_OUTSIDE }

    /** Marks the bot closed. @return whether it was already closed with no run, or who closes it */
    Closing close() {
        lock.lock();
        try {
            if (closed && runner == null) {
                return Closing.ALREADY_CLOSED;
            }
            closed = true;
            return isOwnThread(Thread.currentThread()) ? Closing.FROM_INSIDE : Closing.FROM_OUTSIDE;
        } finally {
            lock.unlock();
        }
    }

    /** Registers {@code waiter} to be unparked when the run ends. @return false if no run is under way */
    boolean addRunWaiter(Thread waiter) {
        lock.lock();
        try {
            if (runner == null) {
                return false;
            }
            runWaiters.add(waiter);
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean notRunning() {
        return runner == null;
    }
}
