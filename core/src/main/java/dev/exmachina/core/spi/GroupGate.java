package dev.exmachina.core.spi;

/**
 * Decides for the attempts of one execute, over all its groups at once (listed in global order):
 * take a concurrency slot of each, then reserve one start allowed by every window.
 *
 * <p><b>Never blocks.</b> Every method decides and returns at once. Waiting is core's: for
 * {@link Decision.StartAt} it sleeps on the bot clock until the reserved instant; for
 * {@link Decision.Queued} it parks until the gate calls the ticket's {@link Wakeup}, then asks
 * {@link #enter} again with the same ticket. (The grant is not handed over in the wake-up itself:
 * the woken attempt asks again, and may find it was cancelled in the meantime and give back.)
 *
 * <p><b>Protocol for one attempt.</b>
 * <ol>
 *   <li>{@link #tryEnter()}: a {@linkplain Decision.Granted grant}, or {@code Queued} holding <em>nothing</em> (no place in any
 *       queue either). Uncontended, this is the only call before the attempt starts.</li>
 *   <li>After {@code Queued}: {@link #ticket} once, then {@link #enter} until it grants. Between
 *       calls core parks until woken. If core gives up instead (interrupted, cancelled, a failed
 *       decision), it calls {@link #cancel} and nothing more for that ticket.</li>
 *   <li>A {@code StartAt} grant: core calls {@link #start} once the instant has come (which
 *       may move it later: then core sleeps again and calls {@code start} with the new decision),
 *       or {@link #giveBack} if the attempt will not start (then nothing more).</li>
 *   <li>A {@code StartNow} grant that core will not use (cancelled in between): {@link #giveBack}.</li>
 *   <li>After the attempt ran: {@link #release} exactly once.</li>
 * </ol>
 *
 * <p><b>Failures.</b> Any call may throw (a store in another process is unreachable): the attempt
 * then fails with that exception. A gate whose {@link #tryEnter} or {@link #enter} throws must
 * hold nothing for that call afterwards, except what {@link #cancel} on the ticket gives back;
 * core always calls it after a failed {@code enter}.
 *
 * <p><b>Concurrency.</b> Thread-safe; one attempt's calls come from its own thread, wake-ups from
 * any thread, except {@link #giveBack} of a {@code StartAt} grant whose attempt sleeps until its start: a
 * cancel gives it back at once from the cancelling thread, so that the start is free again when
 * the cancel returns (the attempt's thread then makes no more calls for it). Call a
 * {@link Wakeup} after releasing your own locks.
 */
public interface GroupGate {

    /**
     * The gate of an execute that lists no group: every attempt starts now and nothing is held,
     * whatever the backend. Stateless and shared.
     *
     * @return the gate every backend may return for an empty list of groups
     */
    static GroupGate none() {
        return NoGroups.GATE;
    }

    /**
     * Decides for a new attempt that holds nothing.
     *
     * @return a grant ({@code StartNow} or {@code StartAt}, every slot held), or {@code Queued}
     *     holding nothing: go on with {@link #ticket}
     */
    Decision tryEnter();

    /**
     * {@link #tryEnter()} for an attempt that costs {@code cost} in every window of its groups (a
     * weighted call): it starts only when every window has room for that cost. Core calls it only for
     * executes with a cost ({@link dev.exmachina.core.ExecuteOptions#cost(int)}), and never with a cost
     * larger than a window's limit (that attempt fails before it asks). The grant is handed back to
     * {@link #start}, {@link #settle}, {@link #giveBack} and {@link #release}, so a backend that needs the
     * cost (and where it counted it) there keeps it in the grant's {@link Decision.Lease}.
     *
     * <p>The default supports a cost of 1 only ({@link #tryEnter()}).
     *
     * @param cost what the attempt counts in each window, zero or more
     * @return as {@link #tryEnter()}
     * @throws UnsupportedOperationException if the backend does not weigh calls
     */
    default Decision tryEnter(int cost) {
        if (cost == 1) {
            return tryEnter();
        }
        throw new UnsupportedOperationException("this group backend does not weigh calls (a call costing " + cost
                + "): " + getClass().getName());
    }

