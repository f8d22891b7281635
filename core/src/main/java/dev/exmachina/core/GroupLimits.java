package dev.exmachina.core;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The limits of a concurrent group: how many attempts may be in flight at once, and how many may
 * start in any sliding window of time. Immutable.
 *
 * <p>The window is exact and sliding: in <em>every</em> interval of length {@code window}, at most
 * {@code callsPerWindow} attempts start, so there is no burst of twice the limit around the edge of
 * a fixed cycle. A group keeps the start instants that are still inside the window, so its memory
 * grows with the starts actually made, not with {@code callsPerWindow}: a huge limit such as
 * {@link Integer#MAX_VALUE} costs nothing up front.
 *
 * <p>The window is counted in nanoseconds of the bot clock, so it is at most {@link #MAX_WINDOW}
 * ({@link Long#MAX_VALUE} nanoseconds, about 292 years); a longer one is refused with an
 * {@link IllegalArgumentException} when the limits are made, rather than silently shortened.
 *
 * @param concurrency attempts in flight at once; {@code null} for no limit
 * @param callsPerWindow attempts that may start in any interval of length {@code window}
 * @param window the sliding window; {@link Duration#ZERO} for no time limit
 */
public record GroupLimits(@Nullable Integer concurrency, int callsPerWindow, Duration window) {

    /** The longest window: {@link Long#MAX_VALUE} nanoseconds (about 292 years). */
    public static final Duration MAX_WINDOW = Duration.ofNanos(Long.MAX_VALUE);

    public GroupLimits {
        Objects.requireNonNull(window, "window");
        if (concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        if (callsPerWindow < 1) {
            throw new IllegalArgumentException("callsPerWindow must be >= 1, was " + callsPerWindow);
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be at most " + MAX_WINDOW
                    + " (Long.MAX_VALUE nanoseconds, about 292 years), was " + window);
        }
    }

    /** No limit at all: add one with {@link #concurrency(int)} or {@link #perWindow}. */
    public static GroupLimits unlimited() {
        return new GroupLimits(null, 1, Duration.ZERO);
    }

    /** At most {@code concurrency} attempts in flight at once. */
    public static GroupLimits concurrency(int concurrency) {
        return unlimited().withConcurrency(concurrency);
    }

    /** A copy with at most {@code concurrency} attempts in flight at once. */
    public GroupLimits withConcurrency(int concurrency) {
        return new GroupLimits(concurrency, callsPerWindow, window);
    }

    /** A copy where at most {@code calls} attempts start in any interval of length {@code window}. */
    public GroupLimits perWindow(int calls, Duration window) {
        return new GroupLimits(concurrency, calls, window);
    }

    /** {@link #perWindow(int, Duration)} with an interval string such as {@code "1s"}. */
    public GroupLimits perWindow(int calls, String window) {
        return perWindow(calls, Intervals.parse(window));
    }

    /** Whether starts are limited in time. */
    public boolean hasWindow() {
        return !window.isZero();
    }
}
