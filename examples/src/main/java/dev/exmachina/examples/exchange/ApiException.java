package dev.exmachina.examples.exchange;

import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The exchange answered with a status other than 2xx. */
public final class ApiException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final @Nullable Duration retryAfter;

    public ApiException(int status, String request, String body) {
        this(status, request, body, null);
    }

    /** @param retryAfter the wait the exchange asked for ({@code Retry-After}), or null if it asked none */
    public ApiException(int status, String request, String body, @Nullable Duration retryAfter) {
        super("HTTP " + status + " from " + request + ": " + body
                + (retryAfter == null ? "" : " (retry after " + retryAfter.toMillis() + " ms)"));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /**
     * How long the exchange asked the client to wait before asking again (its {@code Retry-After}
     * header, sent with 429 and 503), or null when it did not say: a retry rule's
     * {@code waitFrom(ApiException::retryAfter)} then falls back to its backoff.
     */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** 5xx: the exchange's fault, worth trying again. A 4xx means the request itself is wrong. */
    public boolean isServerError() {
        return status >= 500;
    }

    /** 429: too many requests; worth trying again after the wait the exchange asked for. */
    public boolean isRateLimited() {
        return status == 429;
    }
}
