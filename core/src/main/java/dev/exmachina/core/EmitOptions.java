package dev.exmachina.core;

import dev.exmachina.core.spi.EmitLease;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an emit loops. Immutable; each {@code with}-style method returns a copy.
 *
 * @param interval the wait between iterations ({@link Duration#ZERO}: none); at most
 *     {@link #MAX_INTERVAL}, the longest wait a clock measures in nanoseconds
 * @param count iterations per run; {@code null} for forever
 * @param mode how the interval is measured
 * @param autostart whether {@link Machina#run()} starts the emit; if not, {@link Event#start} does
 * @param supervision what a failure of the handler does
 * @param singleton a lease that lets one process of a fleet run the emit at a time; {@code null}
 *     for an ordinary emit (see {@link #singleton(EmitLease)})
 */
public record EmitOptions(
        Duration interval, @Nullable Long count, EmitMode mode, boolean autostart, Supervision supervision,
        @Nullable EmitLease singleton) {

    /** The longest interval: {@link Long#MAX_VALUE} nanoseconds, about 292 years. */
    public static final Duration MAX_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * Checks the options; prefer {@link #defaults()} or {@link #every} and the {@code with}-style
     * methods.
     *
     * @param interval the wait between iterations; at most {@link #MAX_INTERVAL}
     * @param count iterations per run, at least 0; {@code null} for forever
     * @param mode how the interval is measured
     * @param autostart whether {@link Machina#run()} starts the emit
     * @param supervision what a failure of the handler does
     * @param singleton the lease of a singleton emit; {@code null} for an ordinary emit
     * @throws NullPointerException if {@code interval}, {@code mode} or {@code supervision} is null
     * @throws IllegalArgumentException if {@code interval} is negative or longer than
     *     {@link #MAX_INTERVAL}, or {@code count} is negative
     */
    public EmitOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(supervision, "supervision");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, was " + interval);
        }
        if (interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval must be at most " + MAX_INTERVAL
                    + " (Long.MAX_VALUE nanoseconds, about 292 years), was " + interval);
        }
        if (count != null && count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }

    /**
     * Options of an ordinary (not singleton) emit: the constructor of version 0.1.
     *
     * @param interval the wait between iterations; at most {@link #MAX_INTERVAL}
     * @param count iterations per run, at least 0; {@code null} for forever
     * @param mode how the interval is measured
     * @param autostart whether {@link Machina#run()} starts the emit
     * @param supervision what a failure of the handler does
     */
    public EmitOptions(Duration interval, @Nullable Long count, EmitMode mode, boolean autostart, Supervision supervision) {
        this(interval, count, mode, autostart, supervision, null);
    }

    /**
     * No interval, forever, {@link EmitMode#AFTER}, autostart, {@link Supervision#stopBot()}.
     *
     * @return the default options
     */
    public static EmitOptions defaults() {
        return new EmitOptions(Duration.ZERO, null, EmitMode.AFTER, true, Supervision.stopBot(), null);
    }

    /**
     * The defaults with an interval.
     *
     * @param interval the wait between iterations; at most {@link #MAX_INTERVAL}
     * @return the default options with that interval
     */
    public static EmitOptions every(Duration interval) {
        return defaults().interval(interval);
    }

    /**
     * The defaults with an interval string such as {@code "1s"} or {@code "1d4h"}.
     *
     * @param interval the wait between iterations, in the format of {@link Intervals#parse}
     * @return the default options with that interval
     * @throws IllegalArgumentException if {@code interval} cannot be parsed
     */
    public static EmitOptions every(String interval) {
        return every(Intervals.parse(interval));
    }

    /**
     * A copy that waits {@code interval} between iterations, measured as its {@link #mode} says.
     *
     * @param interval the wait between iterations ({@link Duration#ZERO}: none); at most
     *     {@link #MAX_INTERVAL}
     * @return a copy with that interval
     */
    public EmitOptions interval(Duration interval) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton);
    }

    /**
     * A copy that runs {@code count} iterations per run, then is no longer alive.
     *
     * @param count iterations per run, at least 0
     * @return a copy with that count
     */
    public EmitOptions count(long count) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton);
    }

    /**
     * A copy whose interval is measured as {@code mode} says: a fixed delay or a fixed rate.
     *
     * @param mode how the interval is measured
     * @return a copy with that mode
     */
    public EmitOptions mode(EmitMode mode) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton);
    }

    /**
     * A copy that {@link Machina#run()} starts, or leaves stopped until an {@link Event#start}.
     *
     * @param autostart whether {@code run()} starts the emit
     * @return a copy with that choice
     */
    public EmitOptions autostart(boolean autostart) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton);
    }

    /**
     * A copy whose handler failures are handled by {@code supervision}.
     *
     * @param supervision what a failure of the handler does
     * @return a copy with that supervision
     */
    public EmitOptions supervision(Supervision supervision) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton);
    }

    /**
     * A copy that is a <b>singleton</b> across a fleet of processes: before each iteration the emit
     * takes {@code lease} (a lease with a time to live in a store the processes share, such as the
     * one {@code exmachina-redis} makes), and only the holder runs the iteration; a process that does
     * not hold it skips the iteration (no handler call; epoch and count do not move) and tries again
     * after the interval. The holder keeps the lease across iterations, renewed every
     * {@link EmitLease#renewEvery()} while the emit runs, and gives it up when the emit's run ends. If
     * the holder dies, its lease expires and another process takes over within one time to live plus
     * one interval. Each new holder gets a higher {@link Event#fencingToken()}.
     *
     * <p>If renewing fails during an iteration (the lease expired or the store is unreachable), the
     * iteration is not interrupted: it finishes, a warning is logged, and the next iteration runs
     * only if the lease is taken again. If taking the lease fails (the store is unreachable), the
     * iteration is skipped: a singleton never runs because the store was away.
     *
     * @param lease the lease the processes of the fleet share for this emit
     * @return a copy that runs as a singleton under {@code lease}
     */
    public EmitOptions singleton(EmitLease lease) {
        return new EmitOptions(interval, count, mode, autostart, supervision, Objects.requireNonNull(lease, "lease"));
    }
}
