package dev.exmachina.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p><b>Where a start counts.</b> By default ({@link WindowAnchor#START}) a start counts at the instant
 * the attempt actually starts (a thread that wakes up late for its reserved start is counted when it
 * runs, and later starts keep their distance from that), so an API that counts a request when it
 * arrives sees at most {@code callsPerWindow} per window as long as requests arrive right after they
 * start (plus one, rarely, from a thread preempted between its start and its first line).
 * {@link #anchoredAtCompletion()} ({@link WindowAnchor#COMPLETION}) makes a start occupy its place
 * in the window from the attempt's start until {@code window} after the attempt <em>ended</em>: an
 * API that counts a request at any instant between its start and its end (slow on the way, queued
 * at a proxy) then never sees more than {@code callsPerWindow} in any interval of length
 * {@code window}, whatever the latency, at the price of fewer starts when attempts are slow.
 *
 * <p>The window is counted in nanoseconds of the bot clock, so it is at most {@link #MAX_WINDOW}
 * ({@link Long#MAX_VALUE} nanoseconds, about 292 years); a longer one is refused with an
 * {@link IllegalArgumentException} when the limits are made, rather than silently shortened.
 *
 * <p><b>A circuit breaker</b> ({@link #circuitBreaker(CircuitBreaker)}) on a group is shared by every
 * execute through the group: each attempt asks it before it takes a slot or a window start, so an open
 * breaker refuses at once with {@link CircuitOpenException} and the group's slots and window are left
 * untouched. The breaker lives in this process, whatever the group backend (with one shared through
 * Redis, each process has its own breaker).
 *
 * <p><b>Several windows.</b> Each {@link #perWindow} after the first adds a window
 * ({@code GroupLimits.concurrency(4).perWindow(10, "1s").perWindow(200_000, "1d")}), each with its own
 * anchor: an attempt starts only when every window allows it, and they are decided together, first come,
 * first served. {@link #callsPerWindow()}, {@link #window()} and {@link #anchor()} describe the first
 * window; {@link #windows()} lists them all.
 *
 * <p><b>Weights.</b> A window counts the <em>cost</em> of each call, 1 unless its execute says otherwise
 * ({@link ExecuteOptions#cost(int)}): {@code callsPerWindow} is then the cost allowed per window.
 *
 * @param concurrency attempts in flight at once; {@code null} for no limit
 * @param callsPerWindow attempts that may start in any interval of length {@code window}
 * @param window the sliding window; {@link Duration#ZERO} for no time limit
 * @param anchor where a start counts in the window: at its start (default), or until after its
 *     attempt ended
 * @param circuitBreaker the breaker every attempt through the group asks first, or {@code null} for none
 * @param moreWindows the windows after the first, each with its own limit, length and anchor; empty
 *     when the group has one window or none
 */
public record GroupLimits(@Nullable Integer concurrency, int callsPerWindow, Duration window, WindowAnchor anchor,
        @Nullable CircuitBreaker circuitBreaker, List<Window> moreWindows) {

    /**
     * One sliding window: at most {@code limit} (calls, or their cost) start in any interval of length
     * {@code length}, counted where {@code anchor} says.
     *
     * @param limit the calls (or cost) allowed in any interval of length {@code length}, at least 1
     * @param length the window's length, positive and at most {@link #MAX_WINDOW}
     * @param anchor where a start counts
     */
    public record Window(int limit, Duration length, WindowAnchor anchor) {
        /**
         * Checks the window.
         *
         * @throws NullPointerException if {@code length} or {@code anchor} is null
         * @throws IllegalArgumentException if {@code limit} is below 1, or {@code length} is not positive or
         *     longer than {@link #MAX_WINDOW}
         */
        public Window {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(anchor, "anchor");
            if (limit < 1) {
                throw new IllegalArgumentException("a window's limit must be >= 1, was " + limit);
            }
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a window's length must be > 0, was " + length
                        + " (leave the window out for no time limit)");
            }
            if (length.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("a window's length must be at most " + MAX_WINDOW
                        + " (Long.MAX_VALUE nanoseconds, about 292 years), was " + length);
            }
        }

        @Override
        public String toString() {
            return limit + " per " + Intervals.format(length) + (anchor == WindowAnchor.COMPLETION ? " (anchored at completion)" : "");
        }
    }

    /** Where a start counts in the window. */
    public enum WindowAnchor {
        /**
         * A start counts at the instant the attempt actually starts: at most {@code callsPerWindow}
         * starts in any interval of length {@code window}. The default.
         */
        START,
        /**
         * A start occupies its place from the attempt's start until {@code window} after the attempt
         * ended: at most {@code callsPerWindow} attempts overlap any interval of length
         * {@code window}, so a server counting a request anywhere inside its attempt never sees more.
         */
        COMPLETION
    }

    /** The longest window: {@link Long#MAX_VALUE} nanoseconds (about 292 years). */
    public static final Duration MAX_WINDOW = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * Checks the limits; prefer {@link #unlimited()} or {@link #concurrency(int)} and the
     * {@code with}-style methods.
     *
     * @param concurrency attempts in flight at once, at least 1; {@code null} for no limit
     * @param callsPerWindow attempts that may start in any interval of length {@code window}, at
     *     least 1
     * @param window the sliding window, at most {@link #MAX_WINDOW}; {@link Duration#ZERO} for no
     *     time limit
     * @param anchor where a start counts in the window
     * @param circuitBreaker the breaker every attempt through the group asks first, or {@code null}
     * @param moreWindows the windows after the first (copied); empty for one window or none
     * @throws NullPointerException if {@code window}, {@code anchor} or {@code moreWindows} (or one of its
     *     windows) is null
     * @throws IllegalArgumentException if a limit is below 1, {@code window} is negative or longer
     *     than {@link #MAX_WINDOW}, or there are more windows without a first one
     */
    public GroupLimits {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(moreWindows, "moreWindows");
        if (moreWindows.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("moreWindows must not contain null, were " + moreWindows);
        }
        moreWindows = List.copyOf(moreWindows);
        if (window.isZero() && !moreWindows.isEmpty()) {
            throw new IllegalArgumentException("more windows " + moreWindows
                    + " need a first window: give the first one in callsPerWindow and window");
        }
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

    /**
     * Limits with one window (or none).
     *
     * @param concurrency attempts in flight at once, at least 1; {@code null} for no limit
     * @param callsPerWindow attempts that may start in any interval of length {@code window}, at
     *     least 1
     * @param window the sliding window, at most {@link #MAX_WINDOW}; {@link Duration#ZERO} for no
     *     time limit
     * @param anchor where a start counts in the window
     * @param circuitBreaker the breaker every attempt through the group asks first, or {@code null}
     */
    public GroupLimits(@Nullable Integer concurrency, int callsPerWindow, Duration window, WindowAnchor anchor,
            @Nullable CircuitBreaker circuitBreaker) {
        this(concurrency, callsPerWindow, window, anchor, circuitBreaker, List.of());
    }

    /**
     * Limits without a circuit breaker.
     *
     * @param concurrency attempts in flight at once, at least 1; {@code null} for no limit
     * @param callsPerWindow attempts that may start in any interval of length {@code window}, at
     *     least 1
     * @param window the sliding window, at most {@link #MAX_WINDOW}; {@link Duration#ZERO} for no
     *     time limit
     * @param anchor where a start counts in the window
     */
    public GroupLimits(@Nullable Integer concurrency, int callsPerWindow, Duration window, WindowAnchor anchor) {
        this(concurrency, callsPerWindow, window, anchor, null);
    }

    /**
     * The limits of version 0.1: a window anchored at starts.
     *
     * @param concurrency attempts in flight at once, at least 1; {@code null} for no limit
     * @param callsPerWindow attempts that may start in any interval of length {@code window}, at
     *     least 1
     * @param window the sliding window, at most {@link #MAX_WINDOW}; {@link Duration#ZERO} for no
     *     time limit
     */
    public GroupLimits(@Nullable Integer concurrency, int callsPerWindow, Duration window) {
        this(concurrency, callsPerWindow, window, WindowAnchor.START);
    }

    /**
     * No limit at all: add one with {@link #withConcurrency(int)} or {@link #perWindow}.
     *
     * @return limits that never make an attempt wait
     */
    public static GroupLimits unlimited() {
        return new GroupLimits(null, 1, Duration.ZERO);
    }

    /**
     * At most {@code concurrency} attempts in flight at once, no window.
     *
     * @param concurrency attempts in flight at once, at least 1
     * @return limits with that concurrency only
     */
    public static GroupLimits concurrency(int concurrency) {
        return unlimited().withConcurrency(concurrency);
    }

    /**
     * A copy with at most {@code concurrency} attempts in flight at once.
     *
     * @param concurrency attempts in flight at once, at least 1
     * @return a copy with that concurrency
     */
    public GroupLimits withConcurrency(int concurrency) {
        return new GroupLimits(concurrency, callsPerWindow, window, anchor, circuitBreaker, moreWindows);
    }

    /**
     * A copy where at most {@code calls} attempts (or their cost) start in any interval of length
     * {@code window}: the first window of limits without one, else one more window, anchored at starts
     * until {@link #anchor} says otherwise. Every window must allow an attempt before it starts.
     *
     * @param calls attempts (or cost) that may start in any window, at least 1
     * @param window the sliding window, at most {@link #MAX_WINDOW}
     * @return a copy with that window
     * @throws IllegalArgumentException if {@code calls} is below 1, or {@code window} is out of range
     *     (zero is refused for a window after the first)
     */
    public GroupLimits perWindow(int calls, Duration window) {
        if (!hasWindow()) {
            return new GroupLimits(concurrency, calls, window, anchor, circuitBreaker, moreWindows);
        }
        List<Window> more = new ArrayList<>(moreWindows);
        more.add(new Window(calls, window, WindowAnchor.START));
        return new GroupLimits(concurrency, callsPerWindow, this.window, anchor, circuitBreaker, more);
    }

    /**
     * {@link #perWindow(int, Duration)} with an interval string such as {@code "1s"}.
     *
     * @param calls attempts that may start in any window, at least 1
     * @param window the sliding window, in the format of {@link Intervals#parse}
     * @return a copy with that window
     * @throws IllegalArgumentException if {@code window} cannot be parsed
     */
    public GroupLimits perWindow(int calls, String window) {
        return perWindow(calls, Intervals.parse(window));
    }

    /**
     * A copy whose window counts each start until {@code window} after its attempt ended
     * ({@link WindowAnchor#COMPLETION}): for an API that counts a request when it arrives, however
     * long it takes to arrive.
     *
     * @return a copy anchored at completion
     */
    public GroupLimits anchoredAtCompletion() {
        return anchor(WindowAnchor.COMPLETION);
    }

    /**
     * A copy whose last window (the one {@link #perWindow} made last, or the first one to come) counts
     * starts as {@code anchor} says.
     *
     * @param anchor where a start counts in the window
     * @return a copy with that anchor
     */
    public GroupLimits anchor(WindowAnchor anchor) {
        Objects.requireNonNull(anchor, "anchor");
        if (moreWindows.isEmpty()) {
            return new GroupLimits(concurrency, callsPerWindow, window, anchor, circuitBreaker, moreWindows);
        }
        List<Window> more = new ArrayList<>(moreWindows);
        Window last = more.removeLast();
        more.add(new Window(last.limit(), last.length(), anchor));
        return new GroupLimits(concurrency, callsPerWindow, window, this.anchor, circuitBreaker, more);
    }

    /**
     * Every window, the first one first: empty without a time limit.
     *
     * @return the windows, in the order they were given
     */
    public List<Window> windows() {
        if (!hasWindow()) {
            return List.of();
        }
        List<Window> all = new ArrayList<>(1 + moreWindows.size());
        all.add(new Window(callsPerWindow, window, anchor));
        all.addAll(moreWindows);
        return List.copyOf(all);
    }

    /**
     * A copy whose attempts, of every execute through the group, first ask {@code breaker}: an open
     * breaker refuses them before they take a slot or a window start (see {@link CircuitBreaker}).
     *
     * @param breaker the group's breaker; it belongs to the bot that registers the group
     * @return a copy with that breaker
     */
    public GroupLimits circuitBreaker(CircuitBreaker breaker) {
        return new GroupLimits(concurrency, callsPerWindow, window, anchor,
                Objects.requireNonNull(breaker, "circuitBreaker"), moreWindows);
    }

    /**
     * Whether starts are limited in time.
     *
     * @return true if the window is not {@link Duration#ZERO}
     */
    public boolean hasWindow() {
        return !window.isZero();
    }
}
