package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A shared group with several windows, against a real redis-server with two clients (two bots, as
 * two processes have): every start is counted in every window, each window holds on its own. The
 * windows' records (start instants in Redis time, kept at least a window) are sampled ten times per
 * shortest window, so every start is seen; no tolerance.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class SeveralWindowsTest {

    @Test
    void everyWindowOfASharedGroupHoldsForTwoProcesses(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(2, Duration.ofMillis(300)).perWindow(4, Duration.ofMillis(1_200));
        Map<String, Long> first = new ConcurrentHashMap<>();
        Map<String, Long> second = new ConcurrentHashMap<>();
        try (Node a = Node.of(server, "w1", Duration.ofSeconds(2)); Node b = Node.of(server, "w1", Duration.ofSeconds(2));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            var sampling = new AtomicBoolean(true);
            Runnable sample = () -> {
                probe.zrangeWithScores("w1:group:api:starts", 0, -1).forEach(t -> first.put(t.getElement(), (long) t.getScore()));
                probe.zrangeWithScores("w1:group:api:starts:2", 0, -1).forEach(t -> second.put(t.getElement(), (long) t.getScore()));
            };
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
                executes.add(node.bot().execute("call", ExecuteOptions.groups("api"), x -> x));
            }
            long until = System.nanoTime() + Duration.ofMillis(2_600).toNanos();
            Calls.runConcurrently(6, i -> {
                while (System.nanoTime() < until) {
                    executes.get(i % 2).call(i);
                }
            });
            sampling.set(false);
            sampler.join();
            sample.run(); // the last starts' stamps, made after the last sample (a reservation is replaced by its stamp)
        }
        assertEquals(first.keySet(), second.keySet(), "every start counted in both windows");
        List<Long> starts = first.values().stream().sorted().toList();
        int inShort = RedisServer.densest(starts, 300_000);
        int inLong = RedisServer.densest(second.values().stream().sorted().toList(), 1_200_000);
        System.out.println("[several windows] 2 per 300 ms and 4 per 1.2 s, two clients, 6 callers: " + starts.size()
                + " starts in 2.6 s; most in any 300 ms " + inShort + ", in any 1.2 s " + inLong);
        assertTrue(inShort <= 2, inShort + " starts in one 300 ms window");
        assertTrue(inLong <= 4, inLong + " starts in one 1.2 s window (the short window alone allows 8)");
        assertTrue(starts.size() >= 8, starts.size() + " starts: the windows were not used");
    }
}
