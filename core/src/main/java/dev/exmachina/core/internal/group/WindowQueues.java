package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The queues of one execute's completion windows ({@link GroupImpl#windowQueue}): attempts that
 * hold every slot they need and wait for a place that only an end frees. Each queue is FIFO, so
 * only its first waiter is woken when a place comes free; it then asks again
 * ({@link InMemoryGate#enter}). Stateless itself: the queues are the groups', guarded by their
 * locks, and a waiter is woken only after every lock is released.
 */
final class WindowQueues {

    private final GroupImpl[] windowed;
    private final BotClock clock;

    /** Over {@code windowed}, the execute's groups with a window, in global order. */
    WindowQueues(GroupImpl[] windowed, BotClock clock) {
        this.windowed = windowed;
        this.clock = clock;
    }

    /**
     * An attempt ended: its places in each completion window ({@code held}, its estimate) come free,
     * {@code freed} of them (its actual cost) a window from now.
     */
    void ended(int held, int freed) {
        long now = clock.nanoTime();
        Waiter[] wake = null;
        for (int i = 0; i < windowed.length; i++) {
            GroupImpl group = windowed[i];
            CompletionWindow places = group.completion;
            if (places == null) {
                continue;
            }
            group.lock.lock();
            try {
                places.ended(now, held, freed);
                wake = nextForAPlace(group, now, wake, i);
            } finally {
                group.lock.unlock();
            }
        }
        wakeAll(wake);
    }

    /**
     * Records a start reserved at {@code start} in every window (locks held, in global order); a
     * {@code waiter} leaves the queue of each completion window it waited in.
     *
     * @return the waiters to wake once the locks are released (next in line for a place), or null
     */
    Waiter @Nullable [] record(@Nullable Waiter waiter, long start, int cost, long now) {
        Waiter[] wake = null;
        for (int i = 0; i < windowed.length; i++) {
            GroupImpl group = windowed[i];
            CompletionWindow places = group.completion;
            if (places != null) {
                places.record(start, cost);
                if (waiter != null && waiter.windowQueuedIn == group) {
                    group.windowQueue.remove(waiter);
                    waiter.windowQueuedIn = null;
                }
                wake = nextForAPlace(group, now, wake, i);
            } else {
                Objects.requireNonNull(group.window).record(start, cost);
            }
        }
        return wake;
    }

    /**
     * The first waiter for a place in {@code group}'s completion window, if a place is to be had (now
     * or at a known instant), noted in {@code wake} at {@code index} (the group's index among the
     * windowed groups) to be woken after the locks are released. Lock held.
     */
    Waiter @Nullable [] nextForAPlace(GroupImpl group, long now, Waiter @Nullable [] wake, int index) {
        Waiter first = group.windowQueue.peek();
        if (first == null || !Objects.requireNonNull(group.completion).hasPlace(now)) {
            return wake;
        }
        Waiter[] list = wake == null ? new Waiter[windowed.length] : wake;
        list[index] = first;
        return list;
    }

    /** Wakes the waiters noted by {@link #nextForAPlace}. No lock held. */
    static void wakeAll(Waiter @Nullable [] wake) {
        if (wake != null) {
            for (Waiter waiter : wake) {
                if (waiter != null) {
                    waiter.wakeup.wake();
                }
            }
        }
    }

    /**
     * Queues {@code waiter} in {@code group}'s completion window queue, taking it out of the one it
     * waited in, if any. The locks of both are held (a reservation holds every windowed group's).
     *
     * @return the waiter now first in the queue it left, if it was first there: it may go on, to be
     *     woken once the locks are released; else null
     */
    static @Nullable Waiter moveTo(Waiter waiter, GroupImpl group) {
        GroupImpl leaving = waiter.windowQueuedIn;
        group.windowQueue.add(waiter);
        waiter.windowQueuedIn = group;
        if (leaving == null) {
            return null;
        }
        boolean wasFirst = leaving.windowQueue.peek() == waiter;
        leaving.windowQueue.remove(waiter);
        return wasFirst ? leaving.windowQueue.peek() : null;
    }

    /** Takes {@code waiter} out of the completion window queue it waits in, if any; wakes the next one. */
    void leave(Waiter waiter) {
        GroupImpl in = waiter.windowQueuedIn;
        if (in == null) {
            return;
        }
        Waiter next = null;
        in.lock.lock();
        try {
            boolean wasFirst = in.windowQueue.peek() == waiter;
            in.windowQueue.remove(waiter);
            waiter.windowQueuedIn = null;
            if (wasFirst && Objects.requireNonNull(in.completion).hasPlace(clock.nanoTime())) {
                next = in.windowQueue.peek();
            }
        } finally {
            in.lock.unlock();
        }
        if (next != null) {
            next.wakeup.wake();
        }
    }
}
