package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.engine.Engine;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.execute.ForkedImpl;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.scope.TaskScope;
import dev.exmachina.retry.RetryState;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An emit: its registration, its run state (guarded by the engine's lock where it decides a start),
 * and the loop its thread runs. A run of the loop owns the scope its executes are forked into,
 * opened on the first fork: the run ends only after every forked execute has.
 */
public final class EmitImpl implements Emit {

    private final Engine engine;
    private final String name;
    private final EmitOptions options;
    private final EmitHandler handler;
    private final BotClock.WaitReason intervalWait;
    /** The condition of every wait between iterations, made once rather than per wait. */
    private final BooleanSupplier stopped = () -> this.stopRequested;

    /** Running or about to: set and cleared under the engine's lock. */
    public volatile boolean alive;
    public volatile boolean stopRequested;
    public volatile boolean cancelRequested;
    /** Ran its whole count: a later run() does not start it again, only {@code start} does. */
    public volatile boolean exhausted;
    public volatile @Nullable Thread thread;
    /**
     * Forked executes still running, in fork order (so cancelling them is deterministic); made on
     * the first fork, as most emits never fork. Guarded by {@code this}.
     */
    private @Nullable Set<ForkedImpl<?>> running;
    /** The current run's scope, opened on its first fork; emit thread only. */
    private @Nullable TaskScope scope;
    /** Consecutive failures under {@link Supervision.Restart}; emit thread only. */
    private @Nullable RetryState restarts;

    /** Compared by identity: "wait the usual interval" after a failure that the loop goes on from. */
    private static final Duration USUAL_INTERVAL = Duration.ofNanos(-1);

    public EmitImpl(Engine engine, String name, EmitOptions options, EmitHandler handler) {
        this.engine = engine;
        this.name = name;
        this.options = options;
        this.handler = handler;
        this.intervalWait = new BotClock.WaitReason("the interval of emit '" + name + "'", options.count() == null);
    }

    public Engine engine() {
        return engine;
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
        return alive;
    }

    /** Graceful: the current iteration finishes, no further one starts. Any thread. */
    public void requestStop() {
        stopRequested = true;
        Thread running = thread;
        if (running != null) {
            engine.clock().unpark(running); // cut the interval wait short
        }
    }

    /** Now: the thread and the forked executes of the current iteration are interrupted. Any thread. */
    public void requestCancel() {
        cancelRequested = true;
        stopRequested = true;
        Thread running = thread;
        if (running != null) {
            engine.clock().interrupt(running);
        }
        cancelForks();
    }

    /** Whether {@code candidate} runs this emit's loop or one of its forked executes now. Any thread. */
    public boolean runsOn(Thread candidate) {
        if (thread == candidate) {
            return true;
        }
        synchronized (this) {
            if (running != null) {
                for (ForkedImpl<?> forked : running) {
                    if (forked.runsOn(candidate)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Interrupts every forked execute still running. Any thread. */
    public void cancelForks() {
        List<ForkedImpl<?>> snapshot;
        synchronized (this) {
            snapshot = running == null ? List.of() : List.copyOf(running);
        }
        snapshot.forEach(ForkedImpl::cancel);
    }

    /** Forks {@code execute} into this run's scope. Emit thread only. */
    public <A extends @Nullable Object, R extends @Nullable Object> ForkedImpl<R> fork(ExecuteImpl<A, R> execute, A argument) {
        if (scope == null) {
            scope = new TaskScope(engine.clock(), engine.name() + "/" + name);
        }
        ForkedImpl<R> forked = new ForkedImpl<>(execute.name(), name, engine.clock(), engine.observer());
        synchronized (this) {
            if (running == null) {
                running = new LinkedHashSet<>();
            }
            running.add(forked);
        }
        if (cancelRequested) {
            forked.cancel();
        }
        scope.fork(() -> forked.run(() -> execute.call(argument), () -> {
            synchronized (this) {
                running.remove(forked);
            }
        }));
        return forked;
    }

    /** The loop, on the emit's own thread. Never throws: a failure goes to the engine. */
    public void runLoop() {
        BotClock clock = engine.clock();
        thread = Thread.currentThread();
        thread.setName(engine.name() + "/" + name); // the root scope names threads by bot only
        restarts = null; // a new run starts with the restart policy's full budget
        Long count = options.count();
        long remaining = count == null ? -1 : count;
        long interval = options.interval().toNanos();
        long epoch = 0;
        long previous = 0;
        long end = 0;
        boolean waited = true; // whether time may have passed since the last iteration ended
        Observer observer = engine.observer();
        observer.emitStarted(name, engine.runningEmits());
        try {
            while (remaining != 0 && !stopRequested && !Thread.currentThread().isInterrupted()) {
                long begin = waited ? clock.nanoTime() : end; // no wait, no second clock read
                waited = true;
                epoch++;
                if (remaining > 0) {
                    remaining--;
                }
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
                if (cancelRequested) {
                    break; // whatever the handler threw on the way out was the cancel itself
                }
                if (failure != null) {
                    Duration wait = onFailure(failure);
                    if (wait == null) {
                        break;
                    }
                    if (wait != USUAL_INTERVAL) {
                        if (Waits.await(clock, intervalWait, stopped, Waits.deadline(end, wait))) {
                            break; // stopped during the wait
                        }
                        continue; // the restart wait replaces the interval
                    }
                } else {
                    restarts = null;
                }
                if (remaining == 0 || stopRequested || interval == 0) {
                    waited = false;
                    continue;
                }
                long deadline = options.mode() == EmitMode.AFTER ? end + interval : begin + interval;
                if (deadline - end < 0) {
                    observer.iterationOverran(name, end - deadline);
                    waited = false;
                    continue;
                }
                Waits.await(clock, intervalWait, stopped, deadline);
            }
            exhausted = remaining == 0;
        } catch (InterruptedException e) {
            // cancelled while waiting between iterations: the loop ends here
        } finally {
            closeScope();
            thread = null;
            engine.emitEnded(this);
            observer.emitEnded(name, epoch);
        }
    }

    /**
     * Applies the emit's supervision to a failed iteration.
     *
     * @return how long to wait before the next iteration ({@link #USUAL_INTERVAL}: as after a
     *     success), or null to end the loop
     */
    private @Nullable Duration onFailure(Throwable failure) {
        return switch (options.supervision()) {
            case Supervision.StopBot stop -> {
                engine.observer().emitFailed(name, failure, Observer.Decision.STOP_BOT, null);
                engine.fail(this, failure);
                yield null;
            }
            case Supervision.LogAndContinue go -> {
                engine.observer().emitFailed(name, failure, Observer.Decision.CONTINUE, null);
                yield USUAL_INTERVAL;
            }
            case Supervision.Restart restart -> {
                if (restarts == null) {
                    restarts = restart.retry().start(engine.clock().random());
                }
                Duration wait = restarts.onFailure(failure);
                if (wait == null) {
                    engine.observer().emitFailed(name, failure, Observer.Decision.STOP_BOT, null);
                    engine.fail(this, failure);
                    yield null;
                }
                engine.observer().emitFailed(name, failure, Observer.Decision.RESTART, wait);
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
        if (cancelRequested) {
            cancelForks();
        }
        open.close();
    }

    @Override
    public String toString() {
        return "emit '" + name + "'";
    }
}
