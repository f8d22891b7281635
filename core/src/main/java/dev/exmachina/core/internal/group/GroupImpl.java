package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One in-memory concurrent group: its concurrency slots, the FIFO queue of attempts waiting for
 * one, and its sliding start window. See {@link ConcurrentGroup} for the contract; the decisions
 * across an execute's groups are {@link InMemoryGate}'s.
 *
 * <p><b>What {@code lock} guards:</b> {@code held}, {@code pending}, {@code queue}, {@code window},
 * {@code completion}, {@code windowQueue}, and the {@code queuedIn}/{@code handed} fields of the
 * tickets in {@code queue}. It is held for
 * short sections only, never while parking, never while waking a thread, and with other groups'
 * locks only in global order (window reservations).
 *
 * <p><b>Invariants</b> (whenever the lock is free):
 * <ul>
 *   <li>{@code 0 <= pending <= held <= maxInFlight}: {@code held} counts slots taken, by running
 *       attempts and by attempts not started yet ({@code pending}: waiting for another group's slot
 *       or for their window start, or handed a slot and not yet back).</li>
 *   <li>{@code queue} non-empty implies {@code held == maxInFlight}: a slot given back while
 *       someone waits moves straight to the first waiter ({@code handed}), it is never free.</li>
 * </ul>
 */
public final class GroupImpl implements ConcurrentGroup {

    private final String name;
    private final int order;
    private final GroupLimits limits;
    private final int maxInFlight;
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** The window of a group anchored at starts, or null. */
    final @Nullable StartWindow window;
    /** The window of a group anchored at completions, or null. */
    final @Nullable CompletionWindow completion;
    /**
     * Attempts holding every slot they need that wait for a place in {@link #completion}, which every
     * running attempt holds until it ends (FIFO: only the first may take a place that comes free).
     */
    final ArrayDeque<Waiter> windowQueue = new ArrayDeque<>();
    /** The decision "queued for a slot of this group": shared, so queueing allocates nothing more. */
    final Decision.Queued queuedHere;
    int held;
    int pending;

    public GroupImpl(String name, int order, GroupLimits limits) {
        this.name = name;
        this.order = order;
        this.limits = limits;
        Integer concurrency = limits.concurrency();
        this.maxInFlight = concurrency == null ? Integer.MAX_VALUE : concurrency;
        // GroupLimits refuses a window whose nanoseconds overflow a long.
        boolean atCompletion = limits.anchor() == GroupLimits.WindowAnchor.COMPLETION;
        this.window = limits.hasWindow() && !atCompletion
                ? new StartWindow(limits.callsPerWindow(), limits.window().toNanos()) : null;
        this.completion = limits.hasWindow() && atCompletion
                ? new CompletionWindow(limits.callsPerWindow(), limits.window().toNanos()) : null;
        this.queuedHere = Decision.queued(name);
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
        return window != null || completion != null;
    }

    @Override
    public int inFlight() {
        lock.lock();
        try {
            return held - pending;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int waiting() {
        lock.lock();
        try {
            return queue.size() + pending;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The uncontended path of an execute with this one group, under one hold of the lock and at
     * most one clock read: takes a free slot (nobody queued) and its start in the window.
     */
    Decision tryEnterAlone(BotClock clock) {
        lock.lock();
        try {
            if (!takeIfFree()) {
                return queuedHere;
            }
            StartWindow starts = window;
            CompletionWindow places = completion;
            if (starts == null && places == null) {
                return Decision.START_NOW;
            }
            long now = clock.nanoTime();
            long start;
            if (starts != null) {
                start = starts.earliest(now);
                starts.record(start);
            } else {
                if (!places.hasPlace(now) || !windowQueue.isEmpty()) {
                    held--; // nobody queues for a slot (takeIfFree said so): the slot is simply free again
                    return queuedHere;
                }
                start = places.earliest(now);
                places.record(start);
            }
            if (start - now <= 0) {
                return Decision.START_NOW;
            }
            pending++;
            return Decision.startAt(start, name);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot if one is free and nobody is queued for one (first come, first served). Lock held. */
    boolean takeIfFree() {
        assert lock.isHeldByCurrentThread();
        if (!queue.isEmpty() || held >= maxInFlight) {
            return false;
        }
        held++;
        return true;
    }

    /**
     * Gives a slot back: to the first waiter if there is one (it stays held, now by a waiter that
     * has not started: {@code pending}), else it is free. Lock held.
     *
     * @return the waiter to wake once the lock is released, or null
     */
    @Nullable Waiter giveSlotBack() {
        assert lock.isHeldByCurrentThread();
        Waiter first = queue.poll();
        if (first == null) {
            held--;
            return null;
        }
        assert held == maxInFlight : "a slot was free while " + first + " waited";
        first.handed = true; // only a releasing thread sets it, under this lock
        pending++;
        return first;
    }

    @Override
    public String toString() {
        return "concurrent group '" + name + "' " + limits;
    }
}
