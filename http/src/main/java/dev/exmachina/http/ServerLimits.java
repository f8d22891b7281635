package dev.exmachina.http;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells a concurrent group what the server said in a response, so that the group plans no more than
 * the server allows:
 *
 * <ul>
 *   <li><b>A 429 or a 503 with {@code Retry-After}</b> pauses the group until the instant it names
 *       ({@link ConcurrentGroup#pauseUntil}): every caller waits, on the bot's clock; attempts already
 *       running finish. {@link #pausingOn} chooses the statuses.
 *   <li><b>A quota with something left</b> (remaining and a reset instant) limits the group's starts
 *       until the reset to what is left ({@link ConcurrentGroup#limitUntil}), less the group's other
 *       attempts in flight (each of which the server may not have counted yet): callers beyond wait
 *       until the reset. Of several quotas followed in one response, the one with the fewest left
 *       decides; a group keeps one such budget, counted in calls, or in costs for weighted calls (so
 *       a group of weighted calls follows only the quota of their unit: {@link #onlyQuotas}).
 *   <li><b>A quota with nothing left</b> (remaining 0 and a reset instant), or with no more left than
 *       the group has other attempts in flight, pauses the group until the quota's reset
 *       ({@link ConcurrentGroup#pauseUntil}).
 *   <li><b>A quota's size and window</b> (the IETF {@code RateLimit-Policy}, draft 07's policy, the
 *       earlier drafts' {@code RateLimit-Limit;w=}) that differ from the group's window of the same
 *       length change that window's limit ({@link ConcurrentGroup#changeLimits}): the group follows a
 *       limit the server lowers or raises at run time. A quota of size 0 pauses until its reset
 *       instead. Only a window of the same length changes: a quota whose window the group does not
 *       have is not added to it.
 * </ul>
 *
 * <p>Call {@link #follow(HttpResponse)} with every response of the API, inside the handler of an
 * execute through the group (so that it runs before the next attempts are planned):
 *
 * <pre>{@code
 * ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(100, "1m"));
 * ServerLimits server = ServerLimits.of(api, bot.clock());
 * Execute<String, String> get = bot.execute("get", ExecuteOptions.groups("api"), path -> {
 *     HttpResponse<String> response = http.send(request(path), BodyHandlers.ofString());
 *     server.follow(response);
 *     return body(response);
 * });
 * }</pre>
 *
 * <p>It never throws into the bot for what the server sent: a malformed header, or a group whose
 * backend cannot pause, change its limits or follow what is left, is described in the returned word's
 * {@link ServerWord#problems()}. Relative values ({@code Retry-After: 30}, {@code t=30}, {@code 6m0s})
 * count from the bot clock's {@link BotClock#instant()} when the response is followed.
 *
 * <p><b>Concurrency.</b> Thread-safe: any number of attempts may follow responses at once. Pauses
 * never shorten one another; limit changes are made one at a time (a lock), each from the limits in
 * force, so two responses never undo each other's change of another window.
 */
public final class ServerLimits {
    private final ConcurrentGroup group;
    private final BotClock clock;
    private final Set<String> quotas;
    private final Set<Integer> pauseStatuses;
    private final ReentrantLock changing = new ReentrantLock();

    private ServerLimits(ConcurrentGroup group, BotClock clock, Set<String> quotas, Set<Integer> pauseStatuses) {
        this.group = group;
        this.clock = clock;
        this.quotas = quotas;
        this.pauseStatuses = pauseStatuses;
    }

    /**
     * Follows every quota the server announces, and its {@code Retry-After}.
     *
     * @param group the group the API's calls go through
     * @param clock the bot's clock ({@code bot.clock()}), which relative values count from
     * @return a follower of the server's word for that group
     */
    public static ServerLimits of(ConcurrentGroup group, BotClock clock) {
        return new ServerLimits(Objects.requireNonNull(group, "group"), Objects.requireNonNull(clock, "clock"), Set.of(),
                Set.of(429, 503));
    }

    /**
     * A copy that follows only the quotas of these names (and {@code Retry-After}), for an API that
     * announces quotas the group does not stand for (GitHub's {@code "search"} beside {@code "core"},
     * an LLM API's {@code "tokens"} beside {@code "requests"}).
     *
     * @param names the quotas' names, as in {@link Quota#name()}
     * @return a copy following only those quotas
     * @throws IllegalArgumentException if no name is given
     */
    public ServerLimits onlyQuotas(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one quota, such as \"" + Quota.DEFAULT + "\"");
        }
        return new ServerLimits(group, clock, Set.of(names), pauseStatuses);
    }

    /**
     * A copy where only a {@code Retry-After} sent with one of these statuses pauses the group (429
     * and 503 by default). For an API whose 503 concerns the one request that met it (a flaky
     * backend behind a healthy front) rather than the whole service, {@code pausingOn(429)} leaves
     * that request's wait to its retry rule.
     *
     * @param statuses HTTP statuses, 100 to 599; none: a {@code Retry-After} never pauses the group
     * @return a copy pausing on those statuses only
     * @throws IllegalArgumentException if a status is not 100 to 599
     */
    public ServerLimits pausingOn(int... statuses) {
        var set = new java.util.HashSet<Integer>();
        for (int status : statuses) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("an HTTP status is 100 to 599, was " + status + " (429 and 503 say Retry-After)");
            }
            set.add(status);
        }
        return new ServerLimits(group, clock, quotas, Set.copyOf(set));
    }

    /**
     * Reads a response's headers and tells the group what they said.
     *
     * @param response a response of the API
     * @return what the response said, with any problem reading it or following it
     */
    public ServerWord follow(HttpResponse<?> response) {
        return follow(response.headers(), response.statusCode());
    }

    /**
     * Reads headers and tells the group what they said.
     *
     * @param headers a response's headers
     * @param status its HTTP status
     * @return what the response said, with any problem reading it or following it
     */
    public ServerWord follow(HttpHeaders headers, int status) {
        return follow(RateLimitHeaders.read(headers, status, clock.instant()));
    }

    /**
     * Tells the group what a response said.
     *
     * @param word what a response said ({@link RateLimitHeaders#read})
     * @return {@code word}, with a problem line added for each thing the group could not do
     */
    public ServerWord follow(ServerWord word) {
        var problems = new ArrayList<String>();
        Instant retryAfter = word.retryAfter();
        if (retryAfter != null && pauseStatuses.contains(word.status())) {
            pause(retryAfter, "HTTP " + word.status() + " Retry-After", problems);
        }
        Quota fewest = null;
        long fewestLeft = Long.MAX_VALUE;
        for (Quota q : word.quotas()) {
            if (!quotas.isEmpty() && !quotas.contains(q.name())) continue;
            if (q.limit() != null && q.window() != null && q.limit() > 0) changeLimit(q, problems);
            // The attempts in flight besides the caller's may not have been counted by the server
            // yet: each may take one of what is left.
            long others = Math.max(0, group.inFlight() - 1);
            long left = q.limit() != null && q.limit() == 0 ? 0 : q.remaining() == null ? Long.MAX_VALUE : q.remaining() - others;
            if (q.resetAt() == null || left == Long.MAX_VALUE) continue;
            if (left <= 0) {
                pause(q.resetAt(), "quota \"" + q.name() + "\"", problems);
            } else if (left < fewestLeft) {
                fewest = q;
                fewestLeft = left;
            }
        }
        if (fewest != null) limitUntil(fewest, fewestLeft, problems);
        if (problems.isEmpty()) return word;
        var all = new ArrayList<>(word.problems());
        all.addAll(problems);
        return new ServerWord(word.status(), word.retryAfter(), word.quotas(), all);
    }

    private void pause(Instant until, String why, List<String> problems) {
        try {
            group.pauseUntil(until);
        } catch (RuntimeException e) {
            // No instant in the line: the same failure reads the same, for a caller that logs each once.
            problems.add(why + ": group \"" + group.name() + "\" could not pause: " + e.getMessage());
        }
    }

    /** Until the quota's reset, the group starts no more than what is left of it. */
    private void limitUntil(Quota q, long left, List<String> problems) {
        try {
            group.limitUntil(left, Objects.requireNonNull(q.resetAt()));
        } catch (RuntimeException e) {
            problems.add("quota \"" + q.name() + "\": group \"" + group.name() + "\" could not limit its starts to the "
                    + left + " left until the reset: " + e.getMessage());
        }
    }

    /** Sets the limit of the group's window of the quota's length to the quota's size, if it differs. */
    private void changeLimit(Quota q, List<String> problems) {
        changing.lock();
        try {
            GroupLimits now = group.limits();
            List<GroupLimits.Window> windows = new ArrayList<>(now.windows());
            boolean changed = false;
            for (int i = 0; i < windows.size(); i++) {
                GroupLimits.Window w = windows.get(i);
                if (w.length().equals(q.window()) && w.limit() != q.limit()) {
                    windows.set(i, new GroupLimits.Window((int) Math.min(Integer.MAX_VALUE, q.limit()), w.length(), w.anchor()));
                    changed = true;
                }
            }
            if (!changed) return;
            GroupLimits.Window first = windows.removeFirst();
            group.changeLimits(new GroupLimits(now.concurrency(), first.limit(), first.length(), first.anchor(),
                    now.circuitBreaker(), windows));
        } catch (RuntimeException e) {
            problems.add("quota \"" + q.name() + "\": group \"" + group.name() + "\" could not change its limit to "
                    + q.limit() + " per " + q.window() + ": " + e.getMessage());
        } finally {
            changing.unlock();
        }
    }
}
