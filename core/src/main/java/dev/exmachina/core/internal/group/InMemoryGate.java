package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory decisions for one execute's groups (global order): a slot of each group in turn,
 * first come, first served, then one start instant allowed by every window, reserved in all of
 * them at once. Stateless itself: the state is the groups' ({@link GroupImpl}) and the waiting
 * attempts' ({@link Waiter}); the completion windows' queues are handled by {@link WindowQueues}.
 *
 * <p><b>Lock order.</b> One group lock at a time, except a window reservation, which holds the
 * locks of the windowed groups in global order; no thread is woken under a lock.
 */
final class InMemoryGate implements GroupGate {

    private final GroupImpl[] groups;
    private final GroupImpl[] windowed;
    private final @Nullable GroupImpl single;
    private final BotClock clock;
    /** Whether a group is anchored at starts: reserved starts are stamped when they begin. */
    private final boolean stampsStarts;
    /** Whether a group is anchored at completions: ends free places. */
    private final boolean endsInWindows;
    private final WindowQueues windowQueues;

    InMemoryGate(GroupImpl[] groups, BotClock clock) {
        this.groups = groups;
        this.windowed = Arrays.stream(groups).filter(GroupImpl::hasWindow).toArray(GroupImpl[]::new);
        this.single = groups.length == 1 ? groups[0] : null;
        this.clock = clock;
        this.stampsStarts = Arrays.stream(groups).anyMatch(g -> g.window != null);
        this.endsInWindows = Arrays.stream(groups).anyMatch(g -> g.completion != null);
        this.windowQueues = new WindowQueues(windowed, clock);
    }

    @Override
    public Decision tryEnter() {
        GroupImpl alone = single;
        if (alone != null) {
            Decision decided = alone.tryEnterAlone(clock); // the hot path: one lock hold, one clock read at most
            if (decided != null) {
                return decided;
            }
        }
        return enterNew(1, false);
    }

    /** A weighted call: its grant carries its {@link Weight}. */
    @Override
    public Decision tryEnter(int cost) {
        return enterNew(cost, true);
    }

    private Decision enterNew(int cost, boolean weighed) {
        int taken = 0;
        for (GroupImpl group : groups) {
            group.lock.lock();
            try {
                if (!group.takeIfFree()) {
                    break;
                }
            } finally {
                group.lock.unlock();
            }
            taken++;
        }
        if (taken < groups.length) {
            giveSlotsBack(taken, false); // tryEnter holds nothing when it says QUEUED
            return groups[taken].queuedHere;
        }
        Decision start = reserveStart(null, cost, weighed);
        switch (start) {
            case Decision.Queued queued -> giveSlotsBack(groups.length, false); // a completion window is full: hold nothing
            case Decision.StartAt at -> markPending(+1);
            case Decision.StartNow now -> {}
        }
        return start;
    }

