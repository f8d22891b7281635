package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions for one execute's shared groups (global order), each one Lua script call that
 * takes a slot of every group and reserves one start allowed by every window, on Redis time.
 *
 * <p><b>Waiting for a slot.</b> An attempt that finds a group full waits in that group's local FIFO
 * (this process); only the first in it asks Redis again, when woken by: a slot freed anywhere in the
 * fleet (published on the group's channel, see {@link RedisGroups}), a slot freed in this process, the
 * first waiter ahead leaving, or a clock timer at the instant the group's earliest lease expires
 * (so a crashed holder's slot is noticed within one lease time to live, even if a message was lost).
 * No other polling.
 */
final class RedisGate implements GroupGate {

    // The backend's logger: users configure its warnings under the public class's name.
    private static final Logger LOG = LoggerFactory.getLogger(RedisGroups.class);

    private final RedisGroups owner;
    private final RedisGroup[] groups;
    private final BotClock clock;
    private final List<String> keys;
    private final List<String> names;
    /** What a {@link SharedGroupUnavailableException} says Redis could not do, per script. */
    private final String decideFailure;
    private final String releaseFailure;
    private final String giveBackFailure;
    /** The acquire script's ARGV, with the lease id at index 1 to fill in per call. */
    private final String[] acquireArgs;
    /** The release script's ARGV after the id, the give-back flag and the reserved start. */
    private final List<String> releaseArgs;
    /** Whether a grant holds something in Redis until it ends (a slot, a place of a completion window). */
    private final boolean holds;

    RedisGate(RedisGroups owner, RedisGroup[] groups, BotClock clock) {
        this.owner = owner;
        this.groups = groups;
        this.clock = clock;
        List<String> k = new ArrayList<>(groups.length * 4);
        List<String> n = new ArrayList<>(groups.length);
        List<String> r = new ArrayList<>(groups.length * 3);
        String[] args = new String[3 + 4 * groups.length];
        args[0] = Integer.toString(groups.length);
        args[2] = Long.toString(owner.leaseTtlMillis());
        boolean anyHeld = false;
        for (int i = 0; i < groups.length; i++) {
            RedisGroup g = groups[i];
            k.add(g.slotsKey);
            k.add(g.windowKey);
            k.add(g.freesKey);
            k.add(g.waitingKey);
            n.add(g.name);
            r.add(g.freedChannel);
            r.add(g.windowArg);
            r.add(g.anchorArg);
            args[3 + 4 * i] = g.concurrencyArg;
            args[4 + 4 * i] = g.callsArg;
            args[5 + 4 * i] = g.windowArg;
            args[6 + 4 * i] = g.anchorArg;
            anyHeld |= g.holdsUntilEnd();
        }
        this.keys = List.copyOf(k);
        this.names = List.copyOf(n);
        String naming = SharedGroupUnavailableException.naming(names);
        this.decideFailure = "decide for " + naming;
        this.releaseFailure = "take the release for " + naming;
        this.giveBackFailure = "take the give-back for " + naming;
        this.releaseArgs = List.copyOf(r);
        this.acquireArgs = args;
        this.holds = anyHeld;
    }

    /**
     * A grant as Redis knows it, carried by the core's {@link Decision.Granted} as its lease: the lease
     * id its slots and window start are recorded under in Redis, and that start. Compared by identity.
     */
    static final class Grant implements Decision.Lease {
        final String id;
        final RedisGate gate;
        /** The start Redis reserved, in µs of Redis time. */
        final long redisStart;

        Grant(String id, RedisGate gate, long redisStart) {
            this.id = id;
            this.gate = gate;
            this.redisStart = redisStart;
        }

        /** The keys holding this grant's leases: slots, and places of completion windows; renewed while it lives. */
        List<String> leaseKeys() {
            List<String> out = new ArrayList<>();
            for (RedisGroup g : gate.groups) {
                if (g.hasConcurrency()) {
                    out.add(g.slotsKey);
                }
                if (g.atCompletion) {
                    out.add(g.windowKey);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "lease " + id;
        }
    }

    /** What the acquire script answered: a grant, or which group is full. */
    private sealed interface Answer permits Won, Full {}

    /** Redis granted: the decision core waits for and runs under, its lease counted and renewed. */
    private record Won(Decision.Granted decision) implements Answer {}

    /** Redis said full: which group, and when its first lease expires. */
    private record Full(int group, long expiresInNanos) implements Answer {}

    @Override
    public Decision tryEnter() {
        RedisGroup busy = firstWithLocalQueue();
        if (busy != null) {
            return busy.queuedHere; // someone in this process waits already: behind them
        }
        return switch (decide()) {
            case Won won -> won.decision();
            case Full full -> groups[full.group].queuedHere;
        };
    }

    @Override
    public Ticket ticket(Wakeup wakeup) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"));
    }

    @Override
    public Decision enter(Ticket ticket) {
        Waiter w = own(ticket);
        if (w.spent) {
            throw new IllegalStateException("ticket already granted or cancelled");
        }
        while (true) {
            RedisGroup in = w.queuedIn;
            if (in == null) {
                RedisGroup busy = firstWithLocalQueue();
                if (busy != null) {
                    if (!join(w, busy)) {
                        return busy.queuedHere; // behind others of this process: woken when first
                    }
                    continue; // first in line already: ask Redis
                }
            } else if (!isFirst(w, in)) {
                return in.queuedHere;
            }
            Full full;
            switch (decide()) {
                case Won won -> {
                    w.spent = true;
                    w.cancelTimer();
                    leave(w);
                    return won.decision();
                }
                case Full f -> full = f;
            }
            RedisGroup at = groups[full.group];
            if (w.queuedIn != at) {
                leave(w);
                join(w, at);
            }
            // Bounded wait without a message: wake when the group's earliest lease expires.
            w.cancelTimer();
            w.timer = clock.schedule(w.wakeup::wake, clock.nanoTime() + full.expiresInNanos + 1_000_000);
            return at.queuedHere;
        }
    }

    @Override
    public void cancel(Ticket ticket) {
        Waiter w = own(ticket);
        if (w.spent) {
            return;
        }
        w.spent = true;
        w.cancelTimer();
        leave(w);
    }

    @Override
    public void started(Decision.StartAt granted) {
        count(+1, -1);
    }

    @Override
    public void giveBack(Decision.Granted granted) {
        Grant grant = own(granted);
        boolean reserved = granted instanceof Decision.StartAt;
        try {
            end(grant, true, reserved);
        } finally {
            if (reserved) {
                count(0, -1);
            } else {
                count(-1, 0);
            }
        }
    }

    @Override
    public void release(Decision.Granted granted) {
        Grant grant = own(granted);
        try {
            end(grant, false, false);
        } finally {
            count(-1, 0);
        }
    }

    private void end(Grant grant, boolean giveBack, boolean reserved) {
        if (!holds && !(giveBack && reserved)) {
            return; // start-anchored windows only: nothing held, and a start that came stays counted
        }
        owner.renewer().remove(grant); // not renewed any more: if the call below fails it expires
        try {
            owner.scripts().tell(Scripts.RELEASE, keys, releaseArgs(grant.id, giveBack, grant.redisStart), names,
                    giveBack ? giveBackFailure : releaseFailure, a -> a);
        } catch (SharedGroupUnavailableException e) {
            // Not the attempt's failure: its handler's outcome stands (a retry would run it again). What
            // it held stays held in Redis until its lease expires, which keeps the limits; nothing is lost.
            LOG.warn("{}; lease {} expires within {} ms instead", e.getMessage(), grant.id, owner.leaseTtlMillis());
        } finally {
            for (RedisGroup g : groups) {
                g.wakeFirst();
            }
        }
    }

    /** One script call: a grant (counted, its lease renewed) or a {@link Full}. */
    private Answer decide() {
        String id = owner.newLeaseId();
        String[] args = acquireArgs.clone();
        args[1] = id;
        List<?> answer;
        try {
            answer = owner.scripts().ask(Scripts.ACQUIRE, keys, Arrays.asList(args), names, decideFailure,
                    a -> (List<?>) a);
        } catch (SharedGroupUnavailableException e) {
            owner.forget(this, id); // the script may have run before the answer was lost
            throw e;
        }
        long botNow = clock.nanoTime();
        long granted = (Long) answer.get(0);
        int index = (int) (long) (Long) answer.get(1);
        long serverNow = (Long) answer.get(2);
        long value = (Long) answer.get(3);
        if (granted == 0) {
            return new Full(index - 1, Math.max(0, value) * 1000);
        }
        Grant grant = new Grant(id, this, value);
        Decision.Granted decision;
        if (index == 0 || value <= serverNow) {
            decision = Decision.startNow(grant);
            count(+1, 0);
        } else {
            // Redis time to bot time: the reserved start is that far after the instant Redis decided.
            decision = Decision.startAt(botNow + (value - serverNow) * 1000, groups[index - 1].name, grant);
            count(0, +1);
        }
        if (holds) {
            owner.renewer().add(grant, clock);
        }
        return new Won(decision);
    }

    List<String> keys() {
        return keys;
    }

    /** The release script's ARGV for lease {@code id}. */
    List<String> releaseArgs(String id, boolean giveBack, long redisStart) {
        List<String> args = new ArrayList<>(3 + releaseArgs.size());
        args.add(id);
        args.add(giveBack ? "1" : "0");
        args.add(Long.toString(redisStart));
        args.addAll(releaseArgs);
        return args;
    }

    List<String> names() {
        return names;
    }

    private void count(int inFlight, int waiting) {
        for (RedisGroup g : groups) {
            g.count(inFlight, waiting);
        }
    }

    private @Nullable RedisGroup firstWithLocalQueue() {
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
    private static boolean join(Waiter w, RedisGroup group) {
        group.lock.lock();
        try {
            group.queue.add(w);
            w.queuedIn = group;
            return group.queue.peek() == w;
        } finally {
            group.lock.unlock();
        }
    }

    private static boolean isFirst(Waiter w, RedisGroup group) {
        group.lock.lock();
        try {
            return group.queue.peek() == w;
        } finally {
            group.lock.unlock();
        }
    }

    /** Leaves the local queue it is in; wakes the next one if it was first. */
    private static void leave(Waiter w) {
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

    private Waiter own(Ticket ticket) {
        if (ticket instanceof Waiter w && w.gate == this) {
            return w;
        }
        throw new IllegalArgumentException("not a ticket of this gate: " + ticket);
    }

    private Grant own(Decision.Granted decision) {
        if (decision.lease() instanceof Grant g && g.gate == this) {
            return g;
        }
        throw new IllegalArgumentException("not a grant of this gate: " + decision);
    }

    /** One waiting attempt of this process. Its fields are written by its own thread; {@code queuedIn} under the queue's lock. */
    static final class Waiter implements Ticket {
        final RedisGate gate;
        final Wakeup wakeup;
        volatile @Nullable RedisGroup queuedIn;
        boolean spent;
        BotClock.@Nullable Timer timer;

        Waiter(RedisGate gate, Wakeup wakeup) {
            this.gate = gate;
            this.wakeup = wakeup;
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
    }
}
