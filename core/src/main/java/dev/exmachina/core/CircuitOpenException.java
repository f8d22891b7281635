package dev.exmachina.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link CircuitBreaker} refused an attempt: it is open, or half-open with every probe taken. The
 * attempt took nothing (no slot, no window start) and ran no handler.
 *
 * <p>{@link #retryAfter()} says how long until the breaker may let a call through: a retry rule can
 * wait exactly that long,
 * {@code RetryRule.fixed(CircuitOpenException.class, Duration.ofSeconds(1)).waitFrom(CircuitOpenException::retryAfter)}.
 * Its stack trace is not filled in: a refusal is cheap, and where it happened is the execute's call.
 */
public final class CircuitOpenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The name of the breaker that refused. */
    private final String breaker;
    /** Its state when it refused. */
    private final CircuitBreaker.State state;
    /** How long until it may let a call through. */
    private final Duration retryAfter;

    /**
     * A refusal; core makes it when a breaker refuses an attempt.
     *
     * @param breaker the breaker's name
     * @param state {@link CircuitBreaker.State#OPEN}, or {@link CircuitBreaker.State#HALF_OPEN} with
     *     every probe taken
     * @param retryAfter open: the time until it half-opens; half-open: the time until its half-open
     *     bound ends (a probe may end sooner and close it)
     */
    public CircuitOpenException(String breaker, CircuitBreaker.State state, Duration retryAfter) {
        super("circuit breaker '" + breaker + "' is " + (state == CircuitBreaker.State.OPEN
                ? "open; it half-opens in " + Intervals.format(retryAfter)
                : "half-open and every probe is taken; it decides within " + Intervals.format(retryAfter)),
                null, false, false);
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.state = Objects.requireNonNull(state, "state");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * The breaker that refused.
     *
     * @return its name
     */
    public String breaker() {
        return breaker;
    }

    /**
     * Its state when it refused.
     *
     * @return {@link CircuitBreaker.State#OPEN} or {@link CircuitBreaker.State#HALF_OPEN}
     */
    public CircuitBreaker.State state() {
        return state;
    }

    /**
     * How long until the breaker may let a call through, on the bot's clock: when open, exactly the
     * time until it half-opens; when half-open with every probe taken, the time until its half-open
     * bound ends (it may close sooner, when the probes end).
     *
     * @return the wait, never negative
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
