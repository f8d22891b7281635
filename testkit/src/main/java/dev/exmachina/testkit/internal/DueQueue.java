package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What is due at a virtual instant: parked threads' deadlines and pending timers, in (deadline,
 * sequence) order, sequence being the order they were queued in. Guarded by the clock's lock;
 * a timer's {@link BotClock.Timer#cancel()} takes it, so it may be called from any thread.
 */
final class DueQueue {

    private final ReentrantLock lock;
    private final TreeSet<Due> entries = new TreeSet<>(Due.ORDER);
    private long sequence;

    DueQueue(ReentrantLock lock) {
        this.lock = lock;
    }

    Due addWait(Participant owner, long deadline) {
        assert lock.isHeldByCurrentThread();
        Due wait = Due.waitOf(owner, deadline, sequence++);
        entries.add(wait);
        return wait;
    }

    BotClock.Timer addTimer(Runnable action, long deadline) {
        assert lock.isHeldByCurrentThread();
        Due timer = Due.timer(action, deadline, sequence++);
        entries.add(timer);
        return new BotClock.Timer() {
            @Override
            public boolean cancel() {
                return DueQueue.this.cancel(timer);
            }

            @Override
            public String toString() {
                return "virtual timer at +" + Duration.ofNanos(deadline);
            }
        };
    }

    /** Keeps a pending timer from running: it leaves the queue, so it is no longer work. */
    private boolean cancel(Due timer) {
        lock.lock();
        try {
            if (timer.timerState != Due.TimerState.PENDING) {
                return false;
            }
            timer.timerState = Due.TimerState.CANCELLED;
            entries.remove(timer);
            return true;
        } finally {
            lock.unlock();
        }
    }

    void remove(Due entry) {
        assert lock.isHeldByCurrentThread();
        entries.remove(entry);
    }

    /** The entry due first, left in the queue; null if the queue is empty. */
    @Nullable Due first() {
        return entries.isEmpty() ? null : entries.first();
    }

    /** The entry due first, removed, if it is due at or before {@code now} and before {@code limit}. */
    @Nullable Due pollDue(long now, long limit) {
        assert lock.isHeldByCurrentThread();
        Due head = first();
        if (head == null || head.deadline > now || head.deadline >= limit) {
            return null;
        }
        entries.pollFirst();
        return head;
    }
}
