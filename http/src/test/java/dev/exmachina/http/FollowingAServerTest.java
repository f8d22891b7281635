package dev.exmachina.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.testkit.VirtualClock;
import dev.exmachina.testkit.VirtualClockExtension;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bot on the virtual clock whose "server" answers with canned headers: the group it follows
 * pauses and changes its limit exactly when and as the server says, with every caller waiting.
 */
@ExtendWith(VirtualClockExtension.class)
class FollowingAServerTest {

    private static HttpHeaders headers(String... nameValue) {
        var map = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < nameValue.length; i += 2) map.put(nameValue[i], List.of(nameValue[i + 1]));
        return HttpHeaders.of(map, (n, v) -> true);
    }

    private record Answer(int status, HttpHeaders headers) {}

    /** Runs {@code answers.size()} calls one after the other; returns the seconds at which each started. */
    private static List<Double> startsOf(VirtualClock clock, GroupLimits limits, List<Answer> answers) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        var group = bot.concurrentGroup("api", limits);
        var server = ServerLimits.of(group, bot.clock());
        Instant t0 = clock.instant();
        List<Double> starts = Collections.synchronizedList(new ArrayList<>());
        var call = bot.execute("call", ExecuteOptions.groups("api"), (Integer i) -> {
            starts.add(Duration.between(t0, clock.instant()).toMillis() / 1000.0);
            Answer a = answers.get(i);
            List<String> problems = server.follow(a.headers(), a.status()).problems();
            if (!problems.isEmpty()) throw new AssertionError(problems.toString());
            return a.status();
        });
        bot.emit("caller", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < answers.size(); i++) call.call(i);
        });
        bot.run();
        return starts;
    }

    @Test
    void a429sRetryAfterHoldsTheNextCallUntilThen(VirtualClock clock) throws Exception {
        var starts = startsOf(clock, GroupLimits.concurrency(1), List.of(
                new Answer(200, headers()),
                new Answer(429, headers("Retry-After", "5")),
                new Answer(200, headers())));
        assertEquals(List.of(0.0, 0.0, 5.0), starts);
    }

    @Test
    void aQuotaWithNothingLeftHoldsTheNextCallUntilItsReset(VirtualClock clock) throws Exception {
        var starts = startsOf(clock, GroupLimits.concurrency(1), List.of(
                new Answer(200, headers("RateLimit", "\"default\";r=1;t=3")),
                new Answer(200, headers("RateLimit", "\"default\";r=0;t=3")),
                new Answer(200, headers("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.5s")),
                new Answer(200, headers())));
        assertEquals(List.of(0.0, 0.0, 3.0, 4.5), starts);
    }

    /**
     * Tests the budget end to end against an honest server of 4 requests per 10 s (windows from 0,
     * counted at arrival, 429 past the quota): a first call learns 3 are left; of 5 callers then, 3
     * start at once and 2 at the reset, and the server refuses none.
     */
    @Test
    void threeLeftLetThreeOfFiveCallersStartNowAndTwoAtTheReset(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        var server = ServerLimits.of(bot.concurrentGroup("api", GroupLimits.concurrency(8)), bot.clock());
        Instant t0 = clock.instant();
        List<Double> starts = Collections.synchronizedList(new ArrayList<>());
        List<Double> refused = Collections.synchronizedList(new ArrayList<>());
        long[] seen = {-1, 0}; // the server's window index and its count there
        var serverLock = new java.util.concurrent.locks.ReentrantLock();
        var call = bot.execute("call", ExecuteOptions.groups("api"), (Integer i) -> {
            long millis = Duration.between(t0, clock.instant()).toMillis();
            starts.add(millis / 1000.0);
            int status;
            String rateLimit;
            serverLock.lock(); // the server, not the bot: a test's stand-in for another process
            try {
                if (seen[0] != millis / 10_000) {
                    seen[0] = millis / 10_000;
                    seen[1] = 0;
                }
                long left = 4 - ++seen[1];
                status = left < 0 ? 429 : 200;
                rateLimit = "\"default\";r=" + Math.max(0, left) + ";t=" + (10 - millis / 1000 % 10);
            } finally {
                serverLock.unlock();
            }
            if (status == 429) refused.add(millis / 1000.0);
            List<String> problems = server.follow(headers("RateLimit", rateLimit), status).problems();
            if (!problems.isEmpty()) throw new AssertionError(problems.toString());
            return status;
        });
        bot.emit("caller", EmitOptions.defaults().count(1), event -> {
            call.call(0);
            var calls = new ArrayList<dev.exmachina.core.Forked<Integer>>();
            for (int i = 1; i <= 5; i++) calls.add(event.execute(call, i));
            for (var f : calls) f.join();
        });
        bot.run();

        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 10.0, 10.0), starts);
        assertEquals(List.of(), refused);
    }

    @Test
    void aLowerLimitAnnouncedAtRunTimeBecomesTheGroups(VirtualClock clock) throws Exception {
        var policy10 = headers("RateLimit-Policy", "\"default\";q=10;w=1");
        var policy2 = headers("RateLimit-Policy", "\"default\";q=2;w=1");
        var answers = new ArrayList<Answer>();
        for (int i = 0; i < 3; i++) answers.add(new Answer(200, policy10));
        for (int i = 0; i < 5; i++) answers.add(new Answer(200, policy2));
        var starts = startsOf(clock, GroupLimits.concurrency(1).perWindow(10, Duration.ofSeconds(1)), answers);
        // Four at once under 10 per second, the fourth answered "2": the four starts already counted
        // stay counted, so the next waits until they leave the window at 1 s; then two per second.
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0), starts);
    }
}
