package dev.exmachina.core.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link GroupGate} decided for one attempt: start now, start at a reserved instant, or
 * queue. Immutable.
 *
 * <p>{@link #START_NOW} is shared, so the uncontended path allocates nothing. A backend that must
 * remember something about a grant (a lease id in a shared store) may return its own subclass of
 * kind {@link Kind#START_NOW} or {@link Kind#START_AT}; core hands the same object back to
 * {@link GroupGate#started}, {@link GroupGate#giveBack} and {@link GroupGate#release}.
 */
public class Decision {

    /** The three outcomes of a decision. */
    public enum Kind {
        /** Granted: every slot is held and the start is now. */
        START_NOW,
        /** Granted: every slot is held and a start is reserved at {@link #startAtNanos()}; core sleeps until then. */
        START_AT,
        /** Not granted: wait until the backend wakes the ticket, then ask again. */
        QUEUED
    }

    /** Granted, start now. Shared: carries nothing. */
    public static final Decision START_NOW = new Decision(Kind.START_NOW, 0, null);

    private final Kind kind;
    private final long startAtNanos;
    private final @Nullable String group;

    /**
     * A decision; for a backend's own subclass that carries what it must remember about a grant.
     *
     * @param kind what was decided
     * @param startAtNanos the reserved start ({@link dev.exmachina.core.BotClock#nanoTime()} base) for
     *     {@link Kind#START_AT}, else ignored
     * @param group the group that decided (whose slot is awaited, or whose window set the instant),
     *     for observers and diagnostics; may be null for {@link Kind#START_NOW}
     * @throws NullPointerException if {@code kind} is null, or {@code group} is null for a kind other
     *     than {@link Kind#START_NOW}
     */
    protected Decision(Kind kind, long startAtNanos, @Nullable String group) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.startAtNanos = startAtNanos;
        this.group = group;
        if (kind != Kind.START_NOW) {
            Objects.requireNonNull(group, "group");
        }
    }

    /**
     * Granted, with a start reserved at {@code startAtNanos}, set by the window of {@code group}.
     *
     * @param startAtNanos the reserved start, on the {@link dev.exmachina.core.BotClock#nanoTime()} base
     * @param group the group whose window set the instant
     * @return a {@link Kind#START_AT} decision
     */
    public static Decision startAt(long startAtNanos, String group) {
        return new Decision(Kind.START_AT, startAtNanos, group);
    }

    /**
     * Not granted: the attempt queues for a slot of {@code group}.
     *
     * @param group the group whose slot the attempt waits for
     * @return a {@link Kind#QUEUED} decision
     */
    public static Decision queued(String group) {
        return new Decision(Kind.QUEUED, 0, group);
    }

    /**
     * What was decided: start now, start at a reserved instant, or queue.
     *
     * @return the decision's kind
     */
    public final Kind kind() {
        return kind;
    }

    /**
     * The reserved start of a {@link Kind#START_AT} decision.
     *
     * @return the instant on the {@link dev.exmachina.core.BotClock#nanoTime()} base; meaningless for
     *     other kinds
     */
    public final long startAtNanos() {
        return startAtNanos;
    }

    /**
     * The group that decided: the one queued for, or the one whose window set the start.
     *
     * @return the group's name; may be null for {@link Kind#START_NOW}
     */
    public final @Nullable String group() {
        return group;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case START_NOW -> "start now";
            case START_AT -> "start at " + startAtNanos + " ns (window of '" + group + "')";
            case QUEUED -> "queued for a slot of '" + group + "'";
        };
    }
}
