package dev.exmachina.core.internal.emit;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.spi.EmitLease;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A singleton emit's hold on its {@link EmitLease} during one run of the emit: taken (or kept)
 * before each iteration, renewed every {@link EmitLease#renewEvery()} by a clock timer while held,
 * given up when the run ends.
 *
 * <p>The timer's action only starts a short-lived virtual thread that calls {@link EmitLease#renew()}
 * (which may block on I/O) and schedules the next timer; a renewal that fails marks the holding lost
 * ({@link BotEvent.LeaseFailed}, logged at WARN) and stops renewing: the iteration under way finishes, and the next one runs only
 * if {@link #acquire()} takes the lease again. A lease call that throws counts as "not held" (fail
 * closed).
 *
 * <p><b>Concurrency.</b> {@link #acquire()} and {@link #release()} come from the emit's thread,
 * renewals from their own threads; {@code lock} guards {@code held}, {@code timer} and
 * {@code generation} (never held during a lease call).
 */
final class SingletonHolding {

    private final EmitLease lease;
    private final BotClock clock;
    private final Observer observer;
    private final String emit;
    private final long renewNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean held;
    /** Bumped on every change of holding, so a renewal of an older holding does nothing. */
    private long generation;
    private BotClock.@Nullable Timer timer;

    SingletonHolding(EmitLease lease, BotClock clock, Observer observer, String emit) {
        this.lease = lease;
        this.clock = clock;
        this.observer = observer;
        this.emit = emit;
        this.renewNanos = Math.max(1_000_000L, lease.renewEvery().toNanos());
    }

    /** How long a process that does not hold the lease waits before trying again when the emit has no interval. */
    long retryNanos() {
        return renewNanos;
    }

    /** Takes or keeps the lease for the next iteration: its fencing token, or empty to skip the iteration. */
    OptionalLong acquire() {
        OptionalLong token;
        try {
            token = lease.tryAcquire();
        } catch (RuntimeException e) {
            observer.on(new BotEvent.LeaseFailed(observer.bot(), emit, BotEvent.LeaseStep.TAKE, e));
            token = OptionalLong.empty();
        }
        lock.lock();
        try {
            if (token.isEmpty()) {
                drop();
            } else if (!held) {
                held = true;
                generation++;
                schedule(generation);
            }
        } finally {
            lock.unlock();
        }
        return token;
    }

    /** Gives the lease up (end of the emit's run). Never throws. */
    void release() {
        boolean was;
        lock.lock();
        try {
            was = held;
            drop();
        } finally {
            lock.unlock();
        }
        if (was) {
            try {
                lease.release();
            } catch (RuntimeException e) {
                observer.on(new BotEvent.LeaseFailed(observer.bot(), emit, BotEvent.LeaseStep.RELEASE, e));
            }
        }
    }

    /** Lock held. */
    private void drop() {
        held = false;
        generation++;
        BotClock.Timer pending = timer;
        timer = null;
        if (pending != null) {
            pending.cancel();
        }
    }

    /** Lock held. */
    private void schedule(long forGeneration) {
        timer = clock.schedule(() -> Thread.ofVirtual().name("exmachina-lease-renewal/" + emit)
                .start(() -> renew(forGeneration)), Waits.deadline(clock.nanoTime(), Duration.ofNanos(renewNanos)));
    }

    private void renew(long forGeneration) {
        lock.lock();
        try {
            if (!held || generation != forGeneration) {
                return;
            }
        } finally {
            lock.unlock();
        }
        boolean renewed;
        @Nullable RuntimeException failure = null;
        try {
            renewed = lease.renew();
        } catch (RuntimeException e) {
            renewed = false;
            failure = e;
        }
        lock.lock();
        try {
            if (!held || generation != forGeneration) {
                return;
            }
            if (renewed) {
                schedule(forGeneration);
                return;
            }
            held = false;
            generation++;
            timer = null;
        } finally {
            lock.unlock();
        }
        observer.on(new BotEvent.LeaseFailed(observer.bot(), emit, BotEvent.LeaseStep.RENEW, failure));
    }
}
