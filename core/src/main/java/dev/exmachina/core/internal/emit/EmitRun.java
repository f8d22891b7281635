package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitHandler;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.engine.BotRuntime;
import dev.exmachina.core.internal.execute.ExecuteImpl;
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

    /** Compared by identity: "wait the usual interval" after a failure that the loop goes on from. */
    private static final Duration USUAL_INTERVAL = Duration.ofNanos(-1);

    private final EmitImpl emit;
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

    EmitRun(EmitImpl emit) {
        this.emit = emit;
        this.runtime = emit.runtime();
        this.name = emit.name();
        this.options = emit.options();
        this.observer = runtime.observer();
        this.intervalWait = new BotClock.WaitReason("the interval of emit '" + name + "'", options.count() == null);
        this.stopped = () -> !emit.running();
        EmitLease lease = options.singleton();
        this.singleton = lease == null ? null : new SingletonHolding(lease, runtime.clock(), name);
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
        Long count = options.count();
        long remaining = count == null ? -1 : count;
        long interval = options.interval().toNanos(); // fits: EmitOptions refuses more
        long previous = 0;
        long end = 0;
        long scheduled = 0; // when the next iteration was due, for its lag
        boolean waited = true; // whether time may have passed since the last iteration ended
        boolean first = true;
        // The first iteration runs unless the emit was cancelled before it began: a stop does not undo a start.
        while (remaining != 0 && (first || emit.running())) {
            first = false;
            long begin = waited ? clock.nanoTime() : end; // no wait, no second clock read
            waited = true;
            OptionalLong token = OptionalLong.empty();
            if (singleton != null) {
                token = singleton.acquire();
                if (token.isEmpty()) {
                    // Another process holds the lease: skip this iteration (epoch and count stay), try again later.
                    long retry = interval == 0 ? singleton.retryNanos() : interval;
                    scheduled = plus(clock.nanoTime(), retry);
                    if (Waits.await(clock, intervalWait, stopped, scheduled)) {
                        break;
                    }
                    continue;
                }
            }
            epoch++;
            if (remaining > 0) {
                remaining--;
            }
            observer.iterationStarted(name, epoch, epoch == 1 ? 0 : Math.max(0, begin - scheduled));
            EventImpl event = new EventImpl(this, epoch, previous, remaining, token);
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
            if (emit.cancelling()) {
                if (failure != null && !EmitImpl.isCancellation(failure)) {
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
            if (remaining == 0 || !emit.running() || interval == 0) {
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

    /** {@code time + nanos}, saturating below {@link BotClock#NO_DEADLINE}. */
    private static long plus(long time, long nanos) {
        long sum = time + nanos;
        return ((time ^ sum) & (nanos ^ sum)) < 0 || sum == BotClock.NO_DEADLINE ? BotClock.NO_DEADLINE - 1 : sum;
    }

    private void fail(Throwable failure) {
        observer.emitFailed(name, failure, Observer.Decision.STOP_BOT, null);
        emit.host().emitFailed(emit, failure);
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
        return switch (options.supervision()) {
            case Supervision.StopBot stop -> {
                fail(failure);
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
                    fail(policyFailed);
                    yield null;
                }
                if (wait == null) {
                    fail(failure);
                    yield null;
                }
                observer.emitFailed(name, failure, Observer.Decision.RESTART, wait);
                yield wait;
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
}
