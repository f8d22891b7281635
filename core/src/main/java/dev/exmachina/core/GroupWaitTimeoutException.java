package dev.exmachina.core;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * An attempt waited for its concurrent groups longer than {@link ExecuteOptions#maxWait} allows
 * (for a slot, or for its start in a window), or its window would start it only after that: it
 * failed without starting and holds nothing (its place in a queue and any reserved start went
 * back). A retry rule may match it like any other failure.
 */
public final class GroupWaitTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    private final String execute;
    private final String group;
    private final Duration waited;
    private final Duration maxWait;

    public GroupWaitTimeoutException(String execute, String group, Duration waited, Duration maxWait, String detail) {
        super("execute '" + execute + "' waited " + waited + " for concurrent group '" + group
                + "' (max wait " + maxWait + ")" + (detail.isEmpty() ? "" : ": " + detail));
        this.execute = execute;
        this.group = group;
        this.waited = waited;
        this.maxWait = maxWait;
    }

    /** The execute's name. */
    public String execute() {
        return execute;
    }

    /** The group it waited for: the one whose slot it queued for, or whose window set its start. */
    public String group() {
        return group;
    }

    /** How long it waited before giving up. */
    public Duration waited() {
        return waited;
    }

    /** The bound it ran into. */
    public Duration maxWait() {
        return maxWait;
    }
}
