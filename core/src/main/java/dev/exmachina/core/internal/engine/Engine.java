package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteHandler;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Hook;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.group.GroupImpl;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.internal.observe.JfrObserver;
import dev.exmachina.core.internal.observe.ListenerObserver;
import dev.exmachina.core.internal.observe.LoggingObserver;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.observe.Observers;
import dev.exmachina.core.internal.scope.TaskScope;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bot's registry and its supervisor: the thread that calls {@link #run()} owns the root scope and
 * forks one thread per running emit; starts asked for by handlers are queued for it to fork.
 *
 * <p><b>Concurrency.</b> Registration, starts and stops are thread-safe (one lock, never held while
 * waiting); maps keep registration order so that everything the bot does in response is
 * deterministic under a virtual clock.
 */
public final class Engine implements BotRuntime {

    private final String name;
    private final BotClock clock;
    private final List<Hook> startupHooks;
    private final List<Hook> shutdownHooks;
    private final Duration gracePeriod;
    private final Observer observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, GroupImpl> groups = new LinkedHashMap<>();
    private final Map<String, ExecuteImpl<?, ?>> executes = new LinkedHashMap<>();
    private final Map<String, EmitImpl> emits = new LinkedHashMap<>();
    private final ArrayDeque<EmitImpl> pendingStarts = new ArrayDeque<>();
    private final List<Thread> runWaiters = new ArrayList<>();
    private @Nullable Thread runner;
    private boolean stopping;
    private boolean closed;
    private int runningEmits;
    private @Nullable Throwable failure;
    private @Nullable String failedEmit;

    public Engine(String name, BotClock clock, List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod,
            List<BotListener> listeners) {
        this.name = name;
        this.clock = clock;
        this.startupHooks = List.copyOf(startupHooks);
        this.shutdownHooks = List.copyOf(shutdownHooks);
        this.gracePeriod = gracePeriod;
        this.observer = listeners.isEmpty() ? Observers.of(List.of(LoggingObserver.INSTANCE, new JfrObserver(name)))
                : Observers.of(List.of(LoggingObserver.INSTANCE, new JfrObserver(name),
                        new ListenerObserver(name, clock, this::groupsInOrder, listeners)));
    }

    public String name() {
        return name;
    }

    @Override
    public String botName() {
        return name;
    }

