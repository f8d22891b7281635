package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * What the server says is left ({@code ConcurrentGroup.limitUntil}) for a shared group, against a real
 * redis-server with two clients (two bots, as two processes have): a budget announced in one holds for
 * the other's callers too. Every instant compared is Redis {@code TIME}: a handler's first line is a
 * {@code TIME} call, and the reset is the instant Redis keeps. No tolerance: a start at or after the
 * reset is what the decision guarantees, and one before it is what the budget allowed.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class BudgetTest {

    private static long reset(RedisClient probe, String prefix) {
        return Long.parseLong(probe.hget(prefix + ":group:api:control", "budgetReset"));
    }

    @Test
    void aBudgetAnnouncedInOneProcessStartsThatManyAcrossTheFleetAndTheRestAtTheReset(RedisServer server)
            throws Exception {
        var limits = GroupLimits.concurrency(10);
        try (Node a = Node.of(server, "b1", Duration.ofSeconds(5)); Node b = Node.of(server, "b1", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> callA = a.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            Execute<Integer, Long> callB = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));

            long announced = RedisServer.micros(probe);
            groupA.limitUntil(3, Instant.now().plusSeconds(1));
            long end = reset(probe, "b1");
            assertTrue(end > announced, "the reset is kept in Redis time, after the announcement");

            List<Long> firstLines = Collections.synchronizedList(new ArrayList<>());
            Calls.runConcurrently(5, i -> firstLines.add((i % 2 == 0 ? callA : callB).call(i)));
            List<Long> sorted = new ArrayList<>(firstLines);
            Collections.sort(sorted);
            System.out.println("[budget] 3 left until a reset in 1 s, 5 calls over two processes began at "
                    + sorted.stream().map(t -> (t - end) / 1000 + " ms").toList() + " from the reset");
            assertEquals(3, sorted.stream().filter(t -> t < end).count(), "starts before the reset: " + sorted);
            assertTrue(sorted.get(3) >= end, "the fourth began " + (end - sorted.get(3)) / 1000 + " ms before the reset");

            callB.call(5); // after the reset: the budget limits nothing and the next decision drops it
            assertFalse(probe.hexists("b1:group:api:control", "budget"), "the budget was kept after its reset");
        }
    }

    @Test
    void aLaterAnnouncementReplacesTheBudgetAndAPastResetOrANegativeRemainingChangesNothing(RedisServer server)
            throws Exception {
        var limits = GroupLimits.unlimited().perWindow(100, Duration.ofSeconds(10));
        try (Node a = Node.of(server, "b2", Duration.ofSeconds(5)); Node b = Node.of(server, "b2", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            ConcurrentGroup groupB = b.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            Execute<Integer, Long> heavy = b.bot().execute("heavy", ExecuteOptions.groups("api").cost(2),
                    x -> RedisServer.micros(probe));

            groupA.limitUntil(0, Instant.now().plusSeconds(30));
            groupB.limitUntil(3, Instant.now().plusMillis(800)); // replaces it: a fresh count, a new reset
            long end = reset(probe, "b2");
            groupA.limitUntil(50, Instant.now().minusSeconds(1)); // a reset already past does nothing
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> groupA.limitUntil(-1, Instant.now().plusSeconds(1)));
            assertTrue(refused.getMessage().contains("-1"), refused.getMessage());
            assertEquals("3", probe.hget("b2:group:api:control", "budget"));

            long first = heavy.call(0); // costs 2 of the 3
            long second = call.call(1); // the last one
            long third = heavy.call(2); // no room for 2: at the reset
            System.out.println("[budget] 3 left until a reset in 800 ms: costs 2, 1, 2 began "
                    + (first - end) / 1000 + ", " + (second - end) / 1000 + ", " + (third - end) / 1000 + " ms from the reset");
            assertTrue(first < end && second < end, "the budget's 3 units began before the reset");
            assertTrue(third >= end, "a cost of 2 with 0 left began " + (end - third) / 1000 + " ms before the reset");
        }
    }
}
