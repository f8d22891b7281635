package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Hook;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.emit.EmitHost;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.scope.TaskScope;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bot's supervisor: {@code run()}, {@code stop()}, {@code close()}, the hooks, the root scope and
 * the starts asked for by handlers. The thread that calls {@link #run()} (the runner) owns the root
 * scope and forks one thread per running emit; starts are queued for it to fork. Hooks run one at a
 * time, each in a thread of its own that the runner waits for, so that an interrupt of the runner
 * and a cancel by {@code close()} can each reach the hook without being mistaken for the other.
 *
 * <p><b>Lifecycle decisions.</b> A {@code stop()} while no run is under way is remembered by the
 * next run: it runs its startup hooks, starts no emit, runs its shutdown hooks and returns; the run
 * after that is a fresh one. A bot-wide stop (stop, close, a failure) drops starts not yet forked. When
 * the bot cancels everything ({@code close()} after its grace period, an interrupted {@code run()}),
 * the hook running is interrupted, no further startup hook runs, and each shutdown hook still runs
 * but is interrupted after one grace period. An {@link InterruptedException} (or another
 * {@linkplain EmitImpl#isCancellation cancellation}) that a hook throws because the bot interrupted it
 * is not a failure.
 *
 * <p><b>Concurrency.</b> {@link #lock} guards every field marked so; it is never held while waiting,
 * nor while calling the observer, a hook, the clock or the registry. Lock order: the registry's lock,
 * then this one, then an emit's. Fields marked "runner only" are touched by the runner thread alone.
 */
final class Supervisor implements EmitHost, Registry.Gate {

    private final String name;
    private final BotClock clock;
    private final Observer observer;
    private final List<Hook> startupHooks;
    private final List<Hook> shutdownHooks;
    private final Duration gracePeriod;
    private final Registry registry;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded: the thread in run(), or null between runs. */
    private @Nullable Thread runner;
    /** Guarded: the bot runs no more; set once. */
    private boolean closed;
    /** Guarded: the current run starts nothing more (stop, close, failure, cancel). */
    private boolean stopping;
    /** Guarded: stop() came while no run was under way; the next run starts as stopping. */
    private boolean stopBeforeRun;
    /** Guarded: the current run cancelled everything; read by {@link #cancelled(Thread)}. */
    private boolean cancelledAll;
    /** Guarded: emits queued (state QUEUED, STOPPING or CANCELLING, no thread) for the runner to fork. */
    private final ArrayDeque<EmitImpl> pendingStarts = new ArrayDeque<>();
    /** Guarded: emits forked by this run whose loop has not ended. */
    private int runningEmits;
    /** Guarded: the emits of the current run (registration is closed while it runs). */
    private List<EmitImpl> runEmits = List.of();
    /** Guarded: the first failure of the current run (later ones suppressed in it), and its emit. */
    private @Nullable Throwable failure;
    private @Nullable String failedEmit;
    /** Guarded: threads in close() waiting for the run to end. */
    private final List<Thread> runWaiters = new ArrayList<>();
    /** Guarded: the thread running a hook now, if any. */
    private @Nullable Thread hookThread;
    /** Guarded: the bot interrupted the hook running now (cancel, or its grace after a cancel). */
    private boolean hookInterrupted;
    /** Runner only: the runner was interrupted during this run. */
    private boolean runnerInterrupted;

    Supervisor(BotRuntime runtime, String name, BotClock clock, Observer observer,
            List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod) {
        this.name = name;
        this.clock = clock;
        this.observer = observer;
        this.startupHooks = List.copyOf(startupHooks);
        this.shutdownHooks = List.copyOf(shutdownHooks);
        this.gracePeriod = gracePeriod;
        this.registry = new Registry(runtime, this, this);
    }

    Registry registry() {
        return registry;
    }

    // ---- what handles ask -----------------------------------------------------------------------

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
        if (runner == thread || hookThread == thread) {
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
    public ExecuteImpl<?, ?> execute(String execute) {
        return registry.execute(execute);
    }

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
    public void stop(String emitName) {
        registry.emit(emitName).stop();
    }

    @Override
    public void cancel(String emitName) {
        registry.emit(emitName).cancel();
    }

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
    private void fail(@Nullable String emitName, Throwable cause) {
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
        stopAll(true);
    }

    // ---- stop, cancel ---------------------------------------------------------------------------

    /** Graceful stop of everything, from any thread; remembered by the next run if none is under way. */
    void stop() {
        stopAll(false);
    }

    /** Graceful stop of every emit; with {@code cancelForks}, forked executes are interrupted too. */
    private void stopAll(boolean cancelForks) {
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
    private void cancelAll() {
        stopAll(false);
        List<EmitImpl> all;
        Thread hook;
        lock.lock();
        try {
            cancelledAll = true;
            all = runEmits;
            hook = hookThread;
            if (hook != null) {
                hookInterrupted = true;
            }
        } finally {
            lock.unlock();
        }
        all.forEach(EmitImpl::cancel);
        if (hook != null) {
            clock.interrupt(hook);
        }
    }

    // ---- run ------------------------------------------------------------------------------------

    /**
     * Runs the bot: startup hooks, every autostart emit, until every emit and its executes have
     * finished, then shutdown hooks (also when it fails).
     */
    void run() throws InterruptedException {
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
        runnerInterrupted = false;
        List<EmitImpl> emits = registry.emits(); // registration is refused from here on
        lock.lock();
        try {
            runEmits = emits;
        } finally {
            lock.unlock();
        }
        try {
            observer.botStarting(name);
            if (runHooks(startupHooks, Observer.Hooks.STARTUP)) {
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
                supervise();
            }
        } finally {
            runHooks(shutdownHooks, Observer.Hooks.SHUTDOWN);
            endRun();
        }
        Throwable failed;
        String emit;
        lock.lock();
        try {
            failed = failure;
            emit = failedEmit;
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            if (runnerInterrupted) {
                Thread.currentThread().interrupt();
            }
            throw new MachinaException(emit == null
                    ? "bot '" + name + "' failed: " + failed
                    : "emit '" + emit + "' of bot '" + name + "' failed: " + failed, failed);
        }
        if (runnerInterrupted) {
            throw new InterruptedException("bot '" + name + "' was interrupted; it cancelled its emits and executes");
        }
    }

    private void endRun() {
        List<Thread> waiters;
        Throwable failed;
        lock.lock();
        try {
            dropPendingStarts();
            runner = null;
            runEmits = List.of();
            failed = failure;
            waiters = List.copyOf(runWaiters);
            runWaiters.clear();
        } finally {
            lock.unlock();
        }
        waiters.forEach(clock::unpark);
        observer.botStopped(name, failed);
    }

    /** Forks queued starts until nothing runs; an interrupt of the runner cancels everything. Runner only. */
    private void supervise() {
        try (TaskScope root = new TaskScope(clock, name, escaped -> fail(null, escaped))) {
            while (true) {
                if (Thread.interrupted() && !runnerInterrupted) {
                    runnerInterrupted = true;
                    cancelAll();
                }
                List<EmitImpl> starts;
                lock.lock();
                try {
                    starts = List.copyOf(pendingStarts);
                    pendingStarts.clear();
                    runningEmits += starts.size();
                    if (starts.isEmpty() && root.live() == 0) {
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                for (EmitImpl emit : starts) {
                    try {
                        root.fork(emit::runLoop);
                    } catch (RuntimeException | Error e) {
                        lock.lock();
                        try {
                            emit.unqueue();
                            runningEmits--;
                        } finally {
                            lock.unlock();
                        }
                        fail(emit.name(), e);
                    }
                }
                if (starts.isEmpty()) {
                    clock.park(root, BotClock.NO_DEADLINE);
                }
            }
        }
    }

    // ---- hooks ----------------------------------------------------------------------------------

    /** Runs {@code hooks} in order. Runner only. @return whether every hook succeeded and none was cut short */
    private boolean runHooks(List<Hook> hooks, Observer.Hooks kind) {
        boolean ok = true;
        for (Hook hook : hooks) {
            Throwable failed = runHook(hook, kind);
            if (failed != null) {
                ok = false;
                lock.lock();
                try {
                    if (failure == null) {
                        failure = failed;
                    } else if (failure != failed) {
                        failure.addSuppressed(failed);
                    }
                } finally {
                    lock.unlock();
                }
                observer.hookFailed(name, kind, failed);
            }
            if (kind == Observer.Hooks.STARTUP && (failed != null || runnerInterrupted || cancelledAllNow())) {
                return false;
            }
        }
        return ok;
    }

    private boolean cancelledAllNow() {
        lock.lock();
        try {
            return cancelledAll;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one hook in a thread of its own and waits for it on the clock. An interrupt of the runner
     * while it waits cancels everything (the hook is interrupted) and is remembered for run().
     *
     * @return what the hook threw, or null (also when it threw only because the bot interrupted it)
     */
    private @Nullable Throwable runHook(Hook hook, Observer.Hooks kind) {
        Throwable[] thrown = new Throwable[1];
        String what = name + "/" + (kind == Observer.Hooks.STARTUP ? "startup" : "shutdown");
        try (TaskScope scope = new TaskScope(clock, what, escaped -> thrown[0] = escaped)) {
            scope.fork(() -> thrown[0] = hookBody(hook));
            try {
                Waits.await(clock, "the " + what + " hook", () -> scope.live() == 0, BotClock.NO_DEADLINE);
            } catch (InterruptedException e) {
                runnerInterrupted = true;
                cancelAll();
            }
        } // closing waits for the hook, through interrupts
        boolean interruptedByBot;
        lock.lock();
        try {
            interruptedByBot = hookInterrupted;
            hookInterrupted = false;
        } finally {
            lock.unlock();
        }
        Throwable failed = thrown[0];
        return failed != null && interruptedByBot && EmitImpl.isCancellation(failed) ? null : failed;
    }

    /** The hook's thread. @return what the hook threw, or null */
    private @Nullable Throwable hookBody(Hook hook) {
        Thread me = Thread.currentThread();
        boolean late;
        lock.lock();
        try {
            hookThread = me;
            hookInterrupted = false;
            late = cancelledAll;
        } finally {
            lock.unlock();
        }
        // After the bot cancelled everything, a hook gets one grace period, then is interrupted.
        BotClock.Timer timer = late ? clock.schedule(() -> interruptHook(me), Waits.deadline(clock.nanoTime(), gracePeriod)) : null;
        try {
            hook.run();
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            lock.lock();
            try {
                hookThread = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A timer action: interrupts {@code hook}'s thread if it still runs a hook. */
    private void interruptHook(Thread hook) {
        lock.lock();
        try {
            if (hookThread != hook) {
                return;
            }
            hookInterrupted = true;
        } finally {
            lock.unlock();
        }
        clock.interrupt(hook);
    }

    // ---- close ----------------------------------------------------------------------------------

    /**
     * Stops gracefully, waits up to the grace period (on the clock) for {@link #run()} to return, then
     * cancels what is left, hooks included, and waits for it. From one of the bot's own threads it
     * cannot wait for itself: it stops and closes the bot and returns. Idempotent.
     */
    void close() {
        boolean fromInside;
        lock.lock();
        try {
            if (closed && runner == null) {
                return;
            }
            closed = true;
            fromInside = isOwnThread(Thread.currentThread());
        } finally {
            lock.unlock();
        }
        stopAll(false);
        if (fromInside) {
            // Waiting here would wait for this very thread: the bot is stopped and closed, run() ends on its own.
            observer.closedFromInside(name);
            return;
        }
        if (!awaitRunEnd(Waits.deadline(clock.nanoTime(), gracePeriod))) {
            observer.graceExpired(name, gracePeriod);
            cancelAll();
            awaitRunEnd(BotClock.NO_DEADLINE);
        }
    }

    /** Waits on the clock until no run is under way or {@code deadline} passes, through interrupts. */
    private boolean awaitRunEnd(long deadline) {
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            if (runner == null) {
                return true;
            }
            runWaiters.add(me);
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Waits.await(clock, "the end of bot '" + name + "'", this::notRunning, deadline);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    private boolean notRunning() {
        lock.lock();
        try {
            return runner == null;
        } finally {
            lock.unlock();
        }
    }
}
