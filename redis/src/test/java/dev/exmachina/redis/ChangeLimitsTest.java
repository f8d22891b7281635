package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * Limits of a shared group changed at run time, against a real redis-server with two clients (two
 * bots, as two processes have): the change is kept in Redis and holds for the other at once.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class ChangeLimitsTest {

    @Test
    void aConcurrencyRaisedInOneProcessLetsTheOthersWaitersInAtOnce(RedisServer server) throws Exception {
        var limits = GroupLimits.concurrency(1);
        try (Node a = Node.of(server, "l1", Duration.ofSeconds(10)); Node b = Node.of(server, "l1", Duration.ofSeconds(10))) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            CountDownLatch allIn = new CountDownLatch(3);
            Execute<Integer, Integer> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> {
                allIn.countDown();
                assertTrue(allIn.await(30, TimeUnit.SECONDS), "not all three ran at once");
                return x;
            });
            for (int i = 0; i < 3; i++) {
                int x = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        call.call(x);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            }
            while (b.groups().fleetInFlight("api") < 1 || allIn.getCount() > 2) {
                Thread.sleep(5); // one runs, two wait for a slot
            }
            groupA.changeLimits(GroupLimits.concurrency(3));
            // Woken by the change's message: the waiters' own fallback is the lease time to live (10 s).
            assertTrue(allIn.await(5, TimeUnit.SECONDS), "the other process's waiters were not let in");
            assertEquals(GroupLimits.concurrency(3), groupA.limits());
        }
    }

    @Test
    void aWindowLoweredInOneProcessHoldsTheOthersNextCalls(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(5, Duration.ofMillis(800));
        try (Node a = Node.of(server, "l2", Duration.ofSeconds(5)); Node b = Node.of(server, "l2", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            groupA.changeLimits(GroupLimits.unlimited().perWindow(2, Duration.ofMillis(800)));
            Execute<Integer, Long> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            long asked = RedisServer.micros(probe);
            call.call(1);
            call.call(2);
            long third = call.call(3); // 5 per 800 ms would let it in at once; 2 per 800 ms not before the first + 800 ms
            System.out.println("[change limits] after lowering 5 to 2 per 800 ms in another process, the third call began "
                    + (third - asked) / 1000 + " ms after the first was asked");
            assertTrue(third - asked >= 800_000, "the third call began " + (third - asked) / 1000 + " ms after the first");
        }
    }

    @Test
    void aSharedGroupChangesItsNumbersNotItsShape(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "l3", Duration.ofSeconds(5))) {
            ConcurrentGroup group = a.bot().concurrentGroup("api", GroupLimits.concurrency(2).perWindow(5, Duration.ofSeconds(1)));
            var longer = assertThrows(IllegalArgumentException.class,
                    () -> group.changeLimits(GroupLimits.concurrency(2).perWindow(5, Duration.ofSeconds(2))));
            assertTrue(longer.getMessage().contains("'api'") && longer.getMessage().contains("register another group"),
                    longer.getMessage());
            assertThrows(IllegalArgumentException.class, () -> group.changeLimits(GroupLimits.unlimited().perWindow(5, Duration.ofSeconds(1))));
            assertEquals(GroupLimits.concurrency(2).perWindow(5, Duration.ofSeconds(1)), group.limits(), "nothing changed");
        }
    }
}
