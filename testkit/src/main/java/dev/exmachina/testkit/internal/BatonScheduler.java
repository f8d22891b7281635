package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import dev.exmachina.testkit.internal.Participant.State;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the threads of a virtual clock one at a time, moves its time and runs its timers: the
 * machinery behind {@code VirtualClock}, its public face. Thread-safe: every method takes one lock.
 */
public final class BatonScheduler {

    /*
     * The baton. At most one thread runs at a time: the one whose participant is `running`. A bot
     * thread runs bot code only while it holds the baton; the test thread holds it between driving
     * calls (then `running` is null and `drive` is null: the bot is frozen in time). A driving call
     * (advance, runCurrent, advanceUntilIdle, or the test thread parking, as in Launched.join or
     * Machina.run) opens a Drive: the test thread becomes its driver, hands the baton to the bot
     * and waits on `driverTurn` until the baton comes back to it. The baton is handed over only in
     * dispatch(), by the thread giving it up (a bot thread that parks or ends, or the driver
     * opening its drive), with the lock held and `running` null.
     *
     * Participants and their states. A bot thread has a Participant from the moment the factory
     * makes it until its task returns; the driver has one for the length of its drive.
     *   (made)  -> READY    the factory queues a new thread at once, in its creator's turn
     *   READY   -> RUNNING  grant(): taken from the ready queue, given the baton
     *   RUNNING -> PARKED   park(): gives the baton up, its deadline (if any) in the due queue
     *   PARKED  -> READY    makeReady(): unpark, interrupt, or its deadline was released
     *   RUNNING -> DONE     its task returned or threw; removed from `threads`
     * A PARKED thread never runs without passing READY, so every wake-up takes its place in the
     * ready queue under the lock, in an order that real timing cannot change. The driver starts
     * PARKED and ends RUNNING; at the end of its drive it is granted the baton from PARKED or READY.
     * A bot thread woken in real time (spuriously) sleeps again unless `running` is its own; one
     * interrupted from outside the clock is made READY if PARKED (as LockSupport) and awaits its turn.
     *
     * Permits. `permit` is set only by an unpark of a participant that is READY or RUNNING, and is
     * consumed by its next park, which then returns at once (LockSupport's permit). An unpark of a
     * PARKED participant makes it READY instead. Unparks of threads that are not participants go to
     * `outsidePermits`, consumed by the test thread's next park.
     *
     * The due queue holds, in (deadline, sequence) order, the deadline of every PARKED participant
     * that has one and every pending timer; an entry leaves it when it is released (its wait is
     * over: the owner becomes READY; a timer: its action runs), when its owner is woken otherwise,
     * or when the timer is cancelled. So a cancelled timer is never work.
     *
     * Time. `now` moves only forward, only in dispatch() when nothing is ready, only to the head of
     * the due queue, and only if that head is below the drive's limit; then everything due at or
     * before `now` is released in queue order. Drive.advance alone then sets `now` to its target,
     * with the baton back in the driver's hands.
     *
     * Timer actions run in dispatch(), in the thread that hands the baton over, while no bot
     * thread runs (`running` is null), with the lock held: what they unpark or interrupt becomes
     * READY in its place. They may call the clock (unpark, interrupt, schedule, nanoTime: the lock
     * is reentrant) but not wait on it; a timer they schedule at or before `now` runs in the same
     * dispatch, after them.
     *
     * The lock guards every mutable field. Whoever changes `running`, the ready queue or the due
     * queue holds it; the methods that need it assert so.
     */

    private static final Logger LOG = LoggerFactory.getLogger(BotClock.class);

    final ReentrantLock lock = new ReentrantLock();
    final Condition driverTurn = lock.newCondition();
    final Duration watchdog;
    final Map<Thread, Participant> threads = new HashMap<>();
    private final ReadyQueue ready;
    final DueQueue due = new DueQueue(lock);
    final Set<Thread> outsidePermits = new HashSet<>();
    long now;
    private long threadNumber;
    long steps;
    @Nullable Participant running;
    @Nullable Drive drive;
    /** A timer action runs: it must not wait on the clock. */
    private boolean firing;

