package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.Hook;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.emit.EmitHost;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.scope.Scope;
import dev.exmachina.core.internal.scope.Scopes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A bot's supervisor: {@code run()}, {@code stop()}, {@code close()}, the hooks and the root scope,
 * and the {@link EmitHost} of its emits. The thread that calls {@link #run()} (the runner) owns the
 * root scope and forks one thread per running emit; starts asked for by handlers are queued in the
 * {@link RunState} for it to fork.
 *
 * <p><b>Lifecycle decisions.</b>
 * <ul>
 *   <li>A {@code stop()} while no run is under way is remembered by the next run: it runs its startup
 *       hooks, starts no emit, runs its shutdown hooks and returns; the run after that is a fresh one.
 *   <li>A bot-wide stop (stop, close, a failure) drops starts not yet forked; a graceful stop of one
 *       emit ({@code event.stop}) does not undo its queued start: its first iteration runs.
 *   <li>When the bot cancels everything ({@code close()} after its grace period, an interrupted
 *       {@code run()}), the hook running is interrupted, no further startup hook runs, and each
 *       shutdown hook still runs but is interrupted after one grace period. What a hook throws
 *       because the bot interrupted it ({@linkplain EmitImpl#isCancellation a cancellation}) is not a
 *       failure.
 *   <li>An interrupt of the runner, even while a hook runs, cancels everything; {@code run()} then
 *       throws {@link InterruptedException} (or, if the bot also failed, {@link MachinaException}
 *       with the interrupt flag set).
 * </ul>
 *
 * <p><b>Concurrency.</b> {@code runnerInterrupted} is the runner's alone; everything shared is in
 * {@link RunState} and the {@link Registry}. No lock is held here.
 */
final class Supervisor implements EmitHost {

    private final String name;
    private final BotClock clock;
    private final Observer observer;
    private final Registry registry;
    private final RunState state;
    private final HookRunner hooks;
    private final List<Hook> startupHooks;
    private final List<Hook> shutdownHooks;
    private final Duration gracePeriod;
    /** What parts of the bot left on the clock and must not outlive a run: done at each run's end. */
    private final Runnable runEnded;
    /** Runner only: the runner was interrupted during this run. */
    private boolean runnerInterrupted;

    Supervisor(Observer observer, BotClock clock, Registry registry, RunState state, HookRunner hooks,
            List<Hook> startupHooks, List<Hook> shutdownHooks, Duration gracePeriod, Runnable runEnded) {
        this.name = observer.bot();
        this.clock = clock;
        this.observer = observer;
        this.registry = registry;
        this.state = state;
        this.hooks = hooks;
        this.startupHooks = List.copyOf(startupHooks);
        this.shutdownHooks = List.copyOf(shutdownHooks);
        this.gracePeriod = gracePeriod;
        this.runEnded = runEnded;
    }

    /** Graceful stop of everything, from any thread; remembered by the next run if none is under way. */
    void stop() {
        state.stopAll();
    }

    /**
     * Runs the bot: startup hooks, every autostart emit, until every emit and its executes have
     * finished, then shutdown hooks (also when it fails).
     */
    void run() throws InterruptedException {
        state.begin(registry);
        runnerInterrupted = false;
        Optional<FirstFailure.Failure> failed;
        try {
            observer.on(new BotEvent.BotStarted(name, clock.instant(), registry.groups()));
            if (runHooks(startupHooks, BotEvent.HookKind.STARTUP)) {
                state.queueAutostarts();
                supervise();
            }
        } finally {
            runHooks(shutdownHooks, BotEvent.HookKind.SHUTDOWN);
            runEnded.run(); // no thread of the run is left: nothing it scheduled may fire after BotStopped
            failed = state.end();
            observer.on(new BotEvent.BotStopped(name, clock.instant(), failed.map(FirstFailure.Failure::cause).orElse(null)));
        }
        if (failed.isPresent()) {
            if (runnerInterrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = failed.get().cause();
            String emit = failed.get().emit();
            throw new MachinaException(emit == null
                    ? "bot '" + name + "' failed: " + cause
                    : "emit '" + emit + "' of bot '" + name + "' failed: " + cause, cause);
        }
        if (runnerInterrupted) {
            throw new InterruptedException("bot '" + name + "' was interrupted; it cancelled its emits and executes");
        }
    }

    private void interrupted() {
        runnerInterrupted = true;
        state.cancelAll();
    }

    /** Forks queued starts until nothing runs; an interrupt of the runner cancels everything. Runner only. */
    private void supervise() {
        try (Scope root = Scopes.open(clock, name, escaped -> state.fail(null, escaped))) {
            while (true) {
                if (Thread.interrupted() && !runnerInterrupted) {
                    interrupted();
                }
                Optional<List<EmitImpl>> starts = state.takeStarts(root::live);
                if (starts.isEmpty()) {
                    break; // nothing queued, nothing running: the run is over
                }
                for (EmitImpl emit : starts.get()) {
                    try {
                        root.fork(() -> emit.runLoop(this));
                    } catch (RuntimeException | Error e) {
                        state.forkFailed(emit, e);
                    }
                }
                if (starts.get().isEmpty()) {
                    clock.park(root, BotClock.NO_DEADLINE);
                }
            }
        }
    }

    /** Runs {@code hooks} in order. Runner only. @return whether every hook succeeded and none was cut short */
    private boolean runHooks(List<Hook> list, BotEvent.HookKind kind) {
        String what = name + "/" + (kind == BotEvent.HookKind.STARTUP ? "startup" : "shutdown");
        boolean ok = true;
        for (Hook hook : list) {
            HookRunner.Limit limit = state.cancelledAll() ? HookRunner.Limit.GRACE_PERIOD : HookRunner.Limit.NONE;
            Optional<Throwable> failed = hooks.run(hook, what, limit, this::interrupted);
            if (failed.isPresent()) {
                ok = false;
                state.record(null, failed.get());
                observer.on(new BotEvent.HookFailed(name, kind, failed.get()));
            }
            if (kind == BotEvent.HookKind.STARTUP && (failed.isPresent() || runnerInterrupted || state.cancelledAll())) {
                return false;
            }
        }
        return ok;
    }

    /**
     * Stops gracefully, waits up to the grace period (on the clock) for {@link #run()} to return, then
     * cancels what is left, hooks included, and waits for it. From one of the bot's own threads it
     * cannot wait for itself: it stops and closes the bot and returns. Idempotent.
     */
    void close() {
        RunState.Closing closing = state.close();
        if (closing == RunState.Closing.ALREADY_CLOSED) {
            return;
        }
        state.stopAll();
        if (closing == RunState.Closing.FROM_INSIDE) {
            // Waiting here would wait for this very thread: the bot is stopped and closed, run() ends on its own.
            observer.on(new BotEvent.ClosedFromInside(name));
            return;
        }
        if (!awaitRunEnd(Waits.deadline(clock.nanoTime(), gracePeriod))) {
            observer.on(new BotEvent.GraceExpired(name, gracePeriod));
            state.cancelAll();
            awaitRunEnd(BotClock.NO_DEADLINE);
        }
    }

    /** Waits on the clock until no run is under way or {@code deadline} passes, through interrupts. */
    private boolean awaitRunEnd(long deadline) {
        Thread me = Thread.currentThread();
        if (!state.addRunWaiter(me)) {
            return true;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Waits.await(clock, "the end of bot '" + name + "'", state::notRunning, deadline);
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

    // ---- what emits ask of their bot (EmitHost) -------------------------------------------------

    /** Queues a start for the runner to fork; an emit already alive, or a bot that stops, is left alone. */
    @Override
    public void start(String emit) {
        state.queueStart(registry.emit(emit))
                .ifPresent(refusal -> observer.on(new BotEvent.StartRefused(name, emit, refusal)));
    }

    /** A graceful stop; a start already queued is not undone (its first iteration runs). */
    @Override
    public void stop(String emit) {
        registry.emit(emit).stop();
    }

    @Override
    public void cancel(String emit) {
        registry.emit(emit).cancel();
    }

    @Override
    public ExecuteImpl<?, ?> execute(String execute) {
        return registry.execute(execute);
    }

    @Override
    public int runningEmits() {
        return state.runningEmits();
    }

    @Override
    public void emitEnded(EmitImpl emit) {
        state.emitEnded();
    }

    @Override
    public void emitFailed(EmitImpl emit, Throwable failure) {
        state.fail(emit.name(), failure);
    }
}
