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

    private final String execute;
    private final int attempts;
    private final Duration timeout;

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

    /** The execute's name. */
    public String execute() {
        return execute;
    }

    /** Attempts started before the call timed out. */
    public int attempts() {
        return attempts;
    }

    /** The limit of the whole call. */
    public Duration timeout() {
        return timeout;
    }
}
