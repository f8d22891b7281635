package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One driving call of the test thread: it opens the drive, hands the baton to the bot and waits,
 * with the scheduler's lock released, until the baton comes back to it. A bot that keeps the baton
 * for the watchdog's length of real time without one hand-over fails the drive.
 */
final class Drive {

    enum Kind { ADVANCE, CURRENT, UNTIL_IDLE, PARK }

    final Participant driver;
    final Kind kind;
    /** Entries due strictly before this are released within the drive. */
    final long limit;
    /** Why the drive fails, set by the scheduler before it gives the baton back. */
    @Nullable IllegalStateException failure;

    Drive(Participant driver, Kind kind, long limit) {
        this.driver = driver;
        this.kind = kind;
        this.limit = limit;
    }

    static void advance(BatonScheduler s, long nanos) {
        s.lock.lock();
        try {
            long target = saturatedAdd(s.now, nanos);
            open(s, Kind.ADVANCE, target);
            if (s.now < target) {
                s.now = target;
            }
        } finally {
            s.lock.unlock();
        }
    }

    static void runCurrent(BatonScheduler s) {
        s.lock.lock();
        try {
            open(s, Kind.CURRENT, saturatedAdd(s.now, 1));
        } finally {
            s.lock.unlock();
        }
    }

    static void untilIdle(BatonScheduler s) {
        s.lock.lock();
        try {
            open(s, Kind.UNTIL_IDLE, Long.MAX_VALUE);
        } finally {
            s.lock.unlock();
        }
    }

    private static void open(BatonScheduler s, Kind kind, long limit) {
        Thread me = Thread.currentThread();
        check(s, me);
        new Drive(new Participant(me, true, Participant.State.PARKED), kind, limit).run(s);
    }

    /**
     * The test thread parks (in {@code Launched.join()}, {@code Machina.run()}): it drives until it
     * is unparked, interrupted or its deadline comes, or nothing can ever wake it (a deadlock).
     */
    static void parkTestThread(BatonScheduler s, Thread thread, Object blocker, long deadline) {
        assert s.lock.isHeldByCurrentThread();
        if (s.outsidePermits.remove(thread) || thread.isInterrupted() || deadline <= s.now) {
            return;
        }
        check(s, thread);
        Participant driver = new Participant(thread, true, Participant.State.PARKED);
        driver.blocker = blocker;
        if (deadline != BotClock.NO_DEADLINE) {
            driver.wait = s.due.addWait(driver, deadline);
        }
        try {
            new Drive(driver, Kind.PARK, Long.MAX_VALUE).run(s);
        } finally {
            Due wait = driver.wait;
            if (wait != null) {
                s.due.remove(wait);
                driver.wait = null;
            }
        }
    }

    /** Fails unless {@code me} may open a drive on {@code s}: the test thread, with the bot at rest. */
    static void check(BatonScheduler s, Thread me) {
        if (s.threads.containsKey(me)) {
            throw new IllegalStateException("thread " + me.getName()
                    + " is a bot thread: only the test thread may advance the virtual clock");
        }
        Drive d = s.drive;
        if (d != null) {
            throw new IllegalStateException("the virtual clock is already being driven by thread "
                    + d.driver.thread.getName() + "; thread " + me.getName()
                    + " is not a bot thread: create bot threads through the clock's thread factory");
        }
        Participant holder = s.running;
        if (holder != null) {
            throw new IllegalStateException("thread " + me.getName() + " is not a bot thread but waits while bot thread "
                    + holder.thread.getName() + " runs: every thread that waits on the bot must be a bot thread or the test thread");
        }
    }

    /** Runs this drive on {@code s}, lock held: returns with the baton back in the driver's hands. */
    private void run(BatonScheduler s) {
        assert s.lock.isHeldByCurrentThread() && s.running == null && s.drive == null;
        s.drive = this;
        boolean interrupted = false;
        long watchdog = s.watchdog.toNanos();
        try {
            s.dispatch();
            long seen = s.steps;
            long lastSeen = System.nanoTime();
            while (s.running != driver) {
                try {
                    s.driverTurn.await(Math.min(watchdog, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (s.running == driver) {
                    break;
                }
                if (s.steps != seen) {
                    seen = s.steps;
                    lastSeen = System.nanoTime();
                } else if (System.nanoTime() - lastSeen >= watchdog) {
                    throw Diagnostics.stuck(s.running, s.watchdog);
                }
            }
        } finally {
            s.drive = null;
            if (s.running == driver) {
                s.running = null;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        IllegalStateException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : Math.min(sum, Long.MAX_VALUE - 1);
    }
}
