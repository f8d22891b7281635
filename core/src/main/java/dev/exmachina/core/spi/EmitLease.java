package dev.exmachina.core.spi;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A lease that lets one process of a fleet run an emit at a time (a singleton emit, see
 * {@link dev.exmachina.core.EmitOptions#singleton}): held with a time to live in a store the
 * processes share, renewed while held, and fenced by a token that strictly increases with each new
 * holder.
 *
 * <p><b>How core uses it.</b> Before each iteration the emit's loop calls {@link #tryAcquire()}:
 * a token, and the iteration runs with that token as {@link dev.exmachina.core.Event#fencingToken()};
 * empty, and the iteration is skipped (no handler call; the epoch and the count do not move) and the
 * loop tries again after its interval. While held (during iterations and the interval waits between
 * them), core calls {@link #renew()} every {@link #renewEvery()} from a clock timer. When the emit's
 * run ends (count, stop, cancel, failure), core calls {@link #release()}.
 *
 * <p><b>Renewal failing.</b> If {@link #renew()} returns false or throws (the lease expired, another
 * process took it, or the store is unreachable), the iteration under way is <em>not</em> interrupted:
 * it finishes, a warning is logged, and the next iteration runs only if {@link #tryAcquire()} grants
 * the lease again (with a new, higher token if another process held it meanwhile). A handler that
 * writes to a system of record should pass the fencing token along, so that writes of a holder that
 * lost its lease can be refused there.
 *
 * <p><b>Concurrency.</b> Thread-safe: {@code tryAcquire} and {@code release} come from the emit's
 * thread, {@code renew} from another. An implementation's calls may block on I/O, bounded by its own
 * timeouts; a call that cannot be decided throws, and core then treats the lease as not held (fail
 * closed: the iteration is skipped).
 */
public interface EmitLease {

    /**
     * Takes the lease, or keeps it if this lease object already holds it (renewing its time to live).
     *
     * @return the fencing token of the current holding (the same token while the holding lasts), or
     *     empty if another holder has it
     */
    OptionalLong tryAcquire();

    /**
     * Extends the time to live of a holding.
     *
     * @return false if the lease is no longer held by this object
     */
    boolean renew();

    /** Gives the lease up if held, so another process may take it at once. */
    void release();

    /**
     * How often core calls {@link #renew()} while the lease is held: well below the time to live.
     *
     * @return the period between renewals (core renews at most once a millisecond)
     */
    Duration renewEvery();
}
