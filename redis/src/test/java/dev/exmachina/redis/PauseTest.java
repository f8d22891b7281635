package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * Pauses of shared groups, against a real redis-server with two clients (two bots, as two processes
 * have): a pause taken in one holds for the other. Every instant compared is Redis {@code TIME}: a
 * handler's first line is a {@code TIME} call, and the pause's end is the instant Redis keeps. No
 * tolerance: a start at or after the pause's end is what the decision guarantees.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class PauseTest {

    private static long pauseEnd(RedisClient probe, String prefix) {
        return Long.parseLong(probe.hget(prefix + ":group:api:control", "paused"));
    }

    @Test
    void aPauseTakenInOneProcessHoldsTheOthersCallersUntilItEndsWhileRunningAttemptsFinish(RedisServer server)
            throws Exception {
        var limits = GroupLimits.concurrency(4);
        try (Node a = Node.of(server, "p1", Duration.ofSeconds(5)); Node b = Node.of(server, "p1", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            ConcurrentGroup groupB = b.bot().concurrentGroup("api", limits);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch paused = new CountDownLatch(1);
            Execute<Integer, Long> slow = b.bot().execute("slow", ExecuteOptions.groups("api"), x -> {
                running.countDown();
                paused.await();
                return RedisServer.micros(probe); // still running after the pause began: it finishes
            });
            Execute<Integer, Long> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            var runningCall = new FutureTask<>(() -> slow.call(0));
            Thread.ofVirtual().start(runningCall);
            running.await();

            groupA.pauseUntil(Instant.now().plusMillis(700));
            long end = pauseEnd(probe, "p1");
            long pausedAt = RedisServer.micros(probe);
            paused.countDown();
            assertTrue(runningCall.get() >= pausedAt, "the attempt running when the pause began finished");
            assertTrue(groupB.pausedUntil().isPresent(), "the other process sees the pause");

            List<Long> firstLines = Collections.synchronizedList(new ArrayList<>());
            Calls.runConcurrently(6, i -> firstLines.add(call.call(i)));
            long earliest = Collections.min(firstLines);
            System.out.println("[pause] 6 calls of another process during a 700 ms pause: the first began "
                    + (earliest - end) / 1000 + " ms after the pause's end");
            assertTrue(earliest >= end, "a call began " + (end - earliest) / 1000 + " ms before the pause's end");
            assertTrue(groupB.pausedUntil().isEmpty(), "the pause is over");
        }
    }

    @Test
    void aPauseMovesAStartReservedBeforeItToItsEnd(RedisServer server) throws Exception {
        var limits = GroupLimits.unlimited().perWindow(1, Duration.ofMillis(400));
        try (Node a = Node.of(server, "p2", Duration.ofSeconds(5)); Node b = Node.of(server, "p2", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            ConcurrentGroup groupA = a.bot().concurrentGroup("api", limits);
            b.bot().concurrentGroup("api", limits);
            Execute<Integer, Long> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            long first = call.call(0);
            var second = new FutureTask<>(() -> call.call(1)); // its start is reserved 400 ms after the first
            Thread.ofVirtual().start(second);
            while (probe.zcard("p2:group:api:starts") < 2) {
                Thread.sleep(5);
            }
            groupA.pauseUntil(Instant.now().plusMillis(1_000));
            long end = pauseEnd(probe, "p2");
            long began = second.get();
            System.out.println("[pause] a start reserved " + 400 + " ms after the first, then a 1 s pause: it began "
                    + (began - first) / 1000 + " ms after the first, " + (began - end) / 1000 + " ms after the pause's end");
            assertTrue(began >= end, "the reserved start began " + (end - began) / 1000 + " ms before the pause's end");
        }
    }

    @Test
    void aFailureThatPausesItsGroupsPausesTheFleetAndAShorterPauseDoesNotShortenIt(RedisServer server)
            throws Exception {
        var limits = GroupLimits.concurrency(2);
        try (Node a = Node.of(server, "p3", Duration.ofSeconds(5)); Node b = Node.of(server, "p3", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            a.bot().concurrentGroup("api", limits);
            ConcurrentGroup groupB = b.bot().concurrentGroup("api", limits);
            Execute<Integer, Integer> refused = a.bot().execute("refused", ExecuteOptions.groups("api")
                    .pauseOn(IllegalStateException.class, e -> Duration.ofMillis(Long.parseLong(e.getMessage()))), x -> {
                        throw new IllegalStateException("800"); // as a 429 whose Retry-After says 0.8 s
                    });
            assertThrows(IllegalStateException.class, () -> refused.call(0));
            long end = pauseEnd(probe, "p3");
            groupB.pauseUntil(Instant.now().plusMillis(100));
            assertEquals(end, pauseEnd(probe, "p3"), "a shorter pause shortened the one in force");

            Execute<Integer, Long> call = b.bot().execute("call", ExecuteOptions.groups("api"), x -> RedisServer.micros(probe));
            long began = call.call(0);
            System.out.println("[pause] after a failure paused the group for 800 ms, the other process began "
                    + (began - end) / 1000 + " ms after the pause's end");
            assertTrue(began >= end, "began " + (end - began) / 1000 + " ms before the pause's end");
        }
    }
}
