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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The baton of a virtual clock: which one thread runs, who runs next, and when time may move (the
 * time itself and what is due are {@link VirtualTime}'s). Every method expects the clock's lock
 * held ({@link BatonScheduler} takes it); a thread waiting for its turn releases it meanwhile.
 */
final class Baton {

    /*
     * The baton. At most one thread runs at a time: the one whose participant is `running`. A bot
     * thread runs bot code only while it holds the baton; the test thread holds it between driving
     * calls (then `running` is null and `drive` is null: the bot is frozen in time). A driving call
     * (advance, runCurrent, advanceUntilIdle, or the test thread parking, as in Launched.join or
     * Machina.run) opens a Drive: the test thread becomes its driver, hands the baton to the bot
     * and waits on `driverTurn` until the baton comes back to it. The baton is handed over only in
     * dispatch(), by the thread giving it up (a bot thread that parks or ends, or the driver
     * opening its drive), with the lock held and `running` null. This class is the only writer of
     * `running`, `drive`, the ready queue and the participants' fields (VirtualTime writes the
     * time and the due queue).
     *
     * Participants and their states. A bot thread has a Participant from the moment the factory
     * makes it until its task returns; the driver has one for the length of its drive.
     *   (made)  -> READY    the factory queues a new thread at once, in its creator's turn
     *   READY   -> RUNNING  grant(): taken from the ready queue, given the baton
     *   RUNNING -> PARKED   park(): gives the baton up, its deadline (if any) due in `time`
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
     * Time moves only in dispatch(), when nothing is ready, only to what is due next, and only if
     * that is below the drive's limit; an advance sets the time to its target after its drive,
     * with the baton back in the driver's hands. Timer actions run in dispatch() while `running`
     * is null: what they unpark or interrupt becomes READY in its place.
     */

    private final ReentrantLock lock;
    private final Condition driverTurn;
    private final VirtualTime time;
    private final Duration watchdog;
    private final Map<Thread, Participant> threads = new HashMap<>();
    private final ReadyQueue ready;
    private final Set<Thread> outsidePermits = new HashSet<>();
    private long threadNumber;
    private long steps;
    private @Nullable Participant running;
    private @Nullable Drive drive;

    Baton(ReentrantLock lock, VirtualTime time, Duration watchdog, @Nullable Random interleaving) {
        this.lock = lock;
        this.driverTurn = lock.newCondition();
        this.time = time;
        this.watchdog = watchdog;
        this.ready = new ReadyQueue(interleaving);
    }

    /** Thread hand-overs, time jumps and timer actions so far. */
    long steps() {
        return steps;
    }

    // ---- driving (the test thread) ------------------------------------------------------------

    /** Runs everything due strictly before {@code now + nanos}, then sets the time to that. */
    void advance(long nanos) {
        long target = Drive.saturatedAdd(time.now(), nanos);
        drive(newDriver(), Drive.Kind.ADVANCE, target);
        time.moveTo(target);
    }

    /** Runs every thread that may run now and everything due now, without moving time. */
    void runCurrent() {
        drive(newDriver(), Drive.Kind.CURRENT, Drive.saturatedAdd(time.now(), 1));
    }

    /** Runs until nothing is ready and nothing is due; fails at once on a wait that repeats forever. */
    void advanceUntilIdle() {
        drive(newDriver(), Drive.Kind.UNTIL_IDLE, Long.MAX_VALUE);
    }

    private Participant newDriver() {
        return new Participant(Thread.currentThread(), true, State.PARKED);
    }

    /**
     * The test thread parks (in {@code Launched.join()}, {@code Machina.run()}): it drives until it
     * is unparked, interrupted or its deadline comes, or nothing can ever wake it (a deadlock).
     */
    private void parkTestThread(Thread thread, Object blocker, long deadline) {
        if (outsidePermits.remove(thread) || thread.isInterrupted() || deadline <= time.now()) {
            return;
        }
        Participant driver = new Participant(thread, true, State.PARKED);
        driver.blocker = blocker;
        try {
            if (deadline != BotClock.NO_DEADLINE) {
                driver.wait = time.addWait(driver, deadline);
            }
            drive(driver, Drive.Kind.PARK, Long.MAX_VALUE);
        } finally {
            Due wait = driver.wait;
            if (wait != null) {
                time.remove(wait);
                driver.wait = null;
            }
        }
    }

    /** Fails unless {@code me} may open a drive: the test thread, with the bot at rest. */
    private void checkMayDrive(Thread me) {
        if (threads.containsKey(me)) {
            throw Diagnostics.botThreadDrives(me);
        }
        Drive d = drive;
        if (d != null) {
            throw Diagnostics.alreadyDriven(d.driver.thread, me);
        }
        Participant holder = running;
        if (holder != null) {
            throw Diagnostics.waitsWhileBotRuns(me, holder.thread);
        }
    }

    /**
     * Opens a drive, lock held: hands the baton to the bot, waits until it comes back to the
     * driver, and throws the drive's failure if it has one. A bot that keeps the baton for the
     * watchdog's length of real time without one hand-over fails the drive.
     */
    private void drive(Participant driver, Drive.Kind kind, long limit) {
        checkMayDrive(driver.thread);
        Drive d = new Drive(driver, kind, limit);
        drive = d;
        boolean interrupted = false;
        long watchdogNanos = watchdog.toNanos();
        try {
            dispatch();
            long seen = steps;
            long lastSeen = System.nanoTime();
            while (running != driver) {
                try {
                    driverTurn.await(Math.min(watchdogNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (running == driver) {
                    break;
                }
                if (steps != seen) {
                    seen = steps;
                    lastSeen = System.nanoTime();
                } else if (System.nanoTime() - lastSeen >= watchdogNanos) {
                    throw Diagnostics.stuck(running, watchdog);
                }
            }
        } finally {
            drive = null;
            if (running == driver) {
                running = null;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        IllegalStateException failed = d.failure;
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Hands the baton to the next thread: releases what is due now, then takes the next ready
     * thread; when none is, moves time to the next entry due below the drive's limit, or ends the
     * drive.
     */
    private void dispatch() {
        assert lock.isHeldByCurrentThread();
        Drive d = drive;
        if (d == null) {
            return;
        }
        assert running == null : "dispatch while " + running + " holds the baton";
        while (true) {
            steps += time.release(d.limit, this::waitIsOver);
            Participant next = ready.poll();
            if (next != null) {
                grant(next);
                return;
            }
            Due head = time.next(d.limit);
            if (head != null) {
                if (d.kind == Drive.Kind.UNTIL_IDLE && head.repeatsForever()) {
                    d.failure = Diagnostics.neverIdle(head);
                    grant(d.driver);
                    return;
                }
                time.jumpTo(head);
                steps++;
                continue;
            }
            if (d.kind == Drive.Kind.PARK && !d.driver.woken) {
                d.failure = Diagnostics.deadlock(time.now(), d.driver, threads.values());
            }
            grant(d.driver);
            return;
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

    /** Its deadline came: its entry has left the due queue already. */
    private void waitIsOver(Participant p) {
        p.wait = null;
        makeReady(p);
    }

    private void wakeFromPark(Participant p) {
        Due wait = p.wait;
        if (wait != null) {
            time.remove(wait);
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

    /** A bot thread named {@code name}, queued READY at once: its creator holds the baton, so its place is fixed now. */
    Thread newThread(String name, Runnable task) {
        Participant[] made = new Participant[1]; // the thread's own participant, with no lookup by thread
        Thread thread = Thread.ofVirtual().name(name + "-" + ++threadNumber).unstarted(() -> runBotThread(made[0], task));
        Participant p = new Participant(thread, false, State.READY);
        made[0] = p;
        threads.put(thread, p);
        ready.add(p);
        return thread;
    }

    private void runBotThread(Participant me, Runnable task) {
        lock.lock();
        try {
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
    void park(Object blocker, long deadline) {
        Thread thread = Thread.currentThread();
        if (time.firing()) {
            throw new IllegalStateException("a timer action must not wait on the clock: it runs while time moves");
        }
        Participant holder = running;
        Participant me = holder != null && holder.thread == thread ? holder : threads.get(thread);
        if (me == null) {
            parkTestThread(thread, blocker, deadline);
            return;
        }
        if (me.permit) {
            me.permit = false;
            return;
        }
        if (thread.isInterrupted() || deadline <= time.now()) {
            return;
        }
        if (running != me) {
            throw new IllegalStateException("bot thread " + thread.getName() + " parks without holding the baton");
        }
        me.state = State.PARKED;
        me.blocker = blocker;
        if (deadline != BotClock.NO_DEADLINE) {
            me.wait = time.addWait(me, deadline);
        }
        running = null;
        dispatch();
        awaitTurn(me);
    }

    /** {@link BotClock#unpark}: a parked participant becomes READY; otherwise its next park returns. */
    void unpark(Thread thread) {
        Participant p = participant(thread);
        if (p == null) {
            outsidePermits.add(thread);
            LockSupport.unpark(thread);
        } else if (p.state == State.PARKED) {
            wakeFromPark(p);
        } else {
            p.permit = true;
        }
    }

    /** {@link BotClock#interrupt}: interrupts the thread; a parked participant becomes READY. */
    void interrupt(Thread thread) {
        thread.interrupt();
        Participant p = participant(thread);
        if (p != null && p.state == State.PARKED) {
            wakeFromPark(p);
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

    /** Bot threads alive now, each with its state and what it waits for, sorted by name. */
    List<String> threads() {
        return Diagnostics.describe(threads.values());
    }
}
