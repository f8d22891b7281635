package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
 * No other polling. The calls' KEYS and ARGV are built once in {@link GateCalls}; a waiting attempt
 * and the local queues are in {@link Waiter}.
 */
final class RedisGate implements GroupGate {

    // The backend's logger: users configure its warnings under the public class's name.
    private static final Logger LOG = LoggerFactory.getLogger(RedisGroups.class);

    private final RedisGroups owner;
    private final RedisGroup[] groups;
    private final BotClock clock;
    /** The KEYS and ARGV of this gate's script calls. */
    private final GateCalls calls;

    RedisGate(RedisGroups owner, RedisGroup[] groups, BotClock clock) {
        this.owner = owner;
        this.groups = groups;
        this.clock = clock;
        this.calls = new GateCalls(owner, groups);
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
        /**
         * Its entry in the windows anchored at starts: the lease id, or {@code <id>#<cost>} for a call
         * costing other than 1 (renamed when the actual cost is settled, by the attempt's own thread).
         */
        volatile String member;
        /** Its place held in completion windows until it ends: named for the estimate, never renamed. */
        final String placed;

        Grant(String id, RedisGate gate, long redisStart, String member) {
            this.id = id;
            this.gate = gate;
            this.redisStart = redisStart;
            this.member = member;
            this.placed = member;
        }

        /** The entry renewed in {@code leaseKeys().get(k)}: the lease id in a slots key, else its place. */
        String leaseMember(int k) {
            int slots = 0;
            for (RedisGroup g : gate.groups) {
                if (g.hasConcurrency()) {
                    slots++;
                }
            }
            return k < slots ? id : placed;
        }

        /** The keys holding this grant's leases: slots, and places of completion windows; renewed while it lives. */
        List<String> leaseKeys() {
            List<String> out = new ArrayList<>();
            for (RedisGroup g : gate.groups) {
                if (g.hasConcurrency()) {
                    out.add(g.slotsKey);
                }
            }
            for (RedisGroup.Part part : gate.calls.parts) {
                if (part.atCompletion()) {
                    out.add(part.windowKey());
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
        RedisGroup busy = Waiter.firstWithLocalQueue(groups);
        if (busy != null) {
            return busy.queuedHere; // someone in this process waits already: behind them
        }
        return switch (decide(1, false)) {
            case Won won -> won.decision();
            case Full full -> calls.parts[full.group].group().queuedHere;
        };
    }

    /**
     * A weighted call: its groups' concurrency limits take it as any call (one slot); its windows count
     * its cost, summed on Redis with every other call of the fleet (a window anchored at completion
     * holds it from the decision until one window after the attempt ended).
     */
    @Override
    public Decision tryEnter(int cost) {
        RedisGroup busy = Waiter.firstWithLocalQueue(groups);
        if (busy != null) {
            return busy.queuedHere;
        }
        return switch (decide(cost, true)) {
            case Won won -> won.decision();
            case Full full -> calls.parts[full.group].group().queuedHere;
        };
    }

    @Override
    public Ticket ticket(Wakeup wakeup, int cost) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"), cost, true);
    }

    /**
     * The actual cost of a weighted call that ran: its entry in every window anchored at starts is renamed
     * to that cost, at the same start instant (one script call; none when the cost did not change). A
     * window anchored at completion holds the estimate until the release, which frees the actual cost
     * one window later.
     */
    @Override
    public void settle(Decision.Granted granted, int actualCost) {
        Grant grant = own(granted);
        String to = memberOf(grant.id, actualCost);
        if (to.equals(grant.member)) {
            return;
        }
        if (!calls.settleKeys.isEmpty()) {
            List<String> args = new ArrayList<>(2 + calls.settleArgs.size());
            args.add(grant.member);
            args.add(to);
            args.addAll(calls.settleArgs);
            owner.scripts().tell(GrantScripts.SETTLE, calls.settleKeys, args, calls.names, "settle the cost for "
                    + SharedGroupUnavailableException.naming(calls.names), a -> a);
        }
        grant.member = to;
    }

    /** A start's entry in the windows anchored at starts (see {@link DecisionScripts#ACQUIRE}). */
    private static String memberOf(String id, int cost) {
        return cost == 1 ? id : id + "#" + cost;
    }

    @Override
    public Ticket ticket(Wakeup wakeup) {
        return new Waiter(this, Objects.requireNonNull(wakeup, "wakeup"), 1, false);
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
                RedisGroup busy = Waiter.firstWithLocalQueue(groups);
                if (busy != null) {
                    if (!Waiter.join(w, busy)) {
                        return busy.queuedHere; // behind others of this process: woken when first
                    }
                    continue; // first in line already: ask Redis
                }
            } else if (!Waiter.isFirst(w, in)) {
                return in.queuedHere;
            }
            Full full;
            switch (decide(w.cost, w.weighed)) {
                case Won won -> {
                    w.spent = true;
                    w.cancelTimer();
                    Waiter.leave(w);
                    return won.decision();
                }
                case Full f -> full = f;
            }
            RedisGroup at = calls.parts[full.group].group();
            if (w.queuedIn != at) {
                Waiter.leave(w);
                Waiter.join(w, at);
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
        Waiter.leave(w);
    }

    @Override
    public void started(Decision.StartAt granted) {
        count(+1, -1);
    }

    /**
     * A reserved start begins: stamps it on Redis at the instant its thread runs (one script call), in
     * every window anchored at starts, so that a thread woken late (milliseconds on a busy machine, more
     * in a process just started) counts when it starts, not at the instant reserved for it: the next
     * window then cannot open early by that much. When earlier late starts fill the window there, or a
     * group was paused meanwhile, the start moves later (a {@code StartAt} again) and this thread sleeps
     * once more.
     */
    @Override
    public Decision.Granted start(Decision.StartAt granted) {
        Grant grant = own(granted);
        List<String> args = new ArrayList<>(1 + calls.startArgs.size());
        args.add(grant.member);
        args.addAll(calls.startArgs);
        List<?> answer = owner.scripts().ask(GrantScripts.START, calls.startKeys, args, calls.names, calls.startFailure, a -> (List<?>) a);
        long botNow = clock.nanoTime();
        long kind = (Long) answer.get(0);
        int index = (int) (long) (Long) answer.get(1);
        long serverNow = (Long) answer.get(2);
        long value = (Long) answer.get(3);
        if (kind == 0) {
            started(granted);
            return granted;
        }
        if (kind == 3) {
            throw neverFits(grant.member, calls.startNames.get(index - 1), value);
        }
        String by = kind == 2 ? groups[index - 1].name : calls.startNames.get(index - 1);
        // The same lease, a later start; Redis time to bot time as for a decision.
        return Decision.startAt(botNow + (value - serverNow) * 1000, by, grant);
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
        if (!calls.holds && !(giveBack && reserved)) {
            return; // start-anchored windows only: nothing held, and a start that came stays counted
        }
        owner.renewer().remove(grant); // not renewed any more: if the call below fails it expires
        try {
            owner.scripts().tell(GrantScripts.RELEASE, calls.keys, calls.releaseArgs(grant.id, giveBack, grant.redisStart, grant.member, grant.placed), calls.names,
                    giveBack ? calls.giveBackFailure : calls.releaseFailure, a -> a);
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

    /**
     * One script call: a grant (counted, its lease renewed) or a {@link Full}. A {@code weighed} call (an
     * execute with a cost) flags the windows it enters, whose decisions sum costs from then on.
     *
     * @throws IllegalArgumentException if {@code cost} is larger than a window's limit in force (changed
     *     for the fleet at run time below it), holding nothing
     */
    private Answer decide(int cost, boolean weighed) {
        String id = owner.newLeaseId();
        String member = memberOf(id, cost);
        String[] args = calls.acquireArgs.clone();
        args[1] = id;
        args[args.length - 1] = (weighed ? "w" : "") + cost;
        List<?> answer;
        try {
            answer = owner.scripts().ask(DecisionScripts.ACQUIRE, calls.keys, Arrays.asList(args), calls.names, calls.decideFailure,
                    a -> (List<?>) a);
        } catch (SharedGroupUnavailableException e) {
            owner.forget(this, id, member, member); // the script may have run before the answer was lost
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
        if (granted == 2) {
            throw neverFits(member, calls.parts[index - 1].group().name, value);
        }
        Grant grant = new Grant(id, this, value, member);
        Decision.Granted decision;
        if (index == 0 || value <= serverNow) {
            decision = Decision.startNow(grant);
            count(+1, 0);
        } else {
            // Redis time to bot time: the reserved start is that far after the instant Redis decided.
            decision = Decision.startAt(botNow + (value - serverNow) * 1000, calls.parts[index - 1].group().name, grant);
            count(0, +1);
        }
        if (calls.holds) {
            owner.renewer().add(grant, clock);
        }
        return new Won(decision);
    }

    /** A weighted start whose cost no window of the fleet could ever hold (its limit was changed below it). */
    private static IllegalArgumentException neverFits(String member, String group, long limit) {
        String cost = member.indexOf('#') < 0 ? "1" : member.substring(member.lastIndexOf('#') + 1);
        return new IllegalArgumentException("a call costing " + cost + " can never start in shared group '" + group
                + "', whose window allows " + limit + " for the fleet now (changed at run time): lower the call's cost"
                + " or raise the window's limit");
    }

    List<String> keys() {
        return calls.keys;
    }

    /** The release script's ARGV: see {@link GateCalls#releaseArgs}. */
    List<String> releaseArgs(String id, boolean giveBack, long redisStart, String member, String placed) {
        return calls.releaseArgs(id, giveBack, redisStart, member, placed);
    }

    List<String> names() {
        return calls.names;
    }

    private void count(int inFlight, int waiting) {
        for (RedisGroup g : groups) {
            g.count(inFlight, waiting);
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
}
