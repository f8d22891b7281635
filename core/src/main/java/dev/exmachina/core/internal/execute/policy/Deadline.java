package dev.exmachina.core.internal.execute.policy;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.CallTimeoutException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The deadline of one call, as the policies inside {@link CallDeadline} see it: none
 * ({@link #NONE}, shared), or an instant on the bot clock set at the call's start. Immutable.
 * The only maker of {@link CallTimeoutException}: a policy that finds the call out of time (a
 * retry wait past the deadline, a group wait, an attempt interrupted at it) asks {@link #exceeded}.
 */
public final class Deadline {

    /** No call timeout: nothing is bounded by the call. */
    public static final Deadline NONE = new Deadline("", 0, null);

    private final String execute;
    private final long at;
    private final @Nullable Duration timeout;

    private Deadline(String execute, long at, @Nullable Duration timeout) {
        this.execute = execute;
        this.at = at;
        this.timeout = timeout;
    }

    /** The deadline {@code at} of a call of {@code execute} that may last {@code timeout}. */
    static Deadline of(String execute, long at, Duration timeout) {
        return new Deadline(execute, at, Objects.requireNonNull(timeout, "timeout"));
    }

    /** Whether the call has a deadline. */
    public boolean isSet() {
        return timeout != null;
    }

    /** The call's timeout; only for a deadline that {@linkplain #isSet() is set}. */
    public Duration timeout() {
        return Objects.requireNonNull(timeout, "no call timeout");
    }

    /**
     * The earlier of this deadline and {@code other}, as a park deadline.
     *
     * @param other a park deadline, {@link BotClock#NO_DEADLINE} for none
     * @return the earlier instant, {@link BotClock#NO_DEADLINE} if neither is set
     */
    public long earlierThan(long other) {
        if (timeout == null) {
            return other;
        }
        return other == BotClock.NO_DEADLINE || at - other <= 0 ? at : other;
    }

    /** Whether {@code instant} is this deadline's own (not a bound set apart from it). */
    public boolean is(long instant) {
        return timeout != null && instant == at;
    }

    /** Whether {@code instant} is at or past the deadline (never, without one). */
    public boolean reachedBy(long instant) {
        return timeout != null && instant - at >= 0;
    }

    /** The time left from {@code now}, zero once passed. */
    public Duration left(long now) {
        return Duration.ofNanos(Math.max(0, at - now));
    }

    /**
     * The failure of a call out of time.
     *
     * @param attempts attempts started before it ran out
     * @param detail where the time ran out
     * @param cause the last attempt's failure, or null
     */
    public CallTimeoutException exceeded(int attempts, String detail, @Nullable Throwable cause) {
        return new CallTimeoutException(execute, attempts, timeout(), detail, cause);
    }
}
