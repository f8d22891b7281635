package dev.exmachina.core;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A call of an execute ran out of its {@link ExecuteOptions#callTimeout}: during an attempt (which
 * was interrupted), while waiting for its groups, or because the next retry wait would end past
 * the deadline. Never retried. The {@linkplain #getCause() cause} is the last attempt's failure, if
 * there was one.
 */
public final class CallTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** The name of the execute whose call timed out. */
    private final String execute;
    /** The call's tries before it timed out, as {@link #attempts()} counts them. */
    private final int attempts;
    /** The call timeout it ran out of. */
    private final Duration timeout;

    /**
     * A call that ran out of its time; core makes it at the deadline, or when a retry wait would
     * end past it.
     *
     * @param execute the execute's name
     * @param attempts the call's tries before it timed out, as {@link #attempts()} counts them
     * @param timeout the call timeout it ran out of
     * @param detail where the time ran out, appended to the message; empty for nothing
     * @param cause the last attempt's failure, or {@code null} if there was none
     */
    public CallTimeoutException(String execute, int attempts, Duration timeout, String detail, @Nullable Throwable cause) {
        super("call of execute '" + execute + "' timed out after " + timeout + " (" + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ")" + (detail.isEmpty() ? "" : ": " + detail));
        this.execute = execute;
        this.attempts = attempts;
        this.timeout = timeout;
        if (cause != null) {
            initCause(cause);
        }
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
     * How many tries the call made: the number of its last attempt, as {@link BotEvent.AttemptStarted}
     * numbers them. Every try of the retry loop takes a number, whether or not its handler started:
     * a try refused by a {@linkplain CircuitOpenException circuit breaker}, or whose wait for its
     * groups failed ({@link GroupWaitTimeoutException}, a failing group backend), counts as one. The
     * try that ran out of the call's time while waiting for its groups does not count; an attempt
     * interrupted at the deadline does.
     *
     * @return the tries before the call timed out (0 if the first ran out of time waiting for its
     *     groups)
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The limit of the whole call.
     *
     * @return the execute's {@link ExecuteOptions#callTimeout}
     */
    public Duration timeout() {
        return timeout;
    }
}