    @Override
    public boolean cancelled(Thread thread) {
        lock.lock();
        try {
            for (EmitImpl emit : emits.values()) {
                if (emit.cancelRequested && emit.runsOn(thread)) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BotClock clock() {
        return clock;
    }

    @Override
    public Observer observer() {
        return observer;
    }

    /** The concurrent groups, in registration order: for {@link dev.exmachina.core.BotEvent.BotStarted}. */
    private List<ConcurrentGroup> groupsInOrder() {
        lock.lock();
        try {
            return List.copyOf(groups.values());
        } finally {
            lock.unlock();
        }
    }

    // ---- registration -------------------------------------------------------------------------

    private static String checkName(@Nullable String name, String what) {
        Objects.requireNonNull(name, what + " name");
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be blank, was \"" + name + "\"");
        }
        return name;
    }

    /** Refuses a registration on a closed or running bot, or under a name already taken. Lock held. */
    private void checkRegistrable(String what, String name, Map<String, ?> registered) {
        if (closed) {
            throw new IllegalStateException("cannot register " + what + " '" + name + "': the bot is closed");
        }
        if (runner != null) {
            throw new IllegalStateException("cannot register " + what + " '" + name + "' while the bot runs: register before run()");
        }
        if (registered.containsKey(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is already registered");
        }
    }

    public ConcurrentGroup concurrentGroup(String name, dev.exmachina.core.GroupLimits limits) {
        checkName(name, "concurrent group");
        Objects.requireNonNull(limits, "limits");
        lock.lock();
        try {
            checkRegistrable("concurrent group", name, groups);
            GroupImpl group = new GroupImpl(name, groups.size(), limits);
            groups.put(name, group);
            return group;
        } finally {
            lock.unlock();
        }
    }

    public <A extends @Nullable Object, R extends @Nullable Object> Execute<A, R> execute(
            String name, ExecuteOptions options, ExecuteHandler<A, R> handler) {
        checkName(name, "execute");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        lock.lock();
        try {
            checkRegistrable("execute", name, executes);
            List<GroupImpl> taken = new ArrayList<>();
            for (String group : options.groups()) {
                GroupImpl found = groups.get(group);
                if (found == null) {
                    throw new IllegalArgumentException("execute '" + name + "' lists unknown concurrent group '"
                            + group + "'; registered groups: " + groups.keySet());
                }
                taken.add(found);
            }
            ExecuteImpl<A, R> execute = new ExecuteImpl<>(this, name, handler, Permits.of(taken), options.retry());
            executes.put(name, execute);
            return execute;
        } finally {
            lock.unlock();
        }
    }

    public Emit emit(String name, EmitOptions options, EmitHandler handler) {
        checkName(name, "emit");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        lock.lock();
        try {
            checkRegistrable("emit", name, emits);
            EmitImpl emit = new EmitImpl(this, name, options, handler);
            emits.put(name, emit);
            return emit;
        } finally {
            lock.unlock();
        }
    }

    public ExecuteImpl<?, ?> execute(String name) {
        lock.lock();
        try {
            ExecuteImpl<?, ?> execute = executes.get(Objects.requireNonNull(name, "execute name"));
            if (execute == null) {
                throw new IllegalArgumentException("no execute named '" + name + "'; registered executes: " + executes.keySet());
            }
            return execute;
        } finally {
            lock.unlock();
        }
    }

    private EmitImpl emitNamed(String name) {
        EmitImpl emit = emits.get(Objects.requireNonNull(name, "emit name"));
        if (emit == null) {
            throw new IllegalArgumentException("no emit named '" + name + "'; registered emits: " + emits.keySet());
        }
        return emit;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    public int runningEmits() {
        lock.lock();
        try {
            return runningEmits;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a start for the supervisor to fork; an emit already alive is left alone. */
    public void start(String emitName) {
        Thread wake;
        lock.lock();
        try {
            EmitImpl emit = emitNamed(emitName);
            if (emit.alive) {
                observer.emitAlreadyRunning(emitName);
                return;
            }
            if (runner == null || stopping) {
                observer.emitNotStartedStopping(emitName);
                return;
            }
            emit.alive = true;
            emit.exhausted = false;
            emit.stopRequested = false;
            emit.cancelRequested = false;
            pendingStarts.add(emit);
            wake = runner;
        } finally {
            lock.unlock();
        }
        clock.unpark(wake);
    }

    public void stop(String emitName) {
        EmitImpl emit = unlessOnlyQueued(emitName);
        if (emit != null) {
            emit.requestStop();
        }
    }

    public void cancel(String emitName) {
        EmitImpl emit = unlessOnlyQueued(emitName);
        if (emit != null) {
            emit.requestCancel();
        }
    }

    /** The emit to stop, or null when it was only queued to start: then it is simply unqueued. */
    private @Nullable EmitImpl unlessOnlyQueued(String emitName) {
        lock.lock();
        try {
            EmitImpl emit = emitNamed(emitName);
            if (pendingStarts.remove(emit)) {
                emit.alive = false;
                return null;
            }
            return emit;
        } finally {
            lock.unlock();
        }
    }

    /** Called by an emit's thread as its loop ends. */
    public void emitEnded(EmitImpl emit) {
        lock.lock();
        try {
            emit.alive = false;
            runningEmits--;
        } finally {
            lock.unlock();
        }
    }

    /** An emit failed under {@code stopBot}: stop every emit, cancel every forked execute. */
    public void fail(EmitImpl emit, Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
                failedEmit = emit.name();
            } else if (failure != cause) {
                failure.addSuppressed(cause);
            }
        } finally {
            lock.unlock();
        }
        stopAll(true);
    }

    /** Graceful stop of every emit; with {@code cancelForks}, forked executes are interrupted too. */
    private void stopAll(boolean cancelForks) {
        List<EmitImpl> all;
        Thread wake;
        lock.lock();
        try {
            stopping = true;
            for (EmitImpl pending : pendingStarts) {
                pending.alive = false;
            }
            pendingStarts.clear();
            all = List.copyOf(emits.values());
            wake = runner;
        } finally {
            lock.unlock();
        }
        for (EmitImpl emit : all) {
            emit.requestStop();
            if (cancelForks) {
                emit.cancelForks();
            }
        }
        if (wake != null) {
            clock.unpark(wake);
        }
    }

    private void cancelAll() {
        stopAll(false);
        lock.lock();
        List<EmitImpl> all;
        try {
            all = List.copyOf(emits.values());
        } finally {
            lock.unlock();
        }
        all.forEach(EmitImpl::requestCancel);
    }

    /** Graceful stop of everything, from any thread. */
    public void stop() {
        stopAll(false);
    }

    /**
     * Runs the bot: startup hooks, every autostart emit, until every emit and its executes have
     * finished, then shutdown hooks (also when it fails).
     */
    public void run() throws InterruptedException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("bot '" + name + "' is closed");
            }
            if (runner != null) {
                throw new IllegalStateException("bot '" + name + "' is already running in thread " + runner.getName());
            }
            runner = Thread.currentThread();
            stopping = false;
            failure = null;
            failedEmit = null;
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            observer.botStarting(name);
            if (runHooks(startupHooks, Observer.Hooks.STARTUP)) {
                lock.lock();
                try {
                    for (EmitImpl emit : emits.values()) {
                        if (emit.options().autostart() && !emit.exhausted && !emit.alive && !stopping) {
                            emit.alive = true;
                            emit.stopRequested = false;
                            emit.cancelRequested = false;
                            pendingStarts.add(emit);
                        }
                    }
                } finally {
                    lock.unlock();
                }
                interrupted = supervise();
            }
        } finally {
            runHooks(shutdownHooks, Observer.Hooks.SHUTDOWN);
            List<Thread> waiters;
            lock.lock();
            try {
                runner = null;
                waiters = List.copyOf(runWaiters);
                runWaiters.clear();
            } finally {
                lock.unlock();
            }
            waiters.forEach(clock::unpark);
            observer.botStopped(name, failureNow());
        }
        Throwable failed;
        lock.lock();
        try {
            failed = failure;
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new MachinaException(failedEmit == null
                    ? "bot '" + name + "' failed: " + failed
                    : "emit '" + failedEmit + "' of bot '" + name + "' failed: " + failed, failed);
        }
        if (interrupted) {
            throw new InterruptedException("bot '" + name + "' was interrupted; it cancelled its emits and executes");
        }
    }

