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

    /** The name of the execute whose attempt gave up waiting. */
    private final String execute;
    /** The group it waited for. */
    private final String group;
    /** How long it waited before giving up. */
    private final Duration waited;
    /** The bound it ran into. */
    private final Duration maxWait;

    /**
     * An attempt that gave up waiting for its groups; core makes it when the wait reaches its
     * bound.
     *
     * @param execute the execute's name
     * @param group the group it waited for: the one whose slot it queued for, or whose window set
     *     its start
     * @param waited how long it waited before giving up
     * @param maxWait the bound it ran into
     * @param detail what it waited for, appended to the message; empty for nothing
     */
    public GroupWaitTimeoutException(String execute, String group, Duration waited, Duration maxWait, String detail) {
        super("execute '" + execute + "' waited " + waited + " for concurrent group '" + group
                + "' (max wait " + maxWait + ")" + (detail.isEmpty() ? "" : ": " + detail));
        this.execute = execute;
        this.group = group;
        this.waited = waited;
        this.maxWait = maxWait;
    }

    /**
     * The execute's name.
     *
     * @return the name the execute was registered under
     */
    public String execute() {
        return execute;
    }

    /**
     * The group it waited for: the one whose slot it queued for, or whose window set its start.
     *
     * @return the group's name
     */
    public String group() {
        return group;
    }

    /**
     * How long it waited before giving up.
     *
     * @return the wait, measured on the bot's clock
     */
    public Duration waited() {
        return waited;
    }

    /**
     * The bound it ran into.
     *
     * @return the execute's {@link ExecuteOptions#maxWait}
     */
    public Duration maxWait() {
        return maxWait;
    }
}
