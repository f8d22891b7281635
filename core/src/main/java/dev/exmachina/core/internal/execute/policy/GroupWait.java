package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.execute.Cancellation;
import dev.exmachina.core.internal.execute.ExecuteContext;
import dev.exmachina.core.internal.execute.HeldWhileWaiting;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The slow path of an attempt through its {@link GroupGate}: waits on the bot clock for what the
 * gate decided (a slot: parked until the gate wakes it; a window start: asleep until the reserved
 * instant), and gives everything back when it will not start.
 *
 * <p><b>Rule.</b> A waiter that was interrupted or cancelled never starts: after every wait it
 * checks, before asking the gate again or starting, and gives back what it holds instead (a slot
 * handed over meanwhile goes on to the next waiter).
 *
 * <p><b>A cancel from another thread</b> ({@code Forked.cancel()}) gives a reserved window start
 * back at once, while the waiter still sleeps ({@link HeldWhileWaiting}): the waiter and the
 * canceller race for it, and exactly one gives it back.
 *
 * <p><b>Bounded waits.</b> With a deadline (a {@code maxWait}, a {@code callTimeout}), a waiter whose
 * deadline passes while it queues gives up its ticket, and a reserved start later than the deadline
 * is given back at once (no point sleeping until it): either way it throws {@link Expired}, holding
 * nothing. The deadline is a park deadline on the bot clock, exact on a virtual clock.
 */
final class GroupWait {

    private final String execute;
    private final GroupGate gate;
    private final BotClock clock;
    private final Observer observer;
    private final ExecuteContext context;

    /** The cost passed for a call of an execute without a cost: the gate's unweighted methods decide. */
    static final int UNWEIGHED = -1;

    GroupWait(ExecuteContext context, GroupGate gate) {
        this.execute = context.execute();
        this.gate = gate;
        this.clock = context.clock();
        this.observer = context.observer();
        this.context = context;
    }

    /**
     * Waits for a grant after {@code decision} (from {@link GroupGate#tryEnter}) was not a plain
     * "start now", or after the caller found itself cancelled at a grant.
     *
     * @param cost what the call costs in the windows ({@link GroupGate#ticket(GroupGate.Wakeup, int)}),
     *     or {@link #UNWEIGHED} for a call of an execute without a cost
     * @return a grant whose start has come, for {@link GroupGate#release}
     * @throws InterruptedException if interrupted: nothing is held
     * @throws CancellationException if cancelled otherwise: nothing is held
     */
    Decision.Granted await(Decision decision, Cancellation token, int cost) throws InterruptedException {
        try {
            return await(decision, token, cost, 0, BotClock.NO_DEADLINE);
        } catch (Expired never) {
            throw new AssertionError("no deadline, yet expired", never);
        }
    }

    /**
     * {@link #await(Decision, Cancellation, int)} giving up at {@code deadline} (a park deadline on the
     * bot clock: {@link BotClock#NO_DEADLINE} for none), waiting since {@code since}.
     *
     * @throws Expired if the deadline passed or the start would come after it: nothing is held
     */
    Decision.Granted await(Decision decision, Cancellation token, int cost, long since, long deadline)
            throws InterruptedException, Expired {
        Decision.Granted granted = switch (decision) {
            case Decision.Queued queued -> queue(token, cost, since, deadline);
            case Decision.Granted grant -> {
                if (context.cancelled(token, true)) {
                    gate.giveBack(grant);
                    throw cancelled();
                }
                yield grant;
            }
        };
        while (granted instanceof Decision.StartAt reserved) {
            Decision.Granted next = waitForStart(reserved, token, since, deadline);
            if (next == reserved) {
                return next;
            }
            granted = next; // a start now, or the gate moved the start later: sleep again
        }
        return granted;
    }

    /** The deadline of a bounded wait passed (or a reserved start lies beyond it); nothing is held. */
    static final class Expired extends Exception {
        private static final long serialVersionUID = 1L;
        final String group;
        final long waitedNanos;

        Expired(String group, long waitedNanos, String detail) {
            super(detail, null, false, false);
            this.group = group;
            this.waitedNanos = waitedNanos;
        }
    }

