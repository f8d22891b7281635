package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.GroupGate.Ticket;
import dev.exmachina.core.spi.GroupGate.Wakeup;
import org.jspecify.annotations.Nullable;

/**
 * One waiting attempt of this process, and the local FIFO of a shared group it waits in: only the
 * first in a group's queue asks Redis again (see {@link RedisGate}). Its fields are written by its own
 * thread; {@code queuedIn} under the queue's lock.
 */
final class Waiter implements Ticket {
    final RedisGate gate;
    final Wakeup wakeup;
    /** What the attempt costs in the windows, and whether its execute has a cost (flags the windows). */
    final int cost;
    final boolean weighed;
    volatile @Nullable RedisGroup queuedIn;
    boolean spent;
    BotClock.@Nullable Timer timer;

    Waiter(RedisGate gate, Wakeup wakeup, int cost, boolean weighed) {
        this.gate = gate;
        this.wakeup = wakeup;
        this.cost = cost;
        this.weighed = weighed;
    }

    void cancelTimer() {
        BotClock.Timer t = timer;
        timer = null;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public String toString() {
        RedisGroup in = queuedIn;
        return in == null ? "an attempt asking Redis" : "an attempt waiting for a slot of shared group '" + in.name + "'";
    }

    /** The first of {@code groups} in whose local queue an attempt of this process waits, if any. */
    static @Nullable RedisGroup firstWithLocalQueue(RedisGroup[] groups) {
        for (RedisGroup g : groups) {
            g.lock.lock();
            try {
                if (!g.queue.isEmpty()) {
                    return g;
                }
            } finally {
                g.lock.unlock();
            }
        }
        return null;
    }

    /** Joins {@code group}'s local queue. @return whether {@code w} is first in it */
    static boolean join(Waiter w, RedisGroup group) {
        group.lock.lock();
        try {
            group.queue.add(w);
            w.queuedIn = group;
            return group.queue.peek() == w;
        } finally {
            group.lock.unlock();
        }
    }

    static boolean isFirst(Waiter w, RedisGroup group) {
        group.lock.lock();
        try {
            return group.queue.peek() == w;
        } finally {
            group.lock.unlock();
        }
    }

    /** Leaves the local queue it is in; wakes the next one if it was first. */
    static void leave(Waiter w) {
        RedisGroup in = w.queuedIn;
        if (in == null) {
            return;
        }
        Waiter next = null;
        in.lock.lock();
        try {
            boolean wasFirst = in.queue.peek() == w;
            in.queue.remove(w);
            w.queuedIn = null;
            if (wasFirst) {
                next = in.queue.peek();
            }
        } finally {
            in.lock.unlock();
        }
        if (next != null) {
            next.wakeup.wake();
        }
    }
}
