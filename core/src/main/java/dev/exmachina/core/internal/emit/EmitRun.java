package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.execute.ExecuteImpl;
import dev.exmachina.core.internal.schedule.Timetable;
import dev.exmachina.core.internal.execute.ForkedImpl;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.internal.scope.Scope;
import dev.exmachina.core.internal.scope.Scopes;
import dev.exmachina.core.spi.EmitLease;
import dev.exmachina.retry.RetryState;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One run of an emit's loop: its iterations, its supervision, its restart budget and the scope its
 * executes are forked into. Made, used and closed by the emit's loop thread alone (confined: no
 * lock); the emit's state, which other threads change, is read through {@link EmitImpl}.
 *
 * <p><b>Failures.</b> Nothing escapes unseen: a handler's failure goes to the supervision; what
 * escapes the loop, a fork or the scope goes to the host as a failure that stops the bot; a failure
 * thrown after the emit was cancelled is reported to the observer ({@code failedAfterCancel}), unless
 * it is the cancel's own interrupt ({@link EmitImpl#isCancellation}).
 */
final class EmitRun {

    /** What follows a failed iteration, by the emit's supervision. */
    private sealed interface AfterFailure {
        /** The loop ends (the bot stops, or the restart policy gave up). */
        record End() implements AfterFailure {}

        /** The next iteration is due by the schedule, as after a success. */
        record OnSchedule() implements AfterFailure {}

        /** The next iteration is due after {@code delay}, which replaces the schedule once. */
        record RestartAfter(Duration delay) implements AfterFailure {}
    }

    /** {@link #awaitDue}: the emit was stopped during the wait. */
    private static final long STOPPED = -2;
    /** {@link #awaitDue}: not due yet (it waited) or skipped; look again. */
    private static final long NOT_NOW = -1;

    private final EmitImpl emit;
    private final EmitHost host;
    private final BotRuntime runtime;
    private final String name;
    private final EmitOptions options;
    private final Observer observer;
    private final BotClock.WaitReason intervalWait;
    /** The condition of every wait between iterations: no longer plainly running. */
    private final BooleanSupplier stopped;
    /** A singleton emit's hold on its lease; null for an ordinary emit. */
    private final @Nullable SingletonHolding singleton;
    /** Opened on the first fork. */
    private @Nullable Scope scope;
    /** Consecutive failures under {@link Supervision.Restart}; null after a success. */
    private @Nullable RetryState restarts;
    private long epoch;

    EmitRun(EmitImpl emit, EmitHost host) {
        this.emit = emit;
        this.host = host;
        this.runtime = emit.runtime();
        this.name = emit.name();
        this.options = emit.options();
        this.observer = runtime.observer();
        this.intervalWait = new BotClock.WaitReason("the interval of emit '" + name + "'", options.count() == null);
        this.stopped = () -> !emit.running();
        EmitLease lease = options.singleton();
        this.singleton = lease == null ? null : new SingletonHolding(lease, runtime.clock(), observer, name);
    }

    long epochs() {
        return epoch;
    }

    /** Runs iterations until the count, a stop or a cancel. Never throws. @return whether it ran its whole count */
    boolean loop() {
        try {
            return iterate(emit.handler());
        } catch (InterruptedException e) {
            if (!emit.cancelling()) {
                fail(e); // an interrupt nobody asked for through cancel(): not lost
            }
            return false; // else cancelled while waiting between iterations: the loop ends here
        } catch (Throwable escaped) {
            fail(escaped);
            return false;
        }
    }

    private boolean iterate(EmitHandler handler) throws InterruptedException {
        BotClock clock = runtime.clock();
        IterationsLeft left = IterationsLeft.of(options.count());
        Timetable times = Timetable.of(options.schedule(), clock); // when each iteration is due: its one home
        long previous = 0;
        long end = clock.nanoTime();
        times.first(end);
        boolean waited = false; // whether time may have passed since `end` was read
        boolean first = true;
        // The first iteration runs unless the emit was cancelled before it began: a stop does not undo a start.
        // (A cron schedule waits for its first instant, and a stop during that wait ends the run.)
        while (!left.noneLeft() && (first || emit.running())) {
            first = false;
            long begin = waited ? clock.nanoTime() : end; // no wait, no second clock read
            waited = true;
            long late = awaitDue(times, begin);
            if (late == STOPPED) {
                break;
            }
            if (late == NOT_NOW) {
                continue;
            }
            OptionalLong token = OptionalLong.empty();
            if (singleton != null) {
                token = singleton.acquire();
                if (token.isEmpty()) {
                    // Another process holds the lease: skip this iteration (epoch and count stay), try again later.
                    times.notHeld(clock.nanoTime(), singleton.retryNanos());
                    continue;
                }
            }
            epoch++;
            left.take();
            observer.iterationStarted(name, epoch, late);
            EventImpl event = new EventImpl(this, epoch, previous, left.count(), token, begin - late,
                    times.scheduledInstant(), late);
            Throwable failure = null;
            try {
                handler.handle(event);
            } catch (Throwable t) {
                failure = t;
            }
            event.end();
            end = clock.nanoTime();
            waited = false;
            previous = end - begin;
            observer.iterationEnded(name, epoch, previous, failure);
            if (!scheduleNext(times, failure, begin, end, left)) {
                break;
            }
        }
        return left.noneLeft();
    }

