package dev.exmachina.redis;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.BotClock;
import dev.exmachina.core.spi.GroupEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One shared group as this process sees it: its Redis keys and this process's local FIFO of attempts
 * waiting for a slot (only the first of them asks Redis; the others wait behind it, so within one
 * process waiters are served first come, first served).
 *
 * <p>{@link #inFlight()} and {@link #waiting()} count this process's attempts;
 * {@link RedisGroups#fleetInFlight(String)} asks Redis for the whole fleet.
 *
 * <p><b>Concurrency.</b> {@code lock} guards {@code queue}, {@code inFlight} and {@code waiting};
 * it is never held during a Redis call or while waking a thread.
 */
final class RedisGroup implements ConcurrentGroup {

    final String name;
    final GroupLimits limits;
    final String slotsKey;
    /** Anchored at starts: {@code …:starts}, start instants; at completion: {@code …:places}, places held. */
    final String windowKey;
    /** Anchored at completion: {@code …:frees}, when ended attempts' places come free; else unused. */
    final String freesKey;
    final boolean atCompletion;
    /** Set while an attempt of the fleet may wait for a slot or place: releases publish only then. */
    final String waitingKey;
    final String freedChannel;
    /**
     * {@code …:control}, a hash: {@code paused}, the Redis instant (µs) until which the fleet starts
     * nothing through the group; the limits changed at run time ({@code concurrency}, {@code calls1}, …);
     * what the server said is left ({@code budget} units until {@code budgetReset}, µs of Redis time).
     */
    final String controlKey;
    final String concurrencyArg;
    final String callsArg;
    final String windowArg;
    final String anchorArg;
    final Decision.Queued queuedHere;
    /** One entry of the deciding scripts per window (one without a window when it has none), the first holding the slots. */
    final List<Part> parts;
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    int inFlight;
    int waiting;

    private final RedisGroups owner;
    /** The limits this process registered, or last changed to. */
    private volatile GroupLimits inForce;
    /** Where pauses are reported: one per bot that registered the group through this backend. */
    private final List<GroupEvents> events = new CopyOnWriteArrayList<>();

    RedisGroup(String name, GroupLimits limits, String prefix, RedisGroups owner) {
        this.owner = owner;
        this.inForce = limits;
        this.name = name;
        this.limits = limits;
        String base = prefix + ":group:" + name;
        this.slotsKey = base + ":slots";
        // A window without a time limit counts nothing: no anchor to keep.
        this.atCompletion = limits.hasWindow() && limits.anchor() == GroupLimits.WindowAnchor.COMPLETION;
        this.windowKey = base + (atCompletion ? ":places" : ":starts");
        this.freesKey = base + ":frees";
        this.waitingKey = base + ":waiting";
        this.anchorArg = atCompletion ? "c" : "s";
        this.freedChannel = base + ":freed";
        this.controlKey = base + ":control";
        Integer concurrency = limits.concurrency();
        this.concurrencyArg = concurrency == null ? "0" : concurrency.toString();
        this.callsArg = Integer.toString(limits.callsPerWindow());
        // Microseconds, rounded up: a window is never shortened.
        long nanos = limits.window().toNanos();
        this.windowArg = Long.toString(nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1));
        this.queuedHere = Decision.queued(name);
        List<Part> p = new ArrayList<>();
        p.add(new Part(this, windowKey, freesKey, concurrencyArg, callsArg, windowArg, anchorArg, atCompletion, 1));
        List<GroupLimits.Window> windows = limits.windows();
        for (int k = 1; k < windows.size(); k++) { // windows after the first: their own keys, no slots
            GroupLimits.Window w = windows.get(k);
            boolean completion = w.anchor() == GroupLimits.WindowAnchor.COMPLETION;
            long wn = w.length().toNanos();
            p.add(new Part(this, base + (completion ? ":places:" : ":starts:") + (k + 1), base + ":frees:" + (k + 1), "0",
                    Integer.toString(w.limit()), Long.toString(wn / 1000 + (wn % 1000 == 0 ? 0 : 1)),
                    completion ? "c" : "s", completion, k + 1));
        }
        this.parts = List.copyOf(p);
    }

    /**
     * One window of the group as the scripts see it (or the group without a window): its keys and
     * arguments. Only the first part takes the group's slots ({@code concurrencyArg} "0" for the others).
     */
    record Part(RedisGroup group, String windowKey, String freesKey, String concurrencyArg, String callsArg,
            String windowArg, String anchorArg, boolean atCompletion, int number) {
        boolean startAnchored() {
            return !atCompletion && !windowArg.equals("0");
        }
    }

    boolean hasConcurrency() {
        return limits.concurrency() != null;
    }

    /** Whether a grant holds something in Redis until it ends: a slot, or a place of a completion window. */
    boolean holdsUntilEnd() {
        return hasConcurrency() || parts.stream().anyMatch(Part::atCompletion);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GroupLimits limits() {
        return inForce;
    }

    /**
     * Changes the limits for the whole fleet: the new concurrency and window limits are kept in Redis
     * (the group's control hash) and every decision of every process reads them from then on; waiters of
     * every process ask again at once. Attempts that started are never cancelled, and the starts already
     * counted stay counted. {@link #limits()} in another process still says what that process registered.
     * A shared group changes its numbers, not its shape: the same windows (lengths and anchors) and a
     * concurrency limit if and only if it had one.
     *
     * @throws IllegalArgumentException if {@code to} changes the windows' lengths or anchors, adds or drops the
     *     concurrency limit, or names another circuit breaker
     * @throws SharedGroupUnavailableException if Redis cannot take the change
     */
    @Override
    public void changeLimits(GroupLimits to) {
        GroupLimits from = inForce;
        if (!Objects.equals(from.circuitBreaker(), to.circuitBreaker())) {
            throw new IllegalArgumentException("shared group '" + name + "' keeps its circuit breaker: " + to
                    + " names another than " + from + " (change only the limits)");
        }
        if ((from.concurrency() == null) != (to.concurrency() == null) || !shape(from).equals(shape(to))) {
            throw new IllegalArgumentException("shared group '" + name + "' can change its numbers, not its shape: "
                    + to + " does not have the windows (lengths, anchors) and the concurrency limit (or none) of "
                    + from + "; register another group for other windows");
        }
        List<String> args = new ArrayList<>();
        args.add(freedChannel);
        if (to.concurrency() != null) {
            args.add("concurrency");
            args.add(to.concurrency().toString());
        }
        List<GroupLimits.Window> windows = to.windows();
        for (int k = 0; k < windows.size(); k++) {
            args.add("calls" + (k + 1));
            args.add(Integer.toString(windows.get(k).limit()));
        }
        owner.scripts().tell(ControlScripts.CHANGE, List.of(controlKey), args, List.of(name),
                "change the limits of shared group '" + name + "'", a -> a);
        inForce = to;
        wakeFirst();
        for (GroupEvents e : events) {
            e.limitsChanged(name, from, to);
        }
    }

    private static List<String> shape(GroupLimits limits) {
        return limits.windows().stream().map(w -> w.length() + " " + w.anchor()).toList();
    }

    void reportTo(GroupEvents to) {
        if (!events.contains(to)) {
            events.add(to);
        }
    }

    /**
     * Pauses the group for the whole fleet: the pause is kept in Redis ({@code …:paused}, the end in
     * Redis time, {@code until} less the bot clock's now from Redis's now), and every decision of every
     * process reserves its start at its end or later; a start reserved before the pause moves to its
     * end when it comes. Attempts already running finish. A pause never shortens one in force.
     *
     * @throws SharedGroupUnavailableException if Redis cannot take the pause
     */
    @Override
    public void pauseUntil(Instant until) {
        Duration pause = Duration.between(BotClock.system().instant(), until);
        if (pause.isNegative() || pause.isZero()) {
            return;
        }
        long micros = pause.toNanos() / 1000 + (pause.toNanos() % 1000 == 0 ? 0 : 1);
        owner.scripts().tell(ControlScripts.PAUSE, List.of(controlKey, waitingKey), List.of(Long.toString(micros), freedChannel),
                List.of(name), "pause shared group '" + name + "'", a -> a);
        wakeFirst(); // a waiter of this process asks again: its start is then reserved at the pause's end
        for (GroupEvents e : events) {
            e.paused(name, until, pause);
        }
    }

    /**
     * Takes the server's word for what is left, for the whole fleet: the budget is kept in Redis (the
     * group's control hash: {@code budget}, the units left, and {@code budgetReset}, the reset in Redis
     * time: {@code resetAt} less the bot clock's now, rounded up to the microsecond, from Redis's now),
     * and every decision of every process counts its start's cost there if it begins before the reset,
     * or reserves it at the reset when the budget has no room. A later call replaces the budget;
     * after the reset the next decision drops it.
     *
     * @throws IllegalArgumentException if {@code remaining} is negative
     * @throws SharedGroupUnavailableException if Redis cannot take the budget
     */
    @Override
    public void limitUntil(long remaining, Instant resetAt) {
        Objects.requireNonNull(resetAt, "resetAt");
        if (remaining < 0) {
            throw new IllegalArgumentException("shared group '" + name + "': the remaining announced is 0 or more, was "
                    + remaining + " (pauseUntil(resetAt) stops every caller until then)");
        }
        Duration left = Duration.between(BotClock.system().instant(), resetAt);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        long micros = left.toNanos() / 1000 + (left.toNanos() % 1000 == 0 ? 0 : 1);
        owner.scripts().tell(ControlScripts.BUDGET, List.of(controlKey), List.of(Long.toString(remaining), Long.toString(micros)),
                List.of(name), "take what the server said is left for shared group '" + name + "'", a -> a);
    }

    /**
     * Asks Redis whether the fleet's group is paused now.
     *
     * @throws SharedGroupUnavailableException if Redis cannot answer
     */
    @Override
    public Optional<Instant> pausedUntil() {
        List<?> answer = owner.scripts().ask(ControlScripts.PAUSED, List.of(controlKey), List.of(), List.of(name),
                "read the pause of shared group '" + name + "'", a -> (List<?>) a);
        long now = (Long) answer.get(0);
        long end = (Long) answer.get(1);
        return end > now ? Optional.of(BotClock.system().instant().plus(Duration.ofNanos((end - now) * 1000))) : Optional.empty();
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
            return waiting + queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the first local waiter, if any, so that it asks Redis again. Any thread, no lock held. */
    void wakeFirst() {
        @Nullable Waiter first;
        lock.lock();
        try {
            first = queue.peek();
        } finally {
            lock.unlock();
        }
        if (first != null) {
            first.wakeup.wake();
        }
    }

    void count(int inFlightDelta, int waitingDelta) {
        lock.lock();
        try {
            inFlight += inFlightDelta;
            waiting += waitingDelta;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "shared concurrent group '" + name + "' " + limits + " (Redis key " + slotsKey + ")";
    }
}
