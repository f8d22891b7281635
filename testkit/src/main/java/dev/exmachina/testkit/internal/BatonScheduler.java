package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The machinery behind {@code VirtualClock}, its public face: the clock's verbs, callable from any
 * thread, each under the clock's one lock. What they do is the {@link Baton}'s (which thread runs,
 * and when time may move) and {@link VirtualTime}'s (the time and what is due in it); this class
 * only takes the lock and checks arguments.
 */
public final class BatonScheduler {

    private final ReentrantLock lock = new ReentrantLock();
    private final VirtualTime time = new VirtualTime(lock);
    private final Baton baton;

    /**
     * @param watchdog real time a bot thread may run without waiting on the clock before a
     *     driving call fails
     * @param interleaving draws the next thread among those ready; null: first in, first out
     */
    public BatonScheduler(Duration watchdog, @Nullable Random interleaving) {
        this.baton = new Baton(lock, time, watchdog, interleaving);
    }

    /** Virtual nanoseconds since the clock was created. */
    public long now() {
        lock.lock();
        try {
            return time.now();
        } finally {
            lock.unlock();
        }
    }

    /** Thread hand-overs, time jumps and timer actions so far. */
    public long steps() {
        lock.lock();
        try {
            return baton.steps();
        } finally {
            lock.unlock();
        }
    }

    /** Runs everything due strictly before {@code now + nanos}, then sets the time to that. */
    public void advance(long nanos) {
        lock.lock();
        try {
            baton.advance(nanos);
        } finally {
            lock.unlock();
        }
    }

    /** Runs every thread that may run now and everything due now, without moving time. */
    public void runCurrent() {
        lock.lock();
        try {
            baton.runCurrent();
        } finally {
            lock.unlock();
        }
    }

    /** Runs until nothing is ready and nothing is due; fails at once on a wait that repeats forever. */
    public void advanceUntilIdle() {
        lock.lock();
        try {
            baton.advanceUntilIdle();
        } finally {
            lock.unlock();
        }
    }

    /** Bot threads named {@code name-N}, each queued READY as it is made. */
    public ThreadFactory threadFactory(String name) {
        Objects.requireNonNull(name, "name");
        return task -> {
            lock.lock();
            try {
                return baton.newThread(name, task);
            } finally {
                lock.unlock();
            }
        };
    }

    /** {@link BotClock#park}: a bot thread gives the baton up; the test thread drives meanwhile. */
    public void park(Object blocker, long deadline) {
        lock.lock();
        try {
            baton.park(blocker, deadline);
        } finally {
            lock.unlock();
        }
    }

    /** {@link BotClock#unpark}: a parked participant becomes READY; otherwise its next park returns. */
    public void unpark(Thread thread) {
        lock.lock();
        try {
            baton.unpark(thread);
        } finally {
            lock.unlock();
        }
    }

    /** {@link BotClock#interrupt}: interrupts the thread; a parked participant becomes READY. */
    public void interrupt(Thread thread) {
        lock.lock();
        try {
            baton.interrupt(thread);
        } finally {
            lock.unlock();
        }
    }

    /** {@link BotClock#schedule}: the action joins the due queue and runs when it is released. */
    public BotClock.Timer schedule(Runnable action, long deadline) {
        Objects.requireNonNull(action, "action");
        if (deadline == BotClock.NO_DEADLINE) {
            throw new IllegalArgumentException("a timer needs a deadline, was BotClock.NO_DEADLINE");
        }
        lock.lock();
        try {
            return time.schedule(action, deadline);
        } finally {
            lock.unlock();
        }
    }

    /** Bot threads alive now, each with its state and what it waits for, sorted by name. */
    public List<String> threads() {
        lock.lock();
        try {
            return baton.threads();
        } finally {
            lock.unlock();
        }
    }
}
