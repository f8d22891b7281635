package dev.exmachina.core.spi;

/**
 * Decides for the attempts of one execute, over all its groups at once (listed in global order):
 * take a concurrency slot of each, then reserve one start allowed by every window.
 *
 * <p><b>Never blocks.</b> Every method decides and returns at once. Waiting is core's: for
 * {@link Decision.Kind#START_AT} it sleeps on the bot clock until the reserved instant; for
 * {@link Decision.Kind#QUEUED} it parks until the gate calls the ticket's {@link Wakeup}, then asks
 * {@link #enter} again with the same ticket. (The grant is not handed over in the wake-up itself:
 * the woken attempt asks again, and may find it was cancelled in the meantime and give back.)
 *
 * <p><b>Protocol for one attempt.</b>
 * <ol>
 *   <li>{@link #tryEnter()}: a grant, or {@code QUEUED} holding <em>nothing</em> (no place in any
 *       queue either). Uncontended, this is the only call before the attempt starts.</li>
 *   <li>After {@code QUEUED}: {@link #ticket} once, then {@link #enter} until it grants. Between
 *       calls core parks until woken. If core gives up instead (interrupted, cancelled, a failed
 *       decision), it calls {@link #cancel} and nothing more for that ticket.</li>
 *   <li>A {@code START_AT} grant: core calls {@link #started} once the instant has come, or
 *       {@link #giveBack} if the attempt will not start (then nothing more).</li>
 *   <li>A {@code START_NOW} grant that core will not use (cancelled in between): {@link #giveBack}.</li>
 *   <li>After the attempt ran: {@link #release} exactly once.</li>
 * </ol>
 *
 * <p><b>Failures.</b> Any call may throw (a store in another process is unreachable): the attempt
 * then fails with that exception. A gate whose {@link #tryEnter} or {@link #enter} throws must
 * hold nothing for that call afterwards, except what {@link #cancel} on the ticket gives back;
 * core always calls it after a failed {@code enter}.
 *
 * <p><b>Concurrency.</b> Thread-safe; one attempt's calls come from its own thread, wake-ups from
 * any thread. Call a {@link Wakeup} after releasing your own locks.
 */
public interface GroupGate {

    /** Decides for a new attempt that holds nothing. {@code QUEUED}: nothing held; go on with {@link #ticket}. */
    Decision tryEnter();

    /** A ticket for one waiting attempt: the gate wakes it through {@code wakeup}. */
    Ticket ticket(Wakeup wakeup);

    /**
     * Decides again for a waiting attempt; {@code QUEUED}: the gate keeps the ticket's place and
     * wakes it when it should ask again (spurious wake-ups are allowed: core just asks again).
     */
    Decision enter(Ticket ticket);

    /**
     * The waiting attempt gives up: its place in any queue, and any slot it holds or was handed,
     * go back (to the next waiter). Does nothing for a ticket that was granted.
     */
    void cancel(Ticket ticket);

    /** A {@code START_AT} attempt's reserved instant came and the attempt starts now. */
    void started(Decision granted);

    /**
     * A granted attempt will not start: its slots go back, and a reserved start that has not come
     * yet no longer counts in the windows.
     */
    void giveBack(Decision granted);

    /** The attempt ran and ended: its slots go back. Its start stays counted in the windows. */
    void release(Decision granted);

    /** One waiting attempt, as the gate knows it; made by {@link #ticket}. */
    interface Ticket {}

    /** How a gate wakes a waiting attempt: makes its park return so that it asks again. Any thread. */
    @FunctionalInterface
    interface Wakeup {
        void wake();
    }
}