    /** Forks queued starts until nothing runs; an interrupt cancels everything. */
    private boolean supervise() {
        boolean interrupted = false;
        try (TaskScope root = new TaskScope(clock, name)) {
            while (true) {
                if (Thread.interrupted() && !interrupted) {
                    interrupted = true;
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
                    root.fork(emit::runLoop);
                }
                if (starts.isEmpty()) {
                    clock.park(root, BotClock.NO_DEADLINE);
                }
            }
        }
        return interrupted;
    }

    private @Nullable Throwable failureNow() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    private boolean runHooks(List<Hook> hooks, Observer.Hooks kind) {
        boolean ok = true;
        for (Hook hook : hooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                ok = false;
                lock.lock();
                try {
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                } finally {
                    lock.unlock();
                }
                observer.hookFailed(name, kind, t);
                if (kind == Observer.Hooks.STARTUP) {
                    break;
                }
            }
        }
        return ok;
    }

    /**
     * Stops gracefully, waits up to the grace period for {@link #run()} to return, then cancels
     * what is left and waits for it. From one of the bot's own threads it cannot wait for itself:
     * it stops and closes the bot and returns. Idempotent.
     */
    public void close() {
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

    /** Whether {@code thread} runs this bot, one of its emits or one of their forked executes. Lock held. */
    private boolean isOwnThread(Thread thread) {
        if (runner == thread) {
            return true;
        }
        for (EmitImpl emit : emits.values()) {
            if (emit.runsOn(thread)) {
                return true;
            }
        }
        return false;
    }

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
