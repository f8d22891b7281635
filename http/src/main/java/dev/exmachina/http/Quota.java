package dev.exmachina.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One quota a server announced in its response headers: how much is left of it and when it resets,
 * and, when the server says so, the quota's size and window. Immutable. Which fields a header form
 * fills is listed in {@link RateLimitHeaders}.
 *
 * @param name the quota's name: the IETF policy's name ({@code "default"}), GitHub's
 *     {@code X-RateLimit-Resource} ({@code "core"}, {@code "search"}), {@code "requests"} or
 *     {@code "tokens"} for the LLM APIs' headers; {@code "default"} when the server names none
 * @param unit what the quota counts: {@code "requests"} unless the server says otherwise (the IETF
 *     {@code qu} parameter, such as {@code "content-bytes"}; {@code "tokens"} for the LLM APIs'
 *     token headers)
 * @param limit the quota's size, in {@code unit}s per {@code window}, or {@code null} if not announced
 * @param window the quota's window, or {@code null} if not announced
 * @param remaining what is left of the quota now, or {@code null} if not announced
 * @param resetAt when the quota is restored (at the latest, when {@code remaining} no longer holds),
 *     or {@code null} if not announced
 */
public record Quota(String name, String unit, @Nullable Long limit, @Nullable Duration window,
        @Nullable Long remaining, @Nullable Instant resetAt) {

    /** The name of a quota the server did not name. */
    public static final String DEFAULT = "default";

    /** The unit of a quota the server did not give a unit. */
    public static final String REQUESTS = "requests";

    /**
     * Checks the values; the parsers only make quotas whose values are valid.
     *
     * @param name the quota's name
     * @param unit what the quota counts
     * @param limit the quota's size, at least 0, or {@code null}
     * @param window the quota's window, positive, or {@code null}
     * @param remaining what is left, at least 0, or {@code null}
     * @param resetAt when the quota is restored, or {@code null}
     * @throws IllegalArgumentException if {@code limit} or {@code remaining} is negative, or
     *     {@code window} is not positive
     */
    public Quota {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (limit != null && limit < 0) throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        if (remaining != null && remaining < 0) {
            throw new IllegalArgumentException("remaining must be >= 0, was " + remaining);
        }
        if (window != null && (window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
    }

    /**
     * Whether the server says nothing is left until {@link #resetAt()}.
     *
     * @return true if {@code remaining} is 0 and {@code resetAt} is known
     */
    public boolean exhausted() {
        return remaining != null && remaining == 0 && resetAt != null;
    }
}