    @Override
    public Ticket ticket(Wakeup wakeup) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"), 1, false);
    }

    @Override
    public Ticket ticket(Wakeup wakeup, int cost) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"), cost, true);
    }

    @Override
    public Decision enter(Ticket ticket) {
        Waiter waiter = own(ticket);
        if (waiter.spent) {
            throw new IllegalStateException("ticket already granted or cancelled: " + waiter);
        }
        while (waiter.held < groups.length) {
            GroupImpl group = groups[waiter.held];
            group.lock.lock();
            try {
                if (waiter.queuedIn == group) {
                    if (!waiter.handed) {
                        return group.queuedHere; // woken spuriously: still waiting
                    }
                    waiter.handed = false; // the slot is ours; the releaser counted it pending
                    waiter.queuedIn = null;
                } else if (group.takeIfFree()) {
                    group.pending++;
                } else {
                    group.queue.add(waiter);
                    waiter.queuedIn = group;
                    return group.queuedHere;
                }
            } finally {
                group.lock.unlock();
            }
            waiter.held++;
        }
        Decision start = reserveStart(waiter, waiter.cost, waiter.weighed);
        if (start instanceof Decision.Queued) {
            return start; // every slot held, waiting in a completion window's queue for an end
        }
        waiter.spent = true; // granted: from now on the decision, not the ticket, is given back
        if (start instanceof Decision.StartNow) {
            markPending(-1);
        }
        return start;
    }

    @Override
    public void cancel(Ticket ticket) {
        Waiter waiter = own(ticket);
        if (waiter.spent) {
            return;
        }
        waiter.spent = true;
        windowQueues.leave(waiter);
        GroupImpl queuedIn = waiter.queuedIn;
        if (queuedIn != null) {
            queuedIn.lock.lock();
            try {
                if (waiter.handed) {
                    waiter.held++; // handed a slot before it could take it: give that back too
                } else {
                    queuedIn.queue.remove(waiter);
                }
                waiter.handed = false;
                waiter.queuedIn = null;
            } finally {
                queuedIn.lock.unlock();
            }
        }
        giveSlotsBack(waiter.held, true);
    }

    @Override
    public void started(Decision.StartAt granted) {
        markPending(-1);
    }

    /**
     * Stamps a reserved start at the instant it actually begins, in every window anchored at starts;
     * moves it later when a late wake-up would put one start too many in a window (see
     * {@link StartWindow#restamp}).
     */
    @Override
    public Decision.Granted start(Decision.StartAt granted) {
        GroupImpl paused = Grants.pausedNow(groups, clock);
        if (!stampsStarts) {
            if (paused != null) { // paused since it was reserved
                return Grants.moved(granted, paused.pausedUntilNanos, paused);
            }
            started(granted);
            return granted;
        }
        ActualStart stamp;
        for (GroupImpl group : windowed) {
            group.lock.lock();
        }
        try {
            for (GroupImpl group : windowed) {
                group.sleepers.remove(granted);
            }
            stamp = ActualStart.stamp(windowed, granted.atNanos(), Weight.of(granted), clock.nanoTime(), paused);
        } finally {
            for (int i = windowed.length - 1; i >= 0; i--) {
                windowed[i].lock.unlock();
            }
        }
        if (granted.lease() instanceof Weight weight) {
            weight.at = stamp.at();
        }
        GroupImpl decider = stamp.movedBy();
        if (decider == null) {
            markPending(-1);
            return granted;
        }
        return Grants.moved(granted, stamp.at(), decider);
    }

    /** A sleeper for a start window is woken when a group's limits change, to be stamped again at once. */
    @Override
    public void sleeping(Decision.StartAt granted, Wakeup wakeup) {
        if (!stampsStarts) {
            return;
        }
        for (GroupImpl group : windowed) {
            group.lock.lock();
            try {
                group.sleepers.put(granted, wakeup);
            } finally {
                group.lock.unlock();
            }
        }
    }

    /** The actual cost replaces the estimate in every start window now, and in completion windows at the end. */
    @Override
    public void settle(Decision.Granted granted, int actualCost) {
        if (!(granted.lease() instanceof Weight weight)) {
            return;
        }
        weight.actual = actualCost;
        for (GroupImpl group : windowed) {
            group.lock.lock();
            try {
                StartWindow window = group.window;
                if (window != null) {
                    window.settle(weight.at, weight.cost, actualCost);
                }
            } finally {
                group.lock.unlock();
            }
        }
    }

    @Override
    public void giveBack(Decision.Granted granted) {
        long startAt = granted instanceof Decision.StartAt at ? at.atNanos() : 0;
        boolean reserved = granted instanceof Decision.StartAt;
        int cost = Weight.of(granted);
        if (windowed.length > 0) {
            // Window first: a waiter handed one of the slots below then reserves with the gap known.
            long now = clock.nanoTime();
            Waiter[] wake = null;
            for (int i = 0; i < windowed.length; i++) {
                GroupImpl group = windowed[i];
                group.lock.lock();
                try {
                    group.sleepers.remove(granted);
                    if (group.window != null && reserved) {
                        group.window.giveBack(startAt, now, cost);
                    }
                    CompletionWindow places = group.completion;
                    if (places != null) {
                        places.giveBack(reserved ? startAt : now, now, cost);
                        wake = windowQueues.nextForAPlace(group, now, wake, i);
                    }
                } finally {
                    group.lock.unlock();
                }
            }
            WindowQueues.wakeAll(wake);
        }
        giveSlotsBack(groups.length, reserved);
    }

    @Override
    public void release(Decision.Granted granted) {
        if (endsInWindows) {
            if (granted.lease() instanceof Weight weight) {
                windowQueues.ended(weight.cost, weight.actual);
            } else {
                windowQueues.ended(1, 1);
            }
        }
        if (single != null) {
            giveSlotsBack(1, false);
        } else {
            giveSlotsBack(groups.length, false);
        }
    }

    /** Gives back the slots of the first {@code count} groups, last first; wakes whoever gets one. */
    private void giveSlotsBack(int count, boolean pending) {
        for (int i = count - 1; i >= 0; i--) {
            GroupImpl group = groups[i];
            Waiter next;
            group.lock.lock();
            try {
                if (pending) {
                    group.pending--;
                }
                next = group.giveSlotBack();
            } finally {
                group.lock.unlock();
            }
            if (next != null) {
                next.wakeup.wake();
            }
        }
    }

    /** Counts every group's slot as held by an attempt not started yet ({@code +1}), or started ({@code -1}). */
    private void markPending(int delta) {
        for (GroupImpl group : groups) {
            group.lock.lock();
            try {
                group.pending += delta;
            } finally {
                group.lock.unlock();
            }
        }
    }

    /**
     * Reserves one start, the earliest every window allows, in every window at once (their locks in
     * global order). Every slot is held by the caller. When a completion window has no place to give
     * (every place held by an attempt that has not ended, or earlier waiters queue for one), returns
     * that group's {@code QUEUED}: {@code waiter} (null for {@link #tryEnter}) then waits in that
     * window's queue, holding its slots, until an end wakes it.
     */
    private Decision reserveStart(@Nullable Waiter waiter, int cost, boolean weighed) {
        GroupImpl paused = Grants.pausedNow(groups, clock);
        GroupImpl[] locked = Budget.anyIn(groups) ? groups : windowed; // both in global order
        if (locked.length == 0) {
            return paused == null ? Grants.grant(0, null, cost, weighed) : Grants.grant(paused.pausedUntilNanos, paused, cost, weighed);
        }
        Waiter leavingNext = null;
        Waiter[] wake = null;
        for (GroupImpl group : locked) {
            group.lock.lock();
        }
        try {
            long now = clock.nanoTime();
            GroupImpl decider = paused;
            long start = paused == null ? now : Math.max(now, paused.pausedUntilNanos);
            for (GroupImpl group : windowed) {
                long earliest;
                CompletionWindow places = group.completion;
                if (places != null) {
                    Waiter first = group.windowQueue.peek();
                    if (places.earliest(now, cost) == CompletionWindow.WAIT_FOR_AN_END || first != null && first != waiter) {
                        if (waiter != null && waiter.windowQueuedIn != group) {
                            leavingNext = WindowQueues.moveTo(waiter, group);
                        }
                        return group.queuedHere;
                    }
                    earliest = places.earliest(now, cost);
                } else {
                    earliest = Objects.requireNonNull(group.window).earliest(now, cost);
                }
                if (earliest - start > 0) {
                    start = earliest;
                    decider = group;
                }
            }
            GroupImpl budgeted = locked == windowed ? null : Budget.exhausted(locked, start, cost, now);
            if (budgeted != null) { // a later start than every window's: each allows it then too
                start = Objects.requireNonNull(budgeted.budget).resetNanos;
                decider = budgeted;
            }
            Budget.record(locked == windowed ? Budget.NONE : locked, start, cost);
            wake = windowQueues.record(waiter, start, cost, now);
            return Grants.grant(start, decider, cost, weighed);
        } finally {
            for (int i = locked.length - 1; i >= 0; i--) {
                locked[i].lock.unlock();
            }
            WindowQueues.wakeAll(wake);
            if (leavingNext != null) {
                leavingNext.wakeup.wake(); // it may go on now: it asks again
            }
        }
    }

    private Waiter own(Ticket ticket) {
        if (ticket instanceof Waiter waiter && waiter.gate == this) {
            return waiter;
        }
        throw new IllegalArgumentException("not a ticket of this gate: " + ticket);
    }
}
