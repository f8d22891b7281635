package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupEvents;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One in-memory concurrent group: its concurrency slots, the FIFO queue of attempts waiting for
 * one, and its sliding start window. See {@link ConcurrentGroup} for the contract; the decisions
 * across an execute's groups are {@link InMemoryGate}'s.
 *
 * <p><b>What {@code lock} guards:</b> {@code held}, {@code pending}, {@code maxInFlight}, {@code sleepers}, {@code queue}, {@code window},
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
    /** What {@link #pausedUntilNanos} holds when no pause was ordered. */
    static final long NOT_PAUSED = Long.MIN_VALUE;

    private volatile GroupLimits limits;
    private int maxInFlight;
    private final BotClock clock;
    private final GroupEvents events;
    /**
     * The end of the last pause ordered (bot-clock nanoseconds), or {@link #NOT_PAUSED}; only grows
     * (written under {@code lock}, read without it: a pause seen a moment late is a pause ordered a
     * moment later).
     */
    volatile long pausedUntilNanos = NOT_PAUSED;
    /**
     * What the server last announced is left ({@link #limitUntil}), or null: written under {@code lock},
     * read without it to choose the path (a budget seen a moment late was announced a moment later),
     * its count read and changed under {@code lock} only; cleared under {@code lock} once its reset came.
     */
    volatile @Nullable Budget budget;
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
    /**
     * Attempts asleep until a start reserved in this group's window, by grant: woken by
     * {@link #changeLimits} to be decided again at once; each leaves on its start or give-back.
     */
    final IdentityHashMap<Decision.StartAt, GroupGate.Wakeup> sleepers = new IdentityHashMap<>();
    /** The decision "queued for a slot of this group": shared, so queueing allocates nothing more. */
    final Decision.Queued queuedHere;
    int held;
    int pending;
    /**
     * The windows after the first, each decided as a group of its own without a concurrency limit,
     * never registered nor seen by users; empty for a group of one window or none.
     */
    final GroupImpl[] moreWindows;

    public GroupImpl(String name, int order, GroupLimits limits) {
        this(name, order, limits, BotClock.system(), GroupEvents.none());
    }

    /**
     * A group deciding on {@code clock}, reporting pauses and changes to {@code events}. Each window
     * after the first is decided by a group of its own without a concurrency limit ({@link #moreWindows}),
     * taken with this one, right after it: an execute's gate decides every window at once, in one order.
     */
    public GroupImpl(String name, int order, GroupLimits limits, BotClock clock, GroupEvents events) {
        this(name, order, limits, clock, events, false);
    }

    private GroupImpl(String name, int order, GroupLimits limits, BotClock clock, GroupEvents events, boolean shadow) {
        this.name = name;
        this.order = order;
        this.limits = limits;
        this.clock = clock;
        this.events = events;
        Integer concurrency = limits.concurrency();
        this.maxInFlight = concurrency == null ? Integer.MAX_VALUE : concurrency;
        // GroupLimits refuses a window whose nanoseconds overflow a long.
        boolean atCompletion = limits.anchor() == GroupLimits.WindowAnchor.COMPLETION;
        this.window = limits.hasWindow() && !atCompletion
                ? new StartWindow(limits.callsPerWindow(), limits.window().toNanos()) : null;
        this.completion = limits.hasWindow() && atCompletion
                ? new CompletionWindow(limits.callsPerWindow(), limits.window().toNanos()) : null;
        this.queuedHere = Decision.queued(name);
        this.moreWindows = shadow ? new GroupImpl[0] : limits.moreWindows().stream()
                .map(w -> new GroupImpl(name, order, new GroupLimits(null, w.limit(), w.length(), w.anchor()), clock, events, true))
                .toArray(GroupImpl[]::new);
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

    /**
     * Replaces the concurrency and the window's limit and length; waiters queued for a slot that the
     * new concurrency frees are handed one and woken at once, and every waiter asks again. Starts
     * already counted stay counted. Adding or removing a window, or changing its anchor, is refused.
     */
    @Override
    public void changeLimits(GroupLimits next) {
        Objects.requireNonNull(next, "limits");
        GroupLimits before = limits;
        if (next.circuitBreaker() != before.circuitBreaker()) {
            throw new IllegalArgumentException("concurrent group '" + name + "': the circuit breaker cannot change at run"
                    + " time, was " + before.circuitBreaker() + ", given " + next.circuitBreaker());
        }
        if (!next.windows().stream().map(GroupLimits.Window::anchor).toList()
                .equals(before.windows().stream().map(GroupLimits.Window::anchor).toList())) {
            throw new IllegalArgumentException("concurrent group '" + name + "': the in-memory backend changes the"
                    + " concurrency and the limit and length of the group's window, not its number of windows or anchor;"
                    + " was " + before.windows() + ", given " + next.windows());
        }
        java.util.List<Waiter> woken = new java.util.ArrayList<>();
        java.util.List<GroupGate.Wakeup> sleeping = new java.util.ArrayList<>();
        lock.lock();
        try {
            Integer concurrency = next.concurrency();
            maxInFlight = concurrency == null ? Integer.MAX_VALUE : concurrency;
            if (window != null) {
                window.change(next.callsPerWindow(), next.window().toNanos());
            }
            if (completion != null) {
                completion.change(next.callsPerWindow(), next.window().toNanos());
            }
            while (held < maxInFlight && !queue.isEmpty()) { // more slots: hand them to the first waiters
                held++;
                Waiter first = queue.poll();
                first.handed = true;
                pending++;
                woken.add(first);
            }
            woken.addAll(windowQueue);
            sleeping.addAll(sleepers.values());
            limits = next;
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < moreWindows.length; i++) {
            GroupLimits.Window window = next.moreWindows().get(i);
            sleeping.addAll(moreWindows[i].changeWindow(window.limit(), window.length().toNanos()));
        }
        for (Waiter waiter : woken) {
            waiter.wakeup.wake();
        }
        for (GroupGate.Wakeup sleeper : sleeping) { // decided again at once: stamped from now under the new limits
            sleeper.wake();
        }
        events.limitsChanged(name, before, next);
    }

    /** A window after the first: new limit and length, kept by the group that decides it; returns its sleepers to wake. */
    private java.util.List<GroupGate.Wakeup> changeWindow(int limit, long windowNanos) {
        lock.lock();
        try {
            if (window != null) {
                window.change(limit, windowNanos);
            }
            if (completion != null) {
                completion.change(limit, windowNanos);
            }
            return java.util.List.copyOf(sleepers.values());
        } finally {
            lock.unlock();
        }
    }

    /** No attempt starts through the group before {@code until}; running ones finish. Never shortens a pause. */
    @Override
    public void pauseUntil(Instant until) {
        Objects.requireNonNull(until, "until");
        Duration pause = Duration.between(clock.instant(), until);
        if (pause.isNegative() || pause.isZero()) {
            return;
        }
        long untilNanos = clock.nanoTime() + pause.toNanos();
        lock.lock();
        try {
            long current = pausedUntilNanos;
            if (current != NOT_PAUSED && current - untilNanos >= 0) {
                return;
            }
            pausedUntilNanos = untilNanos;
        } finally {
            lock.unlock();
        }
        events.paused(name, until, pause);
    }

    /**
     * Until {@code resetAt}, at most {@code remaining} more units begin: starts decided from now on
     * count, attempts already granted do not. Replaces the budget in force; a past reset does nothing.
     */
    @Override
    public void limitUntil(long remaining, Instant resetAt) {
        Objects.requireNonNull(resetAt, "resetAt");
        if (remaining < 0) {
            throw new IllegalArgumentException("concurrent group '" + name + "': the remaining announced is 0 or more, was "
                    + remaining + " (pauseUntil(resetAt) stops every caller until then)");
        }
        Duration left = Duration.between(clock.instant(), resetAt);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        long resetNanos = clock.nanoTime() + left.toNanos();
        lock.lock();
        try {
            budget = new Budget(remaining, resetNanos);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Instant> pausedUntil() {
        long until = pausedUntilNanos;
        if (until == NOT_PAUSED) {
            return Optional.empty();
        }
        long left = until - clock.nanoTime();
        return left > 0 ? Optional.of(clock.instant().plusNanos(left)) : Optional.empty();
    }

    /** Each window read under the lock of the group that decides it: see {@link WindowUses}. */
    @Override
    public java.util.List<WindowUse> windowUse() {
        return WindowUses.of(this, clock);
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
     * most one clock read: takes a free slot (nobody queued) and its start in the window; null,
     * holding nothing, once a pause was ordered (the gate's general path decides then).
     */
    @Nullable Decision tryEnterAlone(BotClock clock) {
        lock.lock();
        try {
            if (!takeIfFree()) {
                return queuedHere;
            }
            if (pausedUntilNanos != NOT_PAUSED || budget != null) {
                held--; // nobody queues (takeIfFree said so): the general path decides with the pause or budget
                return null;
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
        if (held > maxInFlight || queue.isEmpty()) { // lowered at run time: this slot goes away
            held--;
            return null;
        }
        Waiter first = queue.poll();
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
