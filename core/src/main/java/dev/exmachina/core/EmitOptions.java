package dev.exmachina.core;

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
 */
public record EmitOptions(
        Duration interval, @Nullable Long count, EmitMode mode, boolean autostart, Supervision supervision) {

    /** The longest interval: {@link Long#MAX_VALUE} nanoseconds, about 292 years. */
    public static final Duration MAX_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

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

    /** No interval, forever, {@link EmitMode#AFTER}, autostart, {@link Supervision#stopBot()}. */
    public static EmitOptions defaults() {
        return new EmitOptions(Duration.ZERO, null, EmitMode.AFTER, true, Supervision.stopBot());
    }

    /** The defaults with an interval. */
    public static EmitOptions every(Duration interval) {
        return defaults().interval(interval);
    }

    /** The defaults with an interval string such as {@code "1s"} or {@code "1d4h"}. */
    public static EmitOptions every(String interval) {
        return every(Intervals.parse(interval));
    }

    public EmitOptions interval(Duration interval) {
        return new EmitOptions(interval, count, mode, autostart, supervision);
    }

    /** A copy that runs {@code count} iterations per run, then is no longer alive. */
    public EmitOptions count(long count) {
        return new EmitOptions(interval, count, mode, autostart, supervision);
    }

    public EmitOptions mode(EmitMode mode) {
        return new EmitOptions(interval, count, mode, autostart, supervision);
    }

    public EmitOptions autostart(boolean autostart) {
        return new EmitOptions(interval, count, mode, autostart, supervision);
    }

    public EmitOptions supervision(Supervision supervision) {
        return new EmitOptions(interval, count, mode, autostart, supervision);
    }
}
