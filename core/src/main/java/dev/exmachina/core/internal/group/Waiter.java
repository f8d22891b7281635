package dev.exmachina.core.internal.group;

import dev.exmachina.core.spi.GroupGate;
import org.jspecify.annotations.Nullable;

/**
 * One waiting attempt: the ticket of an {@link InMemoryGate}.
 *
 * <p><b>States.</b> Taking slots in global order: {@code held} groups' slots are its (each
 * counted {@code pending} there). Queued in {@code queuedIn} (in its queue), until a releasing
 * thread moves a slot to it: {@code handed}, then it is woken; its own next
 * {@link InMemoryGate#enter} takes the slot ({@code held++}) and goes on. Granted or cancelled:
 * {@code spent}, final.
 *
 * <p><b>Who writes what.</b> {@code held} and {@code spent}: the attempt's own thread only.
 * {@code queuedIn}: the own thread, under that group's lock. {@code handed}: set only by a
 * thread giving a slot back, under the lock of {@code queuedIn}, while the waiter is first in
 * its queue; cleared by the own thread under the same lock.
 */
final class Waiter implements GroupGate.Ticket {
    final InMemoryGate gate;
    final GroupGate.Wakeup wakeup;
    int held;
    boolean spent;
    @Nullable GroupImpl queuedIn;
    boolean handed;
    /** The completion window whose queue it waits in, holding every slot; written under that group's lock. */
    @Nullable GroupImpl windowQueuedIn;

    /** What the attempt costs in each window, and whether its grant carries a {@link Weight}. */
    final int cost;
    final boolean weighed;

    Waiter(InMemoryGate gate, GroupGate.Wakeup wakeup, int cost, boolean weighed) {
        this.gate = gate;
        this.wakeup = wakeup;
        this.cost = cost;
        this.weighed = weighed;
    }

    @Override
    public String toString() {
        GroupImpl in = queuedIn;
        return in == null ? "an attempt taking its groups" : "an attempt waiting for a slot of '" + in.name() + "'";
    }
}
