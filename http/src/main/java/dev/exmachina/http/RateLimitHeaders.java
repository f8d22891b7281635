package dev.exmachina.http;

import dev.exmachina.http.internal.GoDuration;
import dev.exmachina.http.internal.StructuredList;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a response's headers say about the server's limits: a {@link ServerWord}. Header
 * names are case-insensitive; a field sent on several lines is read as one list. The forms
 * understood, each giving {@link Quota}s:
 *
 * <ul>
 *   <li><b>The IETF draft</b> (draft-ietf-httpapi-ratelimit-headers, since draft 08):
 *       {@code RateLimit: "default";r=50;t=30} (r: remaining, t: seconds until the reset) and
 *       {@code RateLimit-Policy: "default";q=100;w=60} (q: the quota, w: its window in seconds,
 *       qu: its unit). Several policies in one list; a {@code RateLimit} item is matched to the
 *       policy of the same name. A policy without a {@code RateLimit} item gives a quota without
 *       remaining.
 *   <li><b>The earlier drafts</b>: {@code RateLimit-Limit: 100} (optionally {@code 100, 100;w=60}),
 *       {@code RateLimit-Remaining: 50}, {@code RateLimit-Reset: 30} (seconds); and draft 07's
 *       {@code RateLimit: limit=100, remaining=50, reset=30} with {@code RateLimit-Policy: 100;w=60}.
 *       The quota is named {@code "default"}.
 *   <li><b>GitHub's</b> (and many others'): {@code X-RateLimit-Limit: 5000},
 *       {@code X-RateLimit-Remaining: 4987}, {@code X-RateLimit-Reset: 1350085394} (epoch seconds;
 *       a value under 1,000,000,000 is read as seconds from now, as some APIs send), optional
 *       {@code X-RateLimit-Used: 13} (remaining = limit − used when remaining is absent) and
 *       {@code X-RateLimit-Resource: core} (the quota's name; {@code "default"} without it).
 *   <li><b>LLM APIs'</b> (OpenAI and compatible): {@code x-ratelimit-limit-requests: 60},
 *       {@code x-ratelimit-remaining-requests: 59}, {@code x-ratelimit-reset-requests: 1s}, and the
 *       same three with {@code -tokens}; resets in Go's duration form ({@code 1s}, {@code 6m0s},
 *       {@code 20ms}). Quotas named {@code "requests"} and {@code "tokens"}, in those units.
 *   <li>{@code Retry-After}, both forms ({@link RetryAfter}).
 * </ul>
 *
 * <p>A malformed value never throws: it is left out (a quota missing its remaining, or no quota)
 * and described in {@link ServerWord#problems()}. Thread-safe: stateless.
 */
public final class RateLimitHeaders {
    private RateLimitHeaders() {}

    /**
     * Reads a response.
     *
     * @param response a response, of any body type
     * @param now the instant it came (the bot clock's now), which relative values count from
     * @return what the response said about the server's limits
     */
    public static ServerWord read(HttpResponse<?> response, Instant now) {
        return read(response.headers(), response.statusCode(), now);
    }

    /**
     * Reads headers given as a map, such as another HTTP client's; names are case-insensitive.
     *
     * @param headers header names to their values
     * @param status the response's HTTP status
     * @param now the instant the response came (the bot clock's now)
     * @return what the headers said about the server's limits
     */
    public static ServerWord read(Map<String, List<String>> headers, int status, Instant now) {
        return read(HttpHeaders.of(headers, (name, value) -> true), status, now);
    }

    /**
     * Reads headers.
     *
     * @param headers the response's headers
     * @param status the response's HTTP status
     * @param now the instant the response came (the bot clock's now), which relative values count from
     * @return what the headers said about the server's limits
     */
    public static ServerWord read(HttpHeaders headers, int status, Instant now) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(now, "now");
        var r = new Reading(headers, now);
        Instant retryAfter = null;
        var value = headers.firstValue(RetryAfter.HEADER);
        if (value.isPresent()) {
            retryAfter = RetryAfter.parse(value.get(), now).orElse(null);
            if (retryAfter == null) {
                r.problem(RetryAfter.HEADER, value.get(), "neither delay-seconds nor an HTTP-date");
            }
        }
        r.ietf();
        r.earlierDrafts();
        r.github();
        r.llm("requests");
        r.llm("tokens");
        return new ServerWord(status, retryAfter, r.quotas, r.problems);
    }

    /** One reading's state: the headers, and what was found so far. */
    private static final class Reading {
        private static final long EPOCH_SECONDS_FROM = 1_000_000_000L;

        final HttpHeaders headers;
        final Instant now;
        final List<Quota> quotas = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        Reading(HttpHeaders headers, Instant now) {
            this.headers = headers;
            this.now = now;
        }

        void problem(String header, String value, String what) {
            problems.add(header + ": \"" + value + "\": " + what + "; ignored");
        }

        @Nullable String joined(String header) {
            List<String> values = headers.allValues(header);
            return values.isEmpty() ? null : String.join(", ", values);
        }

        @Nullable List<StructuredList.Item> list(String header, String value) {
            try {
                return StructuredList.parse(value);
            } catch (IllegalArgumentException e) {
                problem(header, value, "not a structured field list: " + e.getMessage());
                return null;
            }
        }

        /** The current draft: named policies and service limits. */
        void ietf() {
            String policy = joined("RateLimit-Policy");
            String limits = joined("RateLimit");
            if (limits != null && !limits.strip().startsWith("\"") && limits.contains("=")
                    && !limits.contains(";")) {
                draft7(limits, policy);
                return;
            }
            var policies = new LinkedHashMap<String, Quota>();
            if (policy != null) {
                var items = list("RateLimit-Policy", policy);
                for (var item : items == null ? List.<StructuredList.Item>of() : items) {
                    Quota q = policyItem(item, policy);
                    if (q != null) policies.put(q.name(), q);
                }
            }
            if (limits != null) {
                var items = list("RateLimit", limits);
                for (var item : items == null ? List.<StructuredList.Item>of() : items) {
                    serviceLimit(item, limits, policies);
                }
            }
            quotas.addAll(policies.values());
        }

        private @Nullable Quota policyItem(StructuredList.Item item, String value) {
            String name = name(item, "RateLimit-Policy", value);
            if (name == null) return null;
            Long q = nonNegative(item.parameters().get("q"), "RateLimit-Policy", value, "q");
            if (q == null) return null;
            Long w = nonNegative(item.parameters().get("w"), "RateLimit-Policy", value, "w");
            Object qu = item.parameters().get("qu");
            String unit = qu instanceof String s ? s : Quota.REQUESTS;
            return new Quota(name, unit, q, w == null || w == 0 ? null : Duration.ofSeconds(w), null, null);
        }

        private void serviceLimit(StructuredList.Item item, String value, Map<String, Quota> policies) {
            String name = name(item, "RateLimit", value);
            if (name == null) return;
            Object rValue = item.parameters().get("r");
            if (rValue == null) {
                problem("RateLimit", value, "policy \"" + name + "\" has no r (remaining) parameter");
                return;
            }
            Long r = nonNegative(rValue, "RateLimit", value, "r");
            Long t = nonNegative(item.parameters().get("t"), "RateLimit", value, "t");
            if (r == null) return;
            Quota policy = policies.remove(name);
            quotas.add(new Quota(name, policy == null ? Quota.REQUESTS : policy.unit(),
                    policy == null ? null : policy.limit(), policy == null ? null : policy.window(),
                    r, t == null ? null : in(t)));
        }

        private @Nullable String name(StructuredList.Item item, String header, String value) {
            if (item.value() instanceof String s) return s;
            if (item.value() instanceof StructuredList.Token t) return t.text();
            if (item.value() instanceof Long && header.equals("RateLimit-Policy")) return Quota.DEFAULT;
            problem(header, value, "an item named by " + item.value() + ", not a string");
            return null;
        }

        /** Draft 07: {@code RateLimit: limit=100, remaining=50, reset=30}, {@code RateLimit-Policy: 100;w=60}. */
        private void draft7(String limits, @Nullable String policy) {
            var fields = new LinkedHashMap<String, String>();
            for (String member : limits.split(",")) {
                int eq = member.indexOf('=');
                if (eq > 0) fields.put(member.substring(0, eq).strip(), member.substring(eq + 1).strip());
            }
            Long limit = whole("RateLimit", fields.get("limit"));
            Long remaining = whole("RateLimit", fields.get("remaining"));
            Long reset = whole("RateLimit", fields.get("reset"));
            Duration window = policy == null ? null : windowOf("RateLimit-Policy", policy);
            if (limit != null || remaining != null) {
                quotas.add(new Quota(Quota.DEFAULT, Quota.REQUESTS, limit, window, remaining,
                        reset == null ? null : in(reset)));
            }
        }

        /** Drafts 00 to 06: {@code RateLimit-Limit}, {@code -Remaining}, {@code -Reset}. */
        void earlierDrafts() {
            String limitValue = joined("RateLimit-Limit");
            Long limit = null;
            Duration window = null;
            if (limitValue != null) {
                String first = limitValue.split("[,;]", 2)[0];
                limit = whole("RateLimit-Limit", first);
                window = windowOf("RateLimit-Limit", limitValue);
            }
            Long remaining = whole("RateLimit-Remaining", headers.firstValue("RateLimit-Remaining").orElse(null));
            Long reset = whole("RateLimit-Reset", headers.firstValue("RateLimit-Reset").orElse(null));
            if (limit != null || remaining != null) {
                quotas.add(new Quota(Quota.DEFAULT, Quota.REQUESTS, limit, window, remaining,
                        reset == null ? null : in(reset)));
            }
        }

        private @Nullable Duration windowOf(String header, String value) {
            var items = list(header, value);
            if (items == null) return null;
            for (var item : items) {
                Long w = nonNegative(item.parameters().get("w"), header, value, "w");
                if (w != null && w > 0) return Duration.ofSeconds(w);
            }
            return null;
        }

        /** GitHub's, and the many APIs that copied it. */
        void github() {
            Long limit = whole("X-RateLimit-Limit", headers.firstValue("X-RateLimit-Limit").orElse(null));
            Long remaining = whole("X-RateLimit-Remaining", headers.firstValue("X-RateLimit-Remaining").orElse(null));
            Long used = whole("X-RateLimit-Used", headers.firstValue("X-RateLimit-Used").orElse(null));
            if (remaining == null && limit != null && used != null) remaining = Math.max(0, limit - used);
            Instant reset = null;
            var resetValue = headers.firstValue("X-RateLimit-Reset");
            if (resetValue.isPresent()) {
                try {
                    double seconds = Double.parseDouble(resetValue.get().strip());
                    if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new NumberFormatException();
                    long whole = (long) Math.ceil(seconds);
                    reset = whole >= EPOCH_SECONDS_FROM ? Instant.ofEpochSecond(whole) : in(whole);
                } catch (NumberFormatException | DateTimeException e) {
                    problem("X-RateLimit-Reset", resetValue.get(), "not epoch seconds");
                }
            }
            if (limit == null && remaining == null) return;
            String name = headers.firstValue("X-RateLimit-Resource").map(String::strip)
                    .filter(s -> !s.isEmpty()).orElse(Quota.DEFAULT);
            quotas.add(new Quota(name, Quota.REQUESTS, limit, null, remaining, reset));
        }

        /** OpenAI's and compatible LLM APIs': one quota of requests, one of tokens. */
        void llm(String unit) {
            Long limit = whole("x-ratelimit-limit-" + unit, headers.firstValue("x-ratelimit-limit-" + unit).orElse(null));
            String remainingHeader = "x-ratelimit-remaining-" + unit;
            Long remaining = whole(remainingHeader, headers.firstValue(remainingHeader).orElse(null));
            Instant reset = null;
            String resetHeader = "x-ratelimit-reset-" + unit;
            var resetValue = headers.firstValue(resetHeader);
            if (resetValue.isPresent()) {
                try {
                    reset = now.plus(GoDuration.parse(resetValue.get()));
                } catch (IllegalArgumentException | DateTimeException e) {
                    problem(resetHeader, resetValue.get(), e.getMessage() == null ? "not a duration" : e.getMessage());
                }
            }
            if (limit == null && remaining == null) return;
            quotas.add(new Quota(unit, unit, limit, null, remaining, reset));
        }

        /** A whole number of at least 0, or null (absent or malformed: a problem). */
        private @Nullable Long whole(String header, @Nullable String value) {
            if (value == null) return null;
            String v = value.strip();
            try {
                long n = Long.parseLong(v);
                if (n >= 0) return n;
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(header, value, "not a whole number of at least 0");
            return null;
        }

        private @Nullable Long nonNegative(@Nullable Object parameter, String header, String value, String key) {
            if (parameter == null) return null;
            if (parameter instanceof Long n && n >= 0) return n;
            problem(header, value, "parameter " + key + "=" + (parameter instanceof StructuredList.Token t ? t.text() : parameter)
                    + " is not an integer of at least 0");
            return null;
        }

        /** {@code seconds} from now; a count of seconds past {@link Instant#MAX} means never. */
        private Instant in(long seconds) {
            try {
                return now.plusSeconds(seconds);
            } catch (DateTimeException | ArithmeticException beyondMax) {
                return Instant.MAX;
            }
        }
    }
}
