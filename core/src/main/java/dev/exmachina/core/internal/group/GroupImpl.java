package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.internal.clock.Waits;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A concurrent group's state: concurrency slots with a FIFO queue of waiters, and the start
 * instants of its sliding window. See {@link ConcurrentGroup} for the contract.
 *
 * <p>The lock guards short critical sections only; nothing parks while holding it, so under a
 * virtual clock (one bot thread at a time) it is never contended.
 */
public final class GroupImpl implements ConcurrentGroup {

    private final String name;
    private final int order;
    private final GroupLimits limits;
    private final int maxInFlight;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<SlotWaiter> waiters = new ArrayDeque<>();
    private int inFlight;
    /** The last {@code callsPerWindow} reserved starts, a ring; {@code next} is the oldest when full. */
    private final long[] starts;
    private int next;
    private int filled;
    private long lastStart = Long.MIN_VALUE;

    public GroupImpl(String name, int order, GroupLimits limits) {
        this.name = name;
        this.order = order;
        this.limits = limits;
        Integer concurrency = limits.concurrency();
        this.maxInFlight = concurrency == null ? Integer.MAX_VALUE : concurrency;
        this.windowNanos = limits.window().toNanos();
        this.starts = limits.hasWindow() ? new long[limits.callsPerWindow()] : new long[0];
    }

    @Override
    public String name() {
        return name;
    }

    /** The creation order: groups are always taken in this order. */
    public int order() {
        return order;
    }

    @Override
    public GroupLimits limits() {
        return limits;
    }

    public boolean hasWindow() {
        return starts.length > 0;
    }

    @Override
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #tryAcquire} returns when the caller must queue for a slot. */
    public static final long MUST_QUEUE = -1;

    /**
     * The uncontended path, under one hold of the lock: when a slot is free and nobody waits, takes
     * it and reserves the start in the window.
     *
     * @return how long after now the reserved start is (0: now), or {@link #MUST_QUEUE}
     */
    public long tryAcquire(BotClock clock) {
        lock.lock();
        try {
            if (!waiters.isEmpty() || inFlight >= maxInFlight) {
                return MUST_QUEUE;
            }
            inFlight++;
            if (starts.length == 0) {
                return 0;
            }
            long now = clock.nanoTime();
            long start = earliestStart(now);
            recordStart(start);
            return start - now;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a concurrency slot, waiting first come, first served. */
    public void takeSlot(BotClock clock) throws InterruptedException {
        SlotWaiter waiter;
        lock.lock();
        try {
            if (waiters.isEmpty() && inFlight < maxInFlight) {
                inFlight++;
                return;
            }
            waiter = new SlotWaiter(Thread.currentThread(), this);
            waiters.add(waiter);
        } finally {
            lock.unlock();
        }
        try {
            Waits.await(clock, waiter, () -> waiter.granted, BotClock.NO_DEADLINE);
        } catch (InterruptedException e) {
            boolean granted;
            lock.lock();
            try {
                granted = waiter.granted;
                if (!granted) {
                    waiters.remove(waiter);
                }
            } finally {
                lock.unlock();
            }
            if (granted) {
                releaseSlot(clock); // handed over while we were being interrupted: pass it on
            }
            throw e;
        }
    }

    /** Gives a slot back, handing it straight to the first waiter if there is one. */
    public void releaseSlot(BotClock clock) {
        SlotWaiter first;
        lock.lock();
        try {
            first = waiters.poll();
            if (first == null) {
                inFlight--;
            } else {
                first.granted = true; // the slot moves to the waiter: inFlight is unchanged
            }
        } finally {
            lock.unlock();
        }
        if (first != null) {
            clock.unpark(first.thread);
        }
    }

    public void lockWindow() {
        lock.lock();
    }

    public void unlockWindow() {
        lock.unlock();
    }

    /**
     * The earliest instant at or after {@code now} at which one more start keeps every interval of
     * length {@code window} at no more than {@code callsPerWindow} starts. Reservations are made in
     * arrival order, so each is no earlier than the last. Caller holds the lock.
     */
    public long earliestStart(long now) {
        long start = Math.max(now, lastStart);
        if (filled == starts.length) {
            start = Math.max(start, starts[next] + windowNanos);
        }
        return start;
    }

    /** Records a start reserved at {@code start} (from {@link #earliestStart}). Caller holds the lock. */
    public void recordStart(long start) {
        starts[next] = start;
        next = next + 1 == starts.length ? 0 : next + 1;
        if (filled < starts.length) {
            filled++;
        }
        lastStart = start;
    }

    @Override
    public String toString() {
        return "concurrent group '" + name + "' " + limits;
    }

    /** A thread waiting for a slot; {@code granted} is set, under the lock, before it is unparked. */
    public static final class SlotWaiter {
        final Thread thread;
        final GroupImpl group;
        volatile boolean granted;

        SlotWaiter(Thread thread, GroupImpl group) {
            this.thread = thread;
            this.group = group;
        }

        @Override
        public String toString() {
            return "a slot of concurrent group '" + group.name + "'";
        }
    }
}