    /**
     * @param watchdog real time a bot thread may run without waiting on the clock before a
     *     driving call fails
     * @param interleaving draws the next thread among those ready; null: first in, first out
     */
    public BatonScheduler(Duration watchdog, @Nullable Random interleaving) {
        this.watchdog = watchdog;
        this.ready = new ReadyQueue(interleaving);
    }

    /** Virtual nanoseconds since the clock was created. */
    public long now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** Thread hand-overs, time jumps and timer actions so far. */
    public long steps() {
        lock.lock();
        try {
            return steps;
        } finally {
            lock.unlock();
        }
    }

    // ---- driving (the test thread) ------------------------------------------------------------

    /** Runs everything due strictly before {@code now + nanos}, then sets the time to that. */
    public void advance(long nanos) {
        Drive.advance(this, nanos);
    }

    /** Runs every thread that may run now and everything due now, without moving time. */
    public void runCurrent() {
        Drive.runCurrent(this);
    }

    /** Runs until nothing is ready and nothing is due; fails at once on a wait that repeats forever. */
    public void advanceUntilIdle() {
        Drive.untilIdle(this);
    }

    /**
     * Hands the baton to the next thread: releases what is due now, then takes the next ready
     * thread; when none is, moves time to the next entry due below the drive's limit, or ends the
     * drive.
     */
    void dispatch() {
        assert lock.isHeldByCurrentThread();
        Drive d = drive;
        if (d == null) {
            return;
        }
        assert running == null : "dispatch while " + running + " holds the baton";
        while (true) {
            releaseDue(d.limit);
            Participant next = ready.poll();
            if (next != null) {
                grant(next);
                return;
            }
            Due head = due.first();
            if (head != null && head.deadline < d.limit) {
                if (d.kind == Drive.Kind.UNTIL_IDLE && head.repeatsForever()) {
                    d.failure = Diagnostics.neverIdle(head);
                    grant(d.driver);
                    return;
                }
                assert head.deadline > now : "a due entry was left behind at " + head.deadline;
                now = head.deadline;
                steps++;
                continue;
            }
            if (d.kind == Drive.Kind.PARK && !d.driver.woken) {
                d.failure = Diagnostics.deadlock(now, d.driver, threads.values());
            }
            grant(d.driver);
            return;
        }
    }

    /** Releases, in (deadline, sequence) order, every entry due at or before now and below {@code limit}. */
    private void releaseDue(long limit) {
        Due head;
        while ((head = due.pollDue(now, limit)) != null) {
            Participant owner = head.owner;
            if (owner != null) {
                owner.wait = null;
                makeReady(owner);
            } else {
                fire(head);
            }
        }
    }

    private void fire(Due timer) {
        assert timer.timerState == Due.TimerState.PENDING && running == null;
        timer.timerState = Due.TimerState.RAN;
        steps++;
        firing = true;
        try {
            Objects.requireNonNull(timer.action).run();
        } catch (Throwable t) {
            LOG.atError().setCause(t).log("a timer action failed: {}", t.toString());
        } finally {
            firing = false;
        }
    }

    private void grant(Participant p) {
        assert running == null && (p.state == State.READY || p.driver) : p.thread.getName() + " " + p.state;
        running = p;
        p.state = State.RUNNING;
        steps++;
        if (p.driver) {
            driverTurn.signal();
        } else {
            LockSupport.unpark(p.thread);
        }
    }

    private void makeReady(Participant p) {
        assert lock.isHeldByCurrentThread() && p.state == State.PARKED : p.thread.getName() + " " + p.state;
        p.state = State.READY;
        p.woken = true;
        ready.add(p);
    }

    private void wakeFromPark(Participant p) {
        Due wait = p.wait;
        if (wait != null) {
            due.remove(wait);
            p.wait = null;
        }
        makeReady(p);
    }