    /** Queues for the slots, parked until woken; the grant returned holds every slot. */
    private Decision.Granted queue(Cancellation token, int cost, long waitingSince, long deadline)
            throws InterruptedException, Expired {
        Woken woken = new Woken(Thread.currentThread(), clock);
        GroupGate.Ticket ticket = cost == UNWEIGHED ? gate.ticket(woken) : gate.ticket(woken, cost);
        long since = clock.nanoTime();
        Decision decision;
        try {
            decision = gate.enter(ticket);
            while (decision instanceof Decision.Queued queued) {
                String group = queued.group();
                if (!Waits.await(clock, decision, woken::take, deadline)) {
                    throw new Expired(group, clock.nanoTime() - waitingSince, "no slot (or place in its window) came free in time");
                }
                if (context.cancelled(token, true)) {
                    throw cancelled(); // never ask again, never start: cancel() below gives back
                }
                // Read before asking: the gate's own read is then the last before a start, the
                // instant it counted (nothing reads the clock between that and the handler).
                long now = clock.nanoTime();
                decision = gate.enter(ticket);
                if (!(decision instanceof Decision.Queued next) || !group.equals(next.group())) {
                    observer.groupWaited(execute, group, Observer.Wait.SLOT, now - since);
                    since = now;
                }
            }
        } catch (InterruptedException | Expired | RuntimeException | Error e) {
            try {
                gate.cancel(ticket);
            } catch (RuntimeException | Error cancelFailed) {
                e.addSuppressed(cancelFailed);
            }
            throw e;
        }
        return (Decision.Granted) decision;
    }

    /**
     * Sleeps, holding the slots, until the reserved start, then starts through
     * {@link GroupGate#start}; gives everything back if it will not start. While it sleeps, a cancel
     * from another thread gives the grant back at once ({@link Cancellation#holding}), so the start
     * is free again when the cancel returns.
     *
     * @return the grant to run under ({@code granted} itself or a {@code StartNow}), or a later
     *     {@code StartAt} the gate moved the start to: sleep again
     */
    private Decision.Granted waitForStart(Decision.StartAt granted, Cancellation token, long since, long deadline)
            throws InterruptedException, Expired {
        HeldWhileWaiting held = new HeldWhileWaiting(() -> gate.giveBack(granted));
        boolean mine = false;
        token.holding(held);
        try {
            if (deadline != BotClock.NO_DEADLINE && granted.atNanos() - deadline > 0) {
                long now = clock.nanoTime();
                throw new Expired(granted.group(), now - since, "its window would start it only "
                        + java.time.Duration.ofNanos(granted.atNanos() - now) + " from now");
            }
            long began = clock.nanoTime();
            if (!context.cancelled(token, true)) { // after holding(): a cancel now sees the grant
                Waits.sleepUntil(clock, granted, granted.atNanos());
            }
            token.holding(null);
            mine = held.take();
            if (!mine || context.cancelled(token, true)) {
                throw cancelled(); // not mine: the canceller gave it back
            }
            observer.groupWaited(execute, granted.group(), Observer.Wait.WINDOW_START, clock.nanoTime() - began);
            // The gate stamps the actual start; a later StartAt (a late wake-up would overfill a
            // window) replaces this grant: the loop in await sleeps again.
            return gate.start(granted);
        } catch (InterruptedException | Expired | RuntimeException | Error e) {
            token.holding(null);
            giveBack(held, mine, granted, e);
            throw e;
        }
    }

    /** Gives the grant back unless the canceller did; a failure of either is attached to {@code e}. */
    private void giveBack(HeldWhileWaiting held, boolean mine, Decision.Granted granted, Throwable e) {
        if (mine || held.take()) {
            try {
                gate.giveBack(granted);
            } catch (RuntimeException | Error giveBackFailed) {
                e.addSuppressed(giveBackFailed);
            }
        } else if (held.failure() != null) {
            e.addSuppressed(Objects.requireNonNull(held.failure()));
        }
    }

    /**
     * What a cancelled waiter throws: an {@link InterruptedException} (returned, the flag cleared)
     * when it was interrupted, else a {@link CancellationException} (thrown here).
     */
    private InterruptedException cancelled() {
        if (Thread.interrupted()) {
            return new InterruptedException("execute '" + execute + "' was interrupted while waiting for its groups");
        }
        throw new CancellationException("execute '" + execute + "' was cancelled while waiting for its groups");
    }

    /** The wake-up a gate calls: a flag, then an unpark through the clock (so a virtual clock sees it). */
    private static final class Woken implements GroupGate.Wakeup {
        private final Thread thread;
        private final BotClock clock;
        private volatile boolean woken;

        Woken(Thread thread, BotClock clock) {
            this.thread = thread;
            this.clock = clock;
        }

        @Override
        public void wake() {
            woken = true;
            clock.unpark(thread);
        }

        /** Whether woken since last asked; clears it, so a wake-up during the next ask is not lost. */
        boolean take() {
            if (woken) {
                woken = false;
                return true;
            }
            return false;
        }
    }
}
