package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.internal.emit.EmitImpl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The state of a bot's runs, shared by the runner ({@link Supervisor}) and every other thread:
 * the phase of the run and who runs it, the starts queued for the runner, the threads waiting for
 * it to end, and (in a {@link FirstFailure}) the run's failure. Every change another thread makes (a handler's start by name,
 * an emit's end or failure, {@code stop()}, {@code close()}) goes through a method here.
 *
 * <p><b>Phases.</b> {@link #phase} is one of
 * <ul>
 *   <li>{@code IDLE}: no run is under way; the next {@code run()} starts normally.
 *   <li>{@code STOP_REQUESTED}: no run is under way and {@code stop()} came (a Ctrl-C handler racing
 *       startup): the next run runs its hooks, starts no emit, and returns.
 *   <li>{@code RUNNING}: a run is under way on {@link #runner}; it starts the emits asked for.
 *   <li>{@code STOPPING}: a run is under way and starts nothing more (a stop, a close, a failure);
 *       the iterations under way finish.
 *   <li>{@code CANCELLING}: a run is under way and cancelled everything (an interrupted
 *       {@code run()}, {@code close()} after its grace period): emits, forks and the hook running
 *       are interrupted, and later shutdown hooks are interrupted after one grace period.
 * </ul>
 * plus {@link #closed}, a fact set once by {@code close()} and never undone: a closed bot begins
 * no run and takes no registration; the run it may still be finishing ends as any other.
 *
 * <p><b>Transitions</b>, each by one method of this class, under {@link #lock}:
 * <pre>
 *   IDLE -&gt; RUNNING, STOP_REQUESTED -&gt; STOPPING   begin()      the runner; refused when closed or running
 *   IDLE -&gt; STOP_REQUESTED                         stopAll()    any thread, no run under way
 *   RUNNING -&gt; STOPPING                            stopAll()    any thread: stop, close, a failure
 *   RUNNING, STOPPING -&gt; CANCELLING                cancelAll()  any thread
 *   RUNNING, STOPPING, CANCELLING -&gt; IDLE          end()        the runner, last thing
 * </pre>
 * Any other call leaves the phase as it is (a stop of a stopping run, a cancel with no run).
 *
 * <p><b>Invariants.</b> {@code runner != null} exactly in the three phases of a run. Outside a
 * run {@code pendingStarts} and {@code runEmits} are empty and {@code runningEmits} is 0. An emit
 * is in {@code pendingStarts} only while queued and not forked (its state QUEUED, STOPPING or
 * CANCELLING, no thread), and one is added only in {@code RUNNING}.
 *
 * <p><b>Concurrency.</b> {@link #lock} guards every field below it (written only under it;
 * {@code phase} is also volatile, to be read without it); it is never held while waiting, nor while
 * calling the observer, a hook or the registry. Lock order: the registry's lock, then this one,
 * then an emit's or the hook runner's (both leaves).
 */
final class RunState {

    /** The phase of the bot's run; see the class comment. */
    enum Phase { IDLE, STOP_REQUESTED, RUNNING, STOPPING, CANCELLING }

    /** Who calls {@link #close()}, and whether it has anything to do. */
    enum Closing { ALREADY_CLOSED, FROM_INSIDE, FROM_OUTSIDE }

    private final String name;
    private final BotClock clock;
    private final HookRunner hooks;
    private final FirstFailure failure = new FirstFailure();

    private final ReentrantLock lock = new ReentrantLock();
    /** Volatile: {@link #cancelledAll()} and {@link #notRunning()} read it without the lock. */
    private volatile Phase phase = Phase.IDLE;
    /** The thread in run(), from begin() to end(). */
    private @Nullable Thread runner;
    /** The bot runs no more; set once. */
    private boolean closed;
    private final ArrayDeque<EmitImpl> pendingStarts = new ArrayDeque<>();
    /** Emits forked by this run whose loop has not ended. */
    private int runningEmits;
    /** The emits of the current run (registration is closed while it runs). */
    private List<EmitImpl> runEmits = List.of();
    /** Threads in close() waiting for the run to end. */
    private final List<Thread> runWaiters = new ArrayList<>();

    RunState(String name, BotClock clock, HookRunner hooks) {
        this.name = name;
        this.clock = clock;
        this.hooks = hooks;
    }

    private static boolean inRun(Phase phase) {
        return phase == Phase.RUNNING || phase == Phase.STOPPING || phase == Phase.CANCELLING;
    }

    // ---- what handles and registrations ask ------------------------------------------------------

    /** Why a registration is refused now, as the end of a sentence; empty if it may be made. */
    Optional<String> refusal() {
        lock.lock();
        try {
            if (closed) {
                return Optional.of("the bot is closed");
            }
            return inRun(phase) ? Optional.of("the bot is running; register before run()") : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** See {@link dev.exmachina.core.internal.runtime.BotRuntime#cancelled(Thread)}. */
    boolean cancelled(Thread thread) {
        lock.lock();
        try {
            if (phase == Phase.CANCELLING && isOwnThread(thread)) {
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

    int runningEmits() {
        lock.lock();
        try {
            return runningEmits;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a start of {@code emit} for the runner to fork, unless the emit is alive or the run
     * does not start emits now.
     *
     * @return why it was not queued; empty if it was
     */
    Optional<BotEvent.StartRefusal> queueStart(EmitImpl emit) {
        Thread wake;
        lock.lock();
        try {
            if (emit.isAlive()) {
                return Optional.of(BotEvent.StartRefusal.ALREADY_RUNNING);
            }
            if (phase != Phase.RUNNING) {
                return Optional.of(BotEvent.StartRefusal.BOT_STOPPING);
            }
            if (!emit.queue(EmitImpl.Start.ASKED)) {
                return Optional.of(BotEvent.StartRefusal.ALREADY_RUNNING); // queued by someone else in between
            }
            pendingStarts.add(emit);
            wake = runner;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            clock.unpark(wake);
        }
        return Optional.empty();
    }

    /** Called once by an emit's thread as its loop ends. */
    void emitEnded() {
        lock.lock();
        try {
            runningEmits--;
        } finally {
            lock.unlock();
        }
    }

    /** The bot failed: record the first failure (later ones suppressed), stop every emit, cancel every fork. */
    void fail(@Nullable String emitName, Throwable cause) {
        record(emitName, cause);
        stop(true);
    }

    /** Records a failure without stopping anything (a hook's). */
    void record(@Nullable String emitName, Throwable cause) {
        failure.record(emitName, cause);
    }

    // ---- stop, cancel ---------------------------------------------------------------------------

    /** Graceful stop of every emit: RUNNING -&gt; STOPPING, or IDLE -&gt; STOP_REQUESTED. */
    void stopAll() {
        stop(false);
    }

    /** Stops every emit; with {@code cancelForks} (a failure), forked executes are interrupted too. */
    private void stop(boolean cancelForks) {
        List<EmitImpl> all;
        Thread wake;
        lock.lock();
        try {
            switch (phase) {
                case IDLE -> phase = Phase.STOP_REQUESTED;
                case RUNNING -> phase = Phase.STOPPING;
                case STOP_REQUESTED, STOPPING, CANCELLING -> { }
            }
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

    /** Cancels everything of the current run: RUNNING, STOPPING -&gt; CANCELLING; every emit, its forks, the hook running. */
    void cancelAll() {
        stopAll();
        List<EmitImpl> all;
        lock.lock();
        try {
            if (!inRun(phase)) {
                return; // the run ended meanwhile: nothing is left to cancel
            }
            phase = Phase.CANCELLING;
            all = runEmits;
        } finally {
            lock.unlock();
        }
        all.forEach(EmitImpl::cancel);
        hooks.interruptCurrent();
    }

    /** Whether the current run cancelled everything. Any thread, no lock. */
    boolean cancelledAll() {
        return phase == Phase.CANCELLING;
    }

    // ---- the runner's steps ---------------------------------------------------------------------

    /**
     * Begins a run on the current thread: IDLE -&gt; RUNNING, STOP_REQUESTED -&gt; STOPPING. From here
     * on registration is refused, so {@code emits} (read after) is the run's final list.
     *
     * @throws IllegalStateException if closed or running
     */
    void begin(Registry registry) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("bot '" + name + "' is closed");
            }
            if (runner != null) {
                throw new IllegalStateException("bot '" + name + "' is already running in thread " + runner.getName());
            }
            runner = Thread.currentThread();
            phase = phase == Phase.STOP_REQUESTED ? Phase.STOPPING : Phase.RUNNING;
        } finally {
            lock.unlock();
        }
        List<EmitImpl> emits = registry.emits(); // outside this lock: the registry's lock comes first
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
                if (emit.options().autostart() && phase == Phase.RUNNING && emit.queue(EmitImpl.Start.AUTOSTART)) {
                    pendingStarts.add(emit);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The starts to fork now, counted as running; empty when there are none and {@code live} (emit
     * threads of the root scope) is zero: the run is over. {@code live} is read once this lock is
     * held: waiting for the lock may use up the runner's wake-up from an emit that ended meanwhile,
     * so a count read before it could be stale with no wake-up left to correct it.
     */
    Optional<List<EmitImpl>> takeStarts(IntSupplier live) {
        lock.lock();
        try {
            if (pendingStarts.isEmpty() && live.getAsInt() == 0) {
                return Optional.empty();
            }
            List<EmitImpl> starts = List.copyOf(pendingStarts);
            pendingStarts.clear();
            runningEmits += starts.size();
            return Optional.of(starts);
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

    /** Ends the run (any run phase -&gt; IDLE) and wakes close(). @return the run's failure, if any */
    Optional<FirstFailure.Failure> end() {
        List<Thread> waiters;
        lock.lock();
        try {
            dropPendingStarts();
            runner = null;
            phase = Phase.IDLE;
            runEmits = List.of();
            waiters = List.copyOf(runWaiters);
            runWaiters.clear();
        } finally {
            lock.unlock();
        }
        waiters.forEach(clock::unpark);
        return failure.take();
    }

    // ---- close ----------------------------------------------------------------------------------

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

    /** Whether no run is under way. Any thread, no lock. */
    boolean notRunning() {
        return !inRun(phase);
    }
}