    /** Waits, lock held, until the baton comes to {@code me}; interrupts are kept for later. */
    private void awaitTurn(Participant me) {
        boolean interrupted = false;
        while (running != me) {
            lock.unlock();
            try {
                LockSupport.park(this);
            } finally {
                lock.lock();
            }
            if (Thread.interrupted()) {
                interrupted = true;
                if (me.state == State.PARKED) {
                    wakeFromPark(me); // an interrupt from outside the clock: like LockSupport, it wakes
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the clock's verbs (any thread) --------------------------------------------------------

    /** Bot threads named {@code name-N}, each queued READY as it is made. */
    public ThreadFactory threadFactory(String name) {
        Objects.requireNonNull(name, "name");
        return task -> {
            lock.lock();
            try {
                Thread thread = Thread.ofVirtual().name(name + "-" + ++threadNumber).unstarted(() -> runBotThread(task));
                Participant p = new Participant(thread, false, State.READY);
                threads.put(thread, p);
                ready.add(p); // queued by its creator, which holds the baton: its place is fixed now
                return thread;
            } finally {
                lock.unlock();
            }
        };
    }

    private void runBotThread(Runnable task) {
        Participant me;
        lock.lock();
        try {
            me = Objects.requireNonNull(threads.get(Thread.currentThread()));
            awaitTurn(me);
        } finally {
            lock.unlock();
        }
        try {
            task.run();
        } finally {
            lock.lock();
            try {
                assert running == me;
                me.state = State.DONE;
                threads.remove(me.thread);
                running = null;
                dispatch();
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@link BotClock#park}: a bot thread gives the baton up; the test thread drives meanwhile. */
    public void park(Object blocker, long deadline) {
        Thread thread = Thread.currentThread();
        lock.lock();
        try {
            if (firing) {
                throw new IllegalStateException("a timer action must not wait on the clock: it runs while time moves");
            }
            Participant me = threads.get(thread);
            if (me == null) {
                Drive.parkTestThread(this, thread, blocker, deadline);
                return;
            }
            if (me.permit) {
                me.permit = false;
                return;
            }
            if (thread.isInterrupted() || deadline <= now) {
                return;
            }
            if (running != me) {
                throw new IllegalStateException("bot thread " + thread.getName() + " parks without holding the baton");
            }
            me.state = State.PARKED;
            me.blocker = blocker;
            if (deadline != BotClock.NO_DEADLINE) {
                me.wait = due.addWait(me, deadline);
            }
            running = null;
            dispatch();
            awaitTurn(me);
        } finally {
            lock.unlock();
        }
    }

    /** {@link BotClock#unpark}: a parked participant becomes READY; otherwise its next park returns. */
    public void unpark(Thread thread) {
        lock.lock();
        try {
            Participant p = participant(thread);
            if (p == null) {
                outsidePermits.add(thread);
                LockSupport.unpark(thread);
            } else if (p.state == State.PARKED) {
                wakeFromPark(p);
            } else {
                p.permit = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link BotClock#interrupt}: interrupts the thread; a parked participant becomes READY. */
    public void interrupt(Thread thread) {
        lock.lock();
        try {
            thread.interrupt();
            Participant p = participant(thread);
            if (p != null && p.state == State.PARKED) {
                wakeFromPark(p);
            }
        } finally {
            lock.unlock();
        }
    }

    private @Nullable Participant participant(Thread thread) {
        Participant p = threads.get(thread);
        Drive d = drive;
        if (p == null && d != null && d.kind == Drive.Kind.PARK && d.driver.thread == thread) {
            p = d.driver;
        }
        return p;
    }

    /** {@link BotClock#schedule}: the action joins the due queue and runs when it is released. */
    public BotClock.Timer schedule(Runnable action, long deadline) {
        Objects.requireNonNull(action, "action");
        if (deadline == BotClock.NO_DEADLINE) {
            throw new IllegalArgumentException("a timer needs a deadline, was BotClock.NO_DEADLINE");
        }
        lock.lock();
        try {
            return due.addTimer(action, deadline);
        } finally {
            lock.unlock();
        }
    }

    /** Bot threads alive now, each with its state and what it waits for, sorted by name. */
    public List<String> threads() {
        lock.lock();
        try {
            return Diagnostics.describe(threads.values());
        } finally {
            lock.unlock();
        }
    }
}