    /**
     * {@link #ticket(Wakeup)} for a waiting attempt that costs {@code cost} in every window (see
     * {@link #tryEnter(int)}).
     *
     * @param wakeup what the gate calls when the attempt should ask again
     * @param cost what the attempt counts in each window, zero or more
     * @return the ticket to pass to {@link #enter} and {@link #cancel}
     * @throws UnsupportedOperationException if the backend does not weigh calls
     */
    default Ticket ticket(Wakeup wakeup, int cost) {
        if (cost == 1) {
            return ticket(wakeup);
        }
        throw new UnsupportedOperationException("this group backend does not weigh calls (a call costing " + cost
                + "): " + getClass().getName());
    }

    /**
     * A weighted attempt ran and its actual cost is known ({@link dev.exmachina.core.ExecuteOptions#costAfter}):
     * its windows count {@code actualCost} instead of the estimate it started with, at the same start.
     * Called after the attempt, before {@link #release}, at most once. The default does nothing (the
     * estimate stays counted).
     *
     * @param granted the grant the attempt started with
     * @param actualCost what the attempt actually cost, zero or more
     */
    default void settle(Decision.Granted granted, int actualCost) {}

    /**
     * A ticket for one waiting attempt: the gate wakes it through {@code wakeup}.
     *
     * @param wakeup what the gate calls when the attempt should ask again
     * @return the ticket to pass to {@link #enter} and {@link #cancel}
     */
    Ticket ticket(Wakeup wakeup);

    /**
     * Decides again for a waiting attempt; {@code Queued}: the gate keeps the ticket's place and
     * wakes it when it should ask again (spurious wake-ups are allowed: core just asks again).
     *
     * @param ticket the attempt's ticket, made by {@link #ticket}
     * @return a grant, or {@code Queued} with the ticket's place kept
     */
    Decision enter(Ticket ticket);

    /**
     * The waiting attempt gives up: its place in any queue, and any slot it holds or was handed,
     * go back (to the next waiter). Does nothing for a ticket that was granted.
     *
     * @param ticket the attempt's ticket, made by {@link #ticket}
     */
    void cancel(Ticket ticket);

    /**
     * A {@code StartAt} attempt's reserved instant came and the attempt starts now.
     *
     * @param granted the {@code StartAt} decision the attempt waited for
     */
    void started(Decision.StartAt granted);

    /**
     * A {@code StartAt} attempt's reserved instant came and its thread runs: the gate may stamp the
     * start at the instant it actually begins (a thread wakes up late, by a few microseconds to
     * milliseconds on a busy machine), so that its windows are exact on the instants attempts
     * actually start, not the instants reserved.
     *
     * <p>Returns {@code granted} (or a {@code StartNow} decision) when the attempt starts now. When
     * starting at the actual instant would put one start too many in a window (an earlier attempt
     * started late too), returns a new {@code StartAt} decision at a later instant, which replaces
     * {@code granted}: core sleeps until then and calls {@code start} again with it, and hands the
     * newest decision to {@link #giveBack} or {@link #release}. If it throws, {@code granted} stays
     * as it was (core gives it back).
     *
     * <p>The default calls {@link #started} and returns {@code granted}: the reserved instant counts.
     *
     * @param granted the {@code StartAt} decision the attempt waited for (the newest, if an earlier
     *     {@code start} moved it)
     * @return the grant the attempt starts with now, or a later {@code StartAt} to wait for
     */
    default Decision.Granted start(Decision.StartAt granted) {
        started(granted);
        return granted;
    }

    /**
     * A granted attempt will not start: its slots go back, and a reserved start that has not come
     * yet no longer counts in the windows.
     *
     * @param granted the attempt's newest grant
     */
    void giveBack(Decision.Granted granted);

    /**
     * The attempt ran and ended: its slots go back. Its start stays counted in the windows.
     *
     * @param granted the grant the attempt started with
     */
    void release(Decision.Granted granted);

    /** One waiting attempt, as the gate knows it; made by {@link #ticket}. */
    interface Ticket {}

    /** How a gate wakes a waiting attempt: makes its park return so that it asks again. Any thread. */
    @FunctionalInterface
    interface Wakeup {
        /** Makes the waiting attempt ask again; returns at once, and may be called more than once. */
        void wake();
    }
}
