package dev.exmachina.spring;

import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One concurrent group: {@code exmachina.groups.<name>.*}. */
public class GroupProperties {

    /** A group with no limit, before binding. */
    public GroupProperties() {}

    /** Attempts in flight at once; unset for no limit. */
    private @Nullable Integer concurrency;

    /** Attempts that may start in any sliding window; used with window. */
    private int callsPerWindow = 1;

    /** The sliding window of calls-per-window; 0 (the default) for no time limit. */
    private Duration window = Duration.ZERO;

    /**
     * Where a start counts in the window: START (at the instant the attempt starts) or COMPLETION
     * (until a window after the attempt ended).
     */
    private GroupLimits.WindowAnchor anchor = GroupLimits.WindowAnchor.START;

    /**
     * The limits these properties describe, as the builder would make them.
     *
     * @return {@code new GroupLimits(concurrency, callsPerWindow, window, anchor)}
     * @throws IllegalArgumentException if a value is out of range
     */
    public GroupLimits toLimits() {
        return new GroupLimits(concurrency, callsPerWindow, window, anchor);
    }

    /**
     * Reads attempts in flight at once, or {@code null} for no limit.
     *
     * @return attempts in flight at once, or {@code null} for no limit
     */
    public @Nullable Integer getConcurrency() {
        return concurrency;
    }

    /**
     * Sets attempts in flight at once, or {@code null} for no limit.
     *
     * @param concurrency attempts in flight at once, or {@code null} for no limit
     */
    public void setConcurrency(@Nullable Integer concurrency) {
        this.concurrency = concurrency;
    }

    /**
     * Reads starts allowed per window.
     *
     * @return starts allowed per window
     */
    public int getCallsPerWindow() {
        return callsPerWindow;
    }

    /**
     * Sets starts allowed per window.
     *
     * @param callsPerWindow starts allowed per window
     */
    public void setCallsPerWindow(int callsPerWindow) {
        this.callsPerWindow = callsPerWindow;
    }

    /**
     * Reads the sliding window.
     *
     * @return the sliding window
     */
    public Duration getWindow() {
        return window;
    }

    /**
     * Sets the sliding window.
     *
     * @param window the sliding window
     */
    public void setWindow(Duration window) {
        this.window = window;
    }

    /**
     * Reads where a start counts in the window.
     *
     * @return where a start counts in the window
     */
    public GroupLimits.WindowAnchor getAnchor() {
        return anchor;
    }

    /**
     * Sets where a start counts in the window.
     *
     * @param anchor where a start counts in the window
     */
    public void setAnchor(GroupLimits.WindowAnchor anchor) {
        this.anchor = anchor;
    }
}
