package dev.exmachina.core;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * An attempt of an execute was still running at its deadline ({@link ExecuteOptions#attemptTimeout}):
 * its thread was interrupted and the attempt failed with this exception, whatever the handler threw
 * or returned after the interrupt (that is the {@linkplain #getCause() cause}, if anything). A retry
 * rule may match it like any other failure, e.g. {@code RetryRule.fixed(AttemptTimeoutException.class, …)}.
 *
 * <p>A timeout is not a cancel: a call that was cancelled is never retried, one whose attempt timed
 * out is retried when a rule says so.
 */
public final class AttemptTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** The name of the execute whose attempt timed out. */
    private final String execute;
    /** Which attempt of the call timed out: 1 for the first. */
    private final int attempt;
    /** The attempt timeout it ran past. */
    private final Duration timeout;

    /**
     * An attempt that ran past its deadline; core makes it when it interrupts the attempt.
     *
     * @param execute the execute's name
     * @param attempt which attempt of the call timed out: 1 for the first
     * @param timeout the attempt timeout it ran past
     * @param cause what the handler threw after the interrupt, or {@code null} if nothing
     */
    public AttemptTimeoutException(String execute, int attempt, Duration timeout, @Nullable Throwable cause) {
        super("attempt " + attempt + " of execute '" + execute + "' timed out after " + timeout);
        this.execute = execute;
        this.attempt = attempt;
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
     * Which attempt of the call timed out.
     *
     * @return the attempt's number: 1 for the first, 2 for the first retry, …
     */
    public int attempt() {
        return attempt;
    }

    /**
     * The limit it ran past.
     *
     * @return the execute's {@link ExecuteOptions#attemptTimeout}
     */
    public Duration timeout() {
        return timeout;
    }
}
