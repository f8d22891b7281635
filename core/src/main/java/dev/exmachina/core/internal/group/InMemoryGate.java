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
 * attempts' ({@link Waiter}).
 *
 * <p><b>Lock order.</b> One group lock at a time, except a window reservation, which holds the
 * locks of the windowed groups in global order; no thread is woken under a lock.
 */
final class InMemoryGate implements GroupGate {

    private final GroupImpl[] groups;
    private final GroupImpl[] windowed;
    private final @Nullable GroupImpl single;
    private final BotClock clock;

    InMemoryGate(GroupImpl[] groups, BotClock clock) {
        this.groups = groups;
        this.windowed = Arrays.stream(groups).filter(GroupImpl::hasWindow).toArray(GroupImpl[]::new);
        this.single = groups.length == 1 ? groups[0] : null;
        this.clock = clock;
    }

    @Override
    public Decision tryEnter() {
        GroupImpl alone = single;
        if (alone != null) {
            return alone.tryEnterAlone(clock); // the hot path: one lock hold, one clock read at most
        }
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
        Decision start = reserveStart();
        if (start.kind() == Decision.Kind.START_AT) {
            markPending(+1);
        }
        return start;
    }

    @Override
    public Ticket ticket(Wakeup wakeup) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"));
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
        waiter.spent = true; // granted: from now on the decision, not the ticket, is given back
        Decision start = reserveStart();
        if (start.kind() == Decision.Kind.START_NOW) {
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
    public void started(Decision granted) {
        if (granted.kind() == Decision.Kind.START_AT) {
            markPending(-1);
        }
    }

    @Override
    public void giveBack(Decision granted) {
        boolean reserved = granted.kind() == Decision.Kind.START_AT;
        if (reserved) {
            // Window first: a waiter handed one of the slots below then reserves with the gap known.
            long now = clock.nanoTime();
            for (GroupImpl group : windowed) {
                group.lock.lock();
                try {
                    Objects.requireNonNull(group.window).giveBack(granted.startAtNanos(), now);
                } finally {
                    group.lock.unlock();
                }
            }
        }
        giveSlotsBack(groups.length, reserved);
    }

    @Override
    public void release(Decision granted) {
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
     * global order). Every slot is held by the caller.
     */
    private Decision reserveStart() {
        if (windowed.length == 0) {
            return Decision.START_NOW;
        }
        for (GroupImpl group : windowed) {
            group.lock.lock();
        }
        try {
            long now = clock.nanoTime();
            long start = now;
            GroupImpl decider = null;
            for (GroupImpl group : windowed) {
                long earliest = Objects.requireNonNull(group.window).earliest(now);
                if (earliest - start > 0) {
                    start = earliest;
                    decider = group;
                }
            }
            for (GroupImpl group : windowed) {
                Objects.requireNonNull(group.window).record(start);
            }
            return decider == null ? Decision.START_NOW : Decision.startAt(start, decider.name());
        } finally {
            for (int i = windowed.length - 1; i >= 0; i--) {
                windowed[i].lock.unlock();
            }
        }
    }

    private Waiter own(Ticket ticket) {
        if (ticket instanceof Waiter waiter && waiter.gate == this) {
            return waiter;
        }
        throw new IllegalArgumentException("not a ticket of this gate: " + ticket);
    }

    /**
     * One waiting attempt.
     *
     * <p><b>States.</b> Taking slots in global order: {@code held} groups' slots are its (each
     * counted {@code pending} there). Queued in {@code queuedIn} (in its queue), until a releasing
     * thread moves a slot to it: {@code handed}, then it is woken; its own next {@link #enter} takes
     * the slot ({@code held++}) and goes on. Granted or cancelled: {@code spent}, final.
     *
     * <p><b>Who writes what.</b> {@code held} and {@code spent}: the attempt's own thread only.
     * {@code queuedIn}: the own thread, under that group's lock. {@code handed}: set only by a
     * thread giving a slot back, under the lock of {@code queuedIn}, while the waiter is first in
     * its queue; cleared by the own thread under the same lock.
     */
    static final class Waiter implements Ticket {
        final InMemoryGate gate;
        final Wakeup wakeup;
        int held;
        boolean spent;
        @Nullable GroupImpl queuedIn;
        boolean handed;

        Waiter(InMemoryGate gate, Wakeup wakeup) {
            this.gate = gate;
            this.wakeup = wakeup;
        }

        @Override
        public String toString() {
            GroupImpl in = queuedIn;
            return in == null ? "an attempt taking its groups" : "an attempt waiting for a slot of '" + in.name() + "'";
        }
    }
}
