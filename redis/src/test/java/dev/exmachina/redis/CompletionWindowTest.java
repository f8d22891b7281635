package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.spi.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * Shared windows anchored at completion ({@link GroupLimits#anchoredAtCompletion()}), against a real
 * redis-server: each attempt holds a place from its decision until one window after it ended, fleet-wide.
 *
 * <p>Why the checks need no tolerance: a handler's first line runs after Redis decided (and after the
 * reserved start, converted at the instant the answer arrived), and its last line before the release
 * script reads Redis time; Redis time and {@code System.nanoTime()} both run at real time on one host.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class CompletionWindowTest {

    private record Span(long start, long end) {}

    /** The most attempts a server counting each request anywhere inside its attempt sees in one window. */
    private static int mostInAnyWindow(List<Span> spans, long windowNanos) {
        // Attempt j is seen in [x, x + w) iff start_j < x + w and end_j >= x: the count peaks at some x = end_i.
        int most = 0;
        for (Span i : spans) {
            int seen = 0;
            for (Span j : spans) {
                if (j.start < i.end + windowNanos && j.end >= i.end) {
                    seen++;
                }
            }
            most = Math.max(most, seen);
        }
        return most;
    }

    @Test
    void aCompletionWindowHoldsForTwoProcessesWhateverTheLatency(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(4, Duration.ofMillis(300)).anchoredAtCompletion();
        List<Span> spans = Collections.synchronizedList(new ArrayList<>());
        try (Node a = Node.of(server, "c1", Duration.ofSeconds(2)); Node b = Node.of(server, "c1", Duration.ofSeconds(2))) {
            List<Execute<Integer, Integer>> executes = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("api", limits);
                executes.add(node.bot().execute("call", ExecuteOptions.groups("api"), x -> {
                    long start = System.nanoTime();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(80)); // the request's latency
                    spans.add(new Span(start, System.nanoTime()));
                    return x;
                }));
            }
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            Calls.runConcurrently(12, i -> {
                while (System.nanoTime() < until) {
                    executes.get(i % 2).call(i);
                }
            });
        }
        try (RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var keys = probe.keys("c1:*");
            assertTrue(keys.containsAll(java.util.Set.of("c1:group:api:frees", "c1:group:api:waiting")), keys.toString());
            for (String key : keys) { // an abandoned group leaves nothing behind
                long ttl = probe.pttl(key);
                assertTrue(ttl > 0 && ttl <= 4_000, key + " lives " + ttl + " ms more (lease ttl 2 s)");
            }
        }
        int most = mostInAnyWindow(spans, Duration.ofMillis(300).toNanos());
        System.out.println("[completion window] 2 processes, 4 per 300 ms, 0-80 ms latency: " + spans.size()
                + " attempts in 3 s, at most " + most + " seen in any 300 ms");
        assertTrue(most <= 4, most + " attempts overlap one window");
        // Each place turns over about every 300 + 40 ms: 4 places give ~35 attempts in 3 s, none lost to polling.
        assertTrue(spans.size() >= 24, spans.size() + " attempts: the window was not used");
    }

    @Test
    void whenEveryPlaceIsHeldTheNextWaitsForAnEndThenOneWindow(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(2, Duration.ofMillis(400)).anchoredAtCompletion();
        try (Node a = Node.of(server, "c2", Duration.ofSeconds(5)); Node b = Node.of(server, "c2", Duration.ofSeconds(5))) {
            a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            CountDownLatch bothRunning = new CountDownLatch(2);
            List<Long> ends = Collections.synchronizedList(new ArrayList<>());
            Execute<Integer, Integer> slow = a.bot().execute("slow", ExecuteOptions.groups("api"), x -> {
                bothRunning.countDown();
                Thread.sleep(300 + 200L * x);
                ends.add(System.nanoTime());
                return x;
            });
            Execute<Integer, Long> next = b.bot().execute("next", ExecuteOptions.groups("api"), x -> System.nanoTime());
            Thread first = Thread.ofVirtual().start(() -> call(slow, 0));
            Thread second = Thread.ofVirtual().start(() -> call(slow, 1));
            bothRunning.await();
            long started = next.call(0); // every place is held by a running attempt: it waits for an end
            first.join();
            second.join();
            long firstEnd = Collections.min(ends);
            long afterMs = (started - firstEnd) / 1_000_000;
            System.out.println("[completion window] every place held: the next started " + afterMs
                    + " ms after the first end (window 400 ms)");
            assertTrue(started >= firstEnd + Duration.ofMillis(400).toNanos(), afterMs + " ms after the first end");
            // Woken by the release's message, not by the lease expiry (5 s) it would otherwise fall back on.
            assertTrue(afterMs < 400 + 500, afterMs + " ms after the first end");
        }
    }

    @Test
    void aPlaceGivenBackComesFreeAtItsReservedStart(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(1)).anchoredAtCompletion();
        try (Node a = Node.of(server, "c3", Duration.ofSeconds(10))) {
            a.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> call = a.bot().execute("call", ExecuteOptions.groups("api"), x -> System.nanoTime());
            Execute<Integer, Long> impatient = a.bot().execute("impatient",
                    ExecuteOptions.groups("api").maxWait(Duration.ofMillis(200)), x -> System.nanoTime());
            long firstEnd = call.call(0);
            // Its reserved start is a window after the first ended: it gives up first, and gives the place back.
            assertThrows(GroupWaitTimeoutException.class, () -> impatient.call(1));
            long started = call.call(2);
            long afterMs = (started - firstEnd) / 1_000_000;
            System.out.println("[completion window] after a give-back the next started " + afterMs + " ms after the first end");
            assertTrue(afterMs >= 1_000, afterMs + " ms");
            // Not held until the given-back lease expired (10 s): free at the start it had reserved.
            assertTrue(afterMs < 1_000 + 500, afterMs + " ms");
        }
    }

    @Test
    void aDeadHoldersPlaceComesFreeOneWindowAfterItsLeaseExpired(RedisServer server) throws Exception {
        Duration ttl = Duration.ofMillis(1_200);
        var limits = GroupLimits.unlimited().perWindow(1, Duration.ofMillis(500)).anchoredAtCompletion();
        try (Node survivor = Node.of(server, "c4", ttl); RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            RedisClient client = RedisClient.create("127.0.0.1", server.port());
            RedisGroups dead = RedisGroups.builder(client).prefix("c4").leaseTtl(ttl).build();
            var gate = dead.gate(List.of(dead.register("api", limits, BotClock.system())), BotClock.system());
            assertInstanceOf(Decision.StartNow.class, gate.tryEnter()); // takes the one place, never ends
            dead.close(); // renewals stop: as if the process died
            client.close();
            double expiresMicros = probe.zrangeWithScores("c4:group:api:places", 0, -1).getFirst().getScore();

            survivor.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> call = survivor.bot().execute("call", ExecuteOptions.groups("api"),
                    x -> RedisServer.micros(probe));
            long startedMicros = call.call(0);
            long afterMs = (startedMicros - (long) expiresMicros) / 1_000;
            System.out.println("[completion window] a dead holder's place: the next started " + afterMs
                    + " ms after its lease expired (window 500 ms)");
            assertTrue(afterMs >= 500, afterMs + " ms after the lease expired");
            assertTrue(afterMs < 500 + 400, afterMs + " ms after the lease expired");
        }
    }

    private static void call(Execute<Integer, Integer> execute, int x) {
        try {
            execute.call(x);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
