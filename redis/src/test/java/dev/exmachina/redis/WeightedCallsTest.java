package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * Calls with a cost through shared groups, against a real redis-server with two clients (two bots, as
 * two processes have): a window anchored at starts sums the costs of the fleet's starts on Redis time;
 * a concurrency limit takes a weighted call as any call; a cost settled after the attempt replaces
 * the estimate at the same start; a cost no window can hold is refused, naming it.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class WeightedCallsTest {

    /** What a window entry costs: a weighted start is named {@code <lease id>#<cost>}, any other costs 1. */
    private static int weight(String member) {
        int hash = member.lastIndexOf('#');
        return hash < 0 ? 1 : Integer.parseInt(member.substring(hash + 1));
    }

    /** The largest sum of costs of starts (µs, by instant) in any interval of length {@code windowUs}. */
    private static int heaviest(List<Map.Entry<String, Long>> byInstant, long windowUs) {
        int best = 0;
        int sum = 0;
        int from = 0;
        for (int to = 0; to < byInstant.size(); to++) {
            sum += weight(byInstant.get(to).getKey());
            while (byInstant.get(to).getValue() - byInstant.get(from).getValue() >= windowUs) {
                sum -= weight(byInstant.get(from).getKey());
                from++;
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    @Test
    void costsSummedOnRedisTimeNeverExceedASharedWindowAcrossTwoProcesses(RedisServer server) throws Exception {
        long windowUs = 400_000;
        var limits = GroupLimits.concurrency(8).perWindow(10, Duration.ofMillis(400));
        Map<String, Long> starts = new ConcurrentHashMap<>();
        try (Node a = Node.of(server, "c1", Duration.ofSeconds(2)); Node b = Node.of(server, "c1", Duration.ofSeconds(2));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var sampling = new AtomicBoolean(true);
            Runnable sample = () -> probe.zrangeWithScores("c1:group:api:starts", 0, -1)
                    .forEach(t -> starts.put(t.getElement(), (long) t.getScore()));
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (sampling.get()) {
                    sample.run();
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Execute<Integer, Integer>> executes = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("api", limits);
                // Costs 1 to 4, and unweighted calls in the same window.
                executes.add(node.bot().execute("weighted", ExecuteOptions.groups("api").cost(Integer.class, x -> x % 4 + 1),
                        x -> x));
                executes.add(node.bot().execute("plain", ExecuteOptions.groups("api"), x -> x));
            }
            long until = System.nanoTime() + Duration.ofMillis(2_800).toNanos();
            Calls.runConcurrently(8, i -> {
                int k = 0;
                while (System.nanoTime() < until) {
                    executes.get(i % 4).call(k++);
                }
            });
            sampling.set(false);
            sampler.join();
            sample.run();
        }
        List<Map.Entry<String, Long>> byInstant = starts.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        int heaviest = heaviest(byInstant, windowUs);
        int total = byInstant.stream().mapToInt(e -> weight(e.getKey())).sum();
        long weighted = byInstant.stream().filter(e -> e.getKey().contains("#")).count();
        System.out.println("[weighted window] 10 per 400 ms, costs 1-4 and unweighted, two clients, 8 callers: "
                + byInstant.size() + " starts costing " + total + " in 2.8 s; heaviest 400 ms " + heaviest);
        assertTrue(heaviest <= 10, "costs of " + heaviest + " in one 400 ms window where 10 are allowed");
        assertTrue(weighted > 0 && weighted < byInstant.size(), "weighted and unweighted starts both ran: " + weighted);
        assertTrue(total >= 50, "costs of " + total + " in 2.8 s: the window (70 in that time) was hardly used");
    }

    @Test
    void aSettledCostReplacesTheEstimateAtTheSameStartForTheFleet(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c2", Duration.ofSeconds(5)); Node b = Node.of(server, "c2", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var limits = GroupLimits.unlimited().perWindow(6, Duration.ofSeconds(5));
            a.bot().concurrentGroup("llm", limits);
            b.bot().concurrentGroup("llm", limits);
            // Estimated 5, actually 2: the window holds 2 afterwards.
            Execute<Integer, Integer> ask = a.bot().execute("ask", ExecuteOptions.groups("llm").cost(5)
                    .costAfter(Integer.class, answer -> answer), x -> 2);
            Execute<Integer, Long> other = b.bot().execute("other", ExecuteOptions.groups("llm").cost(4),
                    x -> RedisServer.micros(probe));
            long before = RedisServer.micros(probe);
            ask.call(0);
            var entries = probe.zrangeWithScores("c2:group:llm:starts", 0, -1);
            assertEquals(1, entries.size());
            assertTrue(entries.getFirst().getElement().endsWith("#2"), "settled at 2: " + entries.getFirst().getElement());
            long started = other.call(0);
            assertTrue(started - before < 2_500_000, "a call costing 4 started at once in the other process (2 + 4 fit in"
                    + " 6), not when the estimate of 5 left the window: " + (started - before) + " µs");
        }
    }

    @Test
    void aCostSettledAboveTheEstimateHoldsTheWindowForTheFleet(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c3", Duration.ofSeconds(5)); Node b = Node.of(server, "c3", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var limits = GroupLimits.unlimited().perWindow(6, Duration.ofMillis(1_500));
            a.bot().concurrentGroup("llm", limits);
            b.bot().concurrentGroup("llm", limits);
            Execute<Integer, Long> ask = a.bot().execute("ask", ExecuteOptions.groups("llm").cost(1)
                    .costAfter(Long.class, answer -> 6), x -> RedisServer.micros(probe));
            Execute<Integer, Long> plain = b.bot().execute("plain", ExecuteOptions.groups("llm"), x -> RedisServer.micros(probe));
            long first = ask.call(0);
            long next = plain.call(0);
            assertTrue(next - first >= 1_500_000, "an unweighted call waited until the settled 6 left the window: "
                    + (next - first) + " µs after it");
        }
    }

    @Test
    void aCostSettledAboveAnEstimateOfOneHoldsACompletionWindowForTheFleet(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c8", Duration.ofSeconds(5)); Node b = Node.of(server, "c8", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var limits = GroupLimits.unlimited().perWindow(6, Duration.ofMillis(1_500)).anchoredAtCompletion();
            a.bot().concurrentGroup("llm", limits);
            b.bot().concurrentGroup("llm", limits);
            // No cost before the call (1), 6 after it: the window must count the 6 once the call ended.
            Execute<Integer, Long> ask = a.bot().execute("ask", ExecuteOptions.groups("llm")
                    .costAfter(Long.class, answer -> 6), x -> RedisServer.micros(probe));
            Execute<Integer, Long> plain = b.bot().execute("plain", ExecuteOptions.groups("llm"), x -> RedisServer.micros(probe));
            long first = ask.call(0);
            long next = plain.call(0);
            assertTrue(next - first >= 1_500_000, "an unweighted call waited until the settled 6 left the window: "
                    + (next - first) + " µs after the first began");
        }
    }

    @Test
    void aWeightedPlaceOfACompletionWindowIsRenewedWhileItsCallRunsPastTheLeaseTtl(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c9", Duration.ofSeconds(1)); Node b = Node.of(server, "c9", Duration.ofSeconds(1));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var limits = GroupLimits.unlimited().perWindow(6, Duration.ofSeconds(2)).anchoredAtCompletion();
            a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> slow = a.bot().execute("slow", ExecuteOptions.groups("api").cost(6), x -> {
                Thread.sleep(2_500); // 2.5 lease TTLs: a place not renewed would count as its dead holder's
                return RedisServer.micros(probe);
            });
            Execute<Integer, Long> plain = b.bot().execute("plain", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            long ended = slow.call(0);
            long next = plain.call(0);
            assertTrue(next - ended >= 2_000_000, "the next call waited one window after the weighted call ended: "
                    + (next - ended) + " µs after it");
        }
    }

    @Test
    void aCostLargerThanTheWindowChangedForTheFleetIsRefusedHoldingNothing(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c4", Duration.ofSeconds(5)); Node b = Node.of(server, "c4", Duration.ofSeconds(5))) {
            a.bot().concurrentGroup("api", GroupLimits.concurrency(2).perWindow(10, Duration.ofSeconds(1)));
            var group = b.bot().concurrentGroup("api", GroupLimits.concurrency(2).perWindow(10, Duration.ofSeconds(1)));
            group.changeLimits(GroupLimits.concurrency(2).perWindow(3, Duration.ofSeconds(1)));
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("api").cost(5), x -> x);
            var refused = assertThrows(IllegalArgumentException.class, () -> call.call(0));
            String message = refused.getMessage();
            assertTrue(message.contains("costing 5") && message.contains("'api'") && message.contains("allows 3"), message);
            assertEquals(0L, a.groups().fleetInFlight("api"), "nothing held after the refusal");
        }
    }

    @Test
    void aWeightedCallTakesOneSlotOfASharedConcurrencyLimit(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c5", Duration.ofSeconds(5))) {
            a.bot().concurrentGroup("api", GroupLimits.concurrency(1));
            Execute<Integer, Long> call = a.bot().execute("call", ExecuteOptions.groups("api").cost(250),
                    x -> a.groups().fleetInFlight("api"));
            assertEquals(1L, call.call(0), "the call held one slot while it ran");
            assertEquals(0L, a.groups().fleetInFlight("api"), "and gave it back");
        }
    }

    /**
     * Anchored at completion: each call holds its cost from its decision until one window after it
     * ended. The recorded span (first line to last line, Redis TIME, plus the window) lies inside what
     * the call held, so the costs of the spans covering any instant never exceed the limit.
     */
    @Test
    void costsHeldUntilAWindowAfterEachCallNeverExceedASharedCompletionWindowAcrossTwoProcesses(RedisServer server)
            throws Exception {
        long windowUs = 300_000;
        var limits = GroupLimits.concurrency(8).perWindow(6, Duration.ofMillis(300)).anchoredAtCompletion();
        record Span(long from, long to, int cost) {}
        var spans = new java.util.concurrent.ConcurrentLinkedQueue<Span>();
        try (Node a = Node.of(server, "c6", Duration.ofSeconds(2)); Node b = Node.of(server, "c6", Duration.ofSeconds(2));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            List<Execute<Integer, Integer>> executes = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("api", limits);
                executes.add(node.bot().execute("weighted", ExecuteOptions.groups("api").cost(Integer.class, x -> x % 3 + 1),
                        x -> {
                            long from = RedisServer.micros(probe);
                            Thread.sleep(x % 5 * 10);
                            spans.add(new Span(from, RedisServer.micros(probe) + windowUs, x % 3 + 1));
                            return x;
                        }));
                executes.add(node.bot().execute("plain", ExecuteOptions.groups("api"), x -> {
                    long from = RedisServer.micros(probe);
                    spans.add(new Span(from, RedisServer.micros(probe) + windowUs, 1));
                    return x;
                }));
            }
            long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
            Calls.runConcurrently(8, i -> {
                int k = i;
                while (System.nanoTime() < until) {
                    executes.get(i % 4).call(k++);
                }
            });
        }
        // Sweep the spans' edges: an end before a start at the same instant (a span is [from, to)).
        List<long[]> edges = new ArrayList<>();
        for (Span span : spans) {
            edges.add(new long[] {span.from(), span.cost()});
            edges.add(new long[] {span.to(), -span.cost()});
        }
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int held = 0;
        int most = 0;
        for (long[] edge : edges) {
            held += (int) edge[1];
            most = Math.max(most, held);
        }
        int total = spans.stream().mapToInt(Span::cost).sum();
        System.out.println("[weighted completion window] 6 per 300 ms after each call, costs 1-3 and unweighted, two"
                + " clients, 8 callers: " + spans.size() + " calls costing " + total + " in 2.5 s; most held at once " + most);
        assertTrue(most <= 6, "costs of " + most + " held at one instant where 6 are allowed");
        assertTrue(total >= 20, "costs of " + total + " in 2.5 s: the window was hardly used");
    }

    @Test
    void aCostSettledBelowTheEstimateFreesOnlyTheActualCostOfACompletionWindow(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "c7", Duration.ofSeconds(5)); Node b = Node.of(server, "c7", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var limits = GroupLimits.unlimited().perWindow(6, Duration.ofSeconds(5)).anchoredAtCompletion();
            a.bot().concurrentGroup("llm", limits);
            b.bot().concurrentGroup("llm", limits);
            Execute<Integer, Integer> ask = a.bot().execute("ask", ExecuteOptions.groups("llm").cost(5)
                    .costAfter(Integer.class, answer -> answer), x -> 2);
            Execute<Integer, Long> other = b.bot().execute("other", ExecuteOptions.groups("llm").cost(4),
                    x -> RedisServer.micros(probe));
            long before = RedisServer.micros(probe);
            ask.call(0);
            var frees = probe.zrangeWithScores("c7:group:llm:frees", 0, -1);
            assertEquals(1, frees.size());
            assertTrue(frees.getFirst().getElement().endsWith("#2"), "frees the actual 2: " + frees.getFirst().getElement());
            long started = other.call(0);
            assertTrue(started - before < 2_500_000, "a call costing 4 started at once in the other process (2 + 4 fit in"
                    + " 6): " + (started - before) + " µs");
        }
    }
}
