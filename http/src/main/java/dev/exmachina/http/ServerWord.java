package dev.exmachina.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one response said about the server's limits: its status, the instant its
 * {@code Retry-After} names, the quotas it announced, and what could not be read. Immutable; made by
 * {@link RateLimitHeaders#read}.
 *
 * @param status the response's HTTP status
 * @param retryAfter the instant {@code Retry-After} names (either form, resolved against the
 *     instant given to the parser), or {@code null} if absent or malformed
 * @param quotas the quotas announced, in the order of {@link RateLimitHeaders}' header forms; empty if none
 * @param problems one line per header value that could not be read, naming the header, the value and
 *     what was wrong with it; empty if every value was read
 */
public record ServerWord(int status, @Nullable Instant retryAfter, List<Quota> quotas, List<String> problems) {

    /**
     * Copies the lists.
     *
     * @param status the response's HTTP status
     * @param retryAfter the instant {@code Retry-After} names, or {@code null}
     * @param quotas the quotas announced
     * @param problems what could not be read
     */
    public ServerWord {
        quotas = List.copyOf(quotas);
        problems = List.copyOf(problems);
    }

    /**
     * Whether the server refused the request for now and says when to come back: a 429 (too many
     * requests) or a 503 (unavailable) with a readable {@code Retry-After}.
     *
     * @return true if everyone calling this server should wait until {@link #retryAfter()}
     */
    public boolean saysWait() {
        return (status == 429 || status == 503) && retryAfter != null;
    }

    /**
     * The quota of that name, if announced.
     *
     * @param name a quota's name, such as {@code "default"}, {@code "core"} or {@code "tokens"}
     * @return the first quota with that name, or empty
     */
    public Optional<Quota> quota(String name) {
        Objects.requireNonNull(name, "name");
        return quotas.stream().filter(q -> q.name().equals(name)).findFirst();
    }
}