    /**
     * Waits for the coming iteration's due time, or skips it by the misfire rule.
     *
     * @return how late the iteration begins at {@code now}, {@link #NOT_NOW} after a wait or a skip
     *     (the loop looks again: a wall clock may have moved), or {@link #STOPPED}
     */
    private long awaitDue(Timetable times, long now) throws InterruptedException {
        long due = times.due(now);
        if (due - now > 0) {
            return Waits.await(runtime.clock(), intervalWait, stopped, due) ? STOPPED : NOT_NOW;
        }
        long late = now - due;
        if (times.skips(late)) {
            observer.iterationSkipped(name, late);
            times.skip(now);
            return NOT_NOW;
        }
        return late;
    }

    /**
     * After an iteration: the supervision of its failure, then the next due time.
     *
     * @return false to end the loop (cancelled, or the supervision ends it)
     */
    private boolean scheduleNext(Timetable times, @Nullable Throwable failure, long begin, long end, IterationsLeft left) {
        if (emit.cancelling()) {
            if (failure != null && !EmitImpl.isCancellation(failure)) {
                observer.failedAfterCancel(name, failure); // a real failure: logged, never lost
            }
            return false;
        }
        if (failure != null) {
            AfterFailure after = onFailure(failure);
            if (after instanceof AfterFailure.End) {
                return false;
            }
            if (after instanceof AfterFailure.RestartAfter(Duration delay)) {
                times.restartAt(Waits.deadline(end, delay)); // the restart wait replaces the schedule once
                return true;
            }
        } else {
            restarts = null;
        }
        if (!left.noneLeft() && emit.running()) {
            long due = times.next(begin, end);
            if (due - end < 0 && times.runsLate() && !times.skips(end - due)) {
                observer.iterationOverran(name, end - due); // it runs at once, once: never a burst
            }
        }
        return true;
    }

    private void fail(Throwable failure) {
        observer.emitFailed(name, failure, Observer.Decision.STOP_BOT, null);
        host.emitFailed(emit, failure);
    }

    /**
     * Applies the emit's supervision to a failed iteration.
     *
     * <p>Under {@link Supervision.Restart}, a restart policy that throws (a rule's filter or the
     * retry listener) stops the bot with the policy's exception, which carries the handler's failure
     * as suppressed (the retry module adds it): neither is lost.
     *
     * @return what the loop does next
     */
    private AfterFailure onFailure(Throwable failure) {
        return switch (options.supervision()) {
            case Supervision.StopBot stop -> {
                fail(failure);
                yield new AfterFailure.End();
            }
            case Supervision.LogAndContinue go -> {
                observer.emitFailed(name, failure, Observer.Decision.CONTINUE, null);
                yield new AfterFailure.OnSchedule();
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
                    fail(policyFailed);
                    yield new AfterFailure.End();
                }
                if (wait == null) {
                    fail(failure);
                    yield new AfterFailure.End();
                }
                observer.emitFailed(name, failure, Observer.Decision.RESTART, wait);
                yield new AfterFailure.RestartAfter(wait);
            }
        };
    }

    /**
     * Forks {@code execute} into this run's scope. A fork of a cancelled emit is cancelled before it
     * starts: it never runs its body.
     */
    <A extends @Nullable Object, R extends @Nullable Object> ForkedImpl<R> fork(ExecuteImpl<A, R> execute, A argument) {
        if (scope == null) {
            scope = Scopes.open(runtime.clock(), runtime.botName() + "/" + name, this::fail);
        }
        ForkedImpl<R> forked = new ForkedImpl<>(execute.name(), name, runtime.clock(), observer, runtime::cancelled);
        if (emit.addFork(forked)) {
            forked.cancel();
        }
        scope.fork(() -> forked.run(() -> execute.call(argument, forked), () -> emit.forgetFork(forked)));
        return forked;
    }

    /** Waits for this run's forked executes (cancelled first if the emit was), then closes the scope. Never throws. */
    void close() {
        Scope open = scope;
        scope = null;
        try {
            if (open != null) {
                if (emit.cancelling()) {
                    emit.cancelForks();
                }
                open.close();
            }
        } catch (Throwable escaped) {
            fail(escaped);
        } finally {
            if (singleton != null) {
                singleton.release(); // after the forks: they belong to the holding too
            }
        }
    }

    EmitImpl emit() {
        return emit;
    }

    /** The supervisor of this run: lifecycle calls and lookups by name. */
    EmitHost host() {
        return host;
    }
}
