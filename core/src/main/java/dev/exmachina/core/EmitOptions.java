package dev.exmachina.core;

import dev.exmachina.core.spi.EmitLease;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an emit loops. Immutable; each {@code with}-style method returns a copy.
 *
 * <p>When the iterations run is the {@link #schedule}: a fixed delay, a fixed rate or a cron
 * expression in a time zone ({@link Schedule}). {@link #interval} and {@link #mode} are the 0.1 view
 * of a fixed schedule, kept in step with it: {@link #every} and {@link #interval(Duration)} make a
 * fixed delay ({@link EmitMode#AFTER}) or a fixed rate ({@link EmitMode#ENTIRE}); a cron schedule has
 * interval {@link Duration#ZERO} and mode {@link EmitMode#AFTER}.
 *
 * @param interval the wait between iterations ({@link Duration#ZERO}: none); at most
 *     {@link #MAX_INTERVAL}, the longest wait a clock measures in nanoseconds
 * @param count iterations per run; {@code null} for forever
 * @param mode how the interval is measured
 * @param autostart whether {@link Machina#run()} starts the emit; if not, {@link Event#start} does
 * @param supervision what a failure of the handler does
 * @param singleton a lease that lets one process of a fleet run the emit at a time; {@code null}
 *     for an ordinary emit (see {@link #singleton(EmitLease)})
 * @param schedule when the iterations run; agrees with {@code interval} and {@code mode}
 */
public record EmitOptions(
        Duration interval, @Nullable Long count, EmitMode mode, boolean autostart, Supervision supervision,
        @Nullable EmitLease singleton, Schedule schedule) {

    /** The longest interval: {@link Long#MAX_VALUE} nanoseconds, about 292 years. */
    public static final Duration MAX_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * Checks the options; prefer {@link #defaults()}, {@link #every} or {@link #schedule(Schedule)}
     * and the {@code with}-style methods.
     *
     * @param interval the wait between iterations; at most {@link #MAX_INTERVAL}
     * @param count iterations per run, at least 0; {@code null} for forever
     * @param mode how the interval is measured
     * @param autostart whether {@link Machina#run()} starts the emit
     * @param supervision what a failure of the handler does
     * @param singleton the lease of a singleton emit; {@code null} for an ordinary emit
     * @param schedule when the iterations run: a fixed delay of {@code interval} under
     *     {@link EmitMode#AFTER}, a fixed rate of {@code interval} under {@link EmitMode#ENTIRE}, or a
     *     cron schedule with {@link Duration#ZERO} and {@link EmitMode#AFTER}
     * @throws NullPointerException if {@code interval}, {@code mode}, {@code supervision} or
     *     {@code schedule} is null
     * @throws IllegalArgumentException if {@code interval} is negative or longer than
     *     {@link #MAX_INTERVAL}, {@code count} is negative, or {@code schedule} disagrees with
     *     {@code interval} and {@code mode}
     */
    public EmitOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(schedule, "schedule");
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
        boolean agrees = switch (schedule) {
            case Schedule.FixedDelay delay -> mode == EmitMode.AFTER && delay.interval().equals(interval);
            case Schedule.FixedRate rate -> mode == EmitMode.ENTIRE && rate.interval().equals(interval);
            case Schedule.Cron cron -> mode == EmitMode.AFTER && interval.isZero();
        };
        if (!agrees) {
            throw new IllegalArgumentException("schedule " + schedule + " disagrees with interval " + interval
                    + " and mode " + mode + ": build the options with EmitOptions.schedule(...) or every(...)");
        }
    }

    /**
     * Options of an ordinary or singleton emit on a fixed schedule: the constructor before
     * schedules.
     *
     * @param interval the wait between iterations; at most {@link #MAX_INTERVAL}
     * @param count iterations per run, at least 0; {@code null} for forever
     * @param mode how the interval is measured
     * @param autostart whether {@link Machina#run()} starts the emit
     * @param supervision what a failure of the handler does
     * @param singleton the lease of a singleton emit; {@code null} for an ordinary emit
     */
    public EmitOptions(Duration interval, @Nullable Long count, EmitMode mode, boolean autostart, Supervision supervision,
            @Nullable EmitLease singleton) {
        this(interval, count, mode, autostart, supervision, singleton, fixed(interval, mode, null));
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
        this(interval, count, mode, autostart, supervision, null, fixed(interval, mode, null));
    }

    /** The fixed schedule of {@code interval} and {@code mode}, keeping a fixed rate's misfire settings. */
    private static Schedule fixed(Duration interval, EmitMode mode, @Nullable Schedule previous) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mode, "mode");
        if (interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
            return Schedule.fixedDelay(Duration.ZERO); // the canonical constructor refuses the interval with its message
        }
        return switch (mode) {
            case AFTER -> Schedule.fixedDelay(interval);
            case ENTIRE -> previous instanceof Schedule.FixedRate rate
                    ? new Schedule.FixedRate(interval, rate.misfire(), rate.tolerance())
                    : Schedule.fixedRate(interval);
        };
    }

    /**
     * No interval, forever, {@link EmitMode#AFTER}, autostart, {@link Supervision#stopBot()}.
     *
     * @return the default options
     */
    public static EmitOptions defaults() {
        return new EmitOptions(Duration.ZERO, null, EmitMode.AFTER, true, Supervision.stopBot(), null,
                Schedule.fixedDelay(Duration.ZERO));
    }

    /**
     * The defaults on a schedule, such as
     * {@code EmitOptions.schedule(Schedule.cron("0 9 * * MON-FRI", ZoneId.of("America/New_York")))}.
     *
     * @param schedule when the iterations run
     * @return the default options on that schedule
     */
    public static EmitOptions schedule(Schedule schedule) {
        return defaults().on(schedule);
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
     * A copy that waits {@code interval} between iterations, measured as its {@link #mode} says: a
     * fixed schedule, which replaces a cron schedule (a fixed rate keeps its misfire settings).
     *
     * @param interval the wait between iterations ({@link Duration#ZERO}: none); at most
     *     {@link #MAX_INTERVAL}
     * @return a copy with that interval
     */
    public EmitOptions interval(Duration interval) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton, fixed(interval, mode, schedule));
    }

    /**
     * A copy that runs {@code count} iterations per run, then is no longer alive.
     *
     * @param count iterations per run, at least 0
     * @return a copy with that count
     */
    public EmitOptions count(long count) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton, schedule);
    }

    /**
     * A copy whose interval is measured as {@code mode} says: a fixed delay or a fixed rate, which
     * replaces a cron schedule.
     *
     * @param mode how the interval is measured
     * @return a copy with that mode
     */
    public EmitOptions mode(EmitMode mode) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton, fixed(interval, mode, schedule));
    }

    /**
     * A copy whose iterations run on {@code schedule}; its {@link #interval} and {@link #mode} follow
     * (a cron schedule: {@link Duration#ZERO} and {@link EmitMode#AFTER}).
     *
     * @param schedule when the iterations run
     * @return a copy on that schedule
     */
    public EmitOptions on(Schedule schedule) {
        return switch (Objects.requireNonNull(schedule, "schedule")) {
            case Schedule.FixedDelay delay ->
                    new EmitOptions(delay.interval(), count, EmitMode.AFTER, autostart, supervision, singleton, delay);
            case Schedule.FixedRate rate ->
                    new EmitOptions(rate.interval(), count, EmitMode.ENTIRE, autostart, supervision, singleton, rate);
            case Schedule.Cron cron ->
                    new EmitOptions(Duration.ZERO, count, EmitMode.AFTER, autostart, supervision, singleton, cron);
        };
    }

    /**
     * A copy that {@link Machina#run()} starts, or leaves stopped until an {@link Event#start}.
     *
     * @param autostart whether {@code run()} starts the emit
     * @return a copy with that choice
     */
    public EmitOptions autostart(boolean autostart) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton, schedule);
    }

    /**
     * A copy whose handler failures are handled by {@code supervision}.
     *
     * @param supervision what a failure of the handler does
     * @return a copy with that supervision
     */
    public EmitOptions supervision(Supervision supervision) {
        return new EmitOptions(interval, count, mode, autostart, supervision, singleton, schedule);
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
        return new EmitOptions(interval, count, mode, autostart, supervision, Objects.requireNonNull(lease, "lease"),
                schedule);
    }
}
