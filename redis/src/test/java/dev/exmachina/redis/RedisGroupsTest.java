package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/** Shared groups in one process, against a real redis-server: each RedisGroups plays one process of a fleet. */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class RedisGroupsTest {

    private static long redisMicros(RedisClient redis) {
        return RedisServer.micros(redis);
    }

    @Test
    void concurrencyAndSlidingWindowHoldForTwoProcesses(RedisServer server) throws Exception {
        var limits = GroupLimits.concurrency(2).perWindow(5, Duration.ofMillis(500));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        try (Node a = Node.of(server, "t1", Duration.ofSeconds(2)); Node b = Node.of(server, "t1", Duration.ofSeconds(2));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            List<Execute<Integer, Integer>> executes = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("api", limits);
                executes.add(node.bot().execute("call", ExecuteOptions.groups("api"), x -> {
                    starts.add(redisMicros(probe));
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.sleep(30);
                    inFlight.decrementAndGet();
                    return x;
                }));
            }
            Calls.runConcurrently(8, i -> redisMicros(probe)); // open the probe pool's 8 connections: recording must not open any
            // The window's own record on Redis (start instants reserved by the script), sampled as it goes.
            var reservedById = new java.util.concurrent.ConcurrentHashMap<String, Long>();
            var sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().start(() -> { // a platform thread: not starved by the callers
                while (sampling.get()) {
                    probe.zrangeWithScores("t1:group:api:starts", 0, -1)
                            .forEach(t -> reservedById.put(t.getElement(), (long) t.getScore()));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long began = System.nanoTime();
            Calls.runConcurrently(20, i -> executes.get(i % 2).call(i));
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            sampling.set(false);
            sampler.join();
            // One last sample after the calls ended: the sampler's last one may predate the last
            // reservations (it samples every 50 ms); earlier ones, trimmed since, were sampled before.
            probe.zrangeWithScores("t1:group:api:starts", 0, -1)
                    .forEach(t -> reservedById.put(t.getElement(), (long) t.getScore()));
            List<Long> reserved = new ArrayList<>(reservedById.values());
            Collections.sort(reserved);
            assertEquals(20, reserved.size());
            assertEquals(5, RedisServer.densest(reserved, 500_000), "reserved starts in the densest 500 ms");

            List<Long> sorted = new ArrayList<>(starts);
            Collections.sort(sorted);
            assertEquals(20, sorted.size());
            assertTrue(maxInFlight.get() <= 2, "in flight " + maxInFlight);
            // Exact on Redis: the reserved starts above. The starts the handlers record (a TIME call just
            // after they begin) carry the recording's jitter (a cold first call: tens of ms), so they are
            // checked over intervals 100 ms shorter than the window.
            int densest = RedisServer.densest(sorted, 400_000);
            System.out.println("[shared group] starts recorded (ms after the first): "
                    + sorted.stream().map(s -> (s - sorted.get(0)) / 1000).toList());
            System.out.println("[shared group] starts reserved (ms after the first): "
                    + reserved.stream().map(s -> (s - reserved.get(0)) / 1000).toList());
            assertTrue(densest <= 5, "densest 400 ms: " + densest + " starts");
            // 20 starts at 5 per 500 ms: the last batch cannot start before 1.5 s.
            assertTrue(tookMs >= 1_450, "took " + tookMs + " ms");
            assertTrue(tookMs < 3_000, "took " + tookMs + " ms");
            System.out.printf("[shared group] 2 nodes, 20 calls, concurrency 2, 5/500ms: %d ms, max in flight %d, recorded densest 400ms %d, densest 500ms %d, reserved densest 500ms %d%n",
                    tookMs, maxInFlight.get(), densest, RedisServer.densest(sorted, 500_000), RedisServer.densest(reserved, 500_000));
            assertEquals(0, a.groups().fleetInFlight("api"));
        }
    }

    @Test
    void aWindowReservesFutureStartsInsteadOfPolling(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "t2", Duration.ofSeconds(2))) {
            a.bot().concurrentGroup("win", GroupLimits.unlimited().perWindow(3, Duration.ofSeconds(1)));
            List<Long> startedMs = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("win"), x -> {
                startedMs.add((System.nanoTime() - t0) / 1_000_000);
                return x;
            });
            Calls.runConcurrently(6, call::call);
            List<Long> sorted = new ArrayList<>(startedMs);
            Collections.sort(sorted);
            System.out.println("[shared group] 6 calls at once, 3 per 1 s: started at ms " + sorted);
            assertTrue(sorted.get(2) < 300, sorted.toString());
            assertTrue(sorted.get(3) >= 990 && sorted.get(3) < 1_300, sorted.toString());
        }
    }

    @Test
    void aCrashedHoldersSlotsComeBackWithinOneTtl(RedisServer server) throws Exception {
        Duration ttl = Duration.ofMillis(1_500);
        try (Node survivor = Node.of(server, "t3", ttl)) {
            // The "crashed" process takes both slots and never releases them, then stops renewing.
            RedisClient client = RedisClient.create("127.0.0.1", server.port());
            RedisGroups crashed = RedisGroups.builder(client).prefix("t3").leaseTtl(ttl).build();
            var group = crashed.register("slots", GroupLimits.concurrency(2), dev.exmachina.core.BotClock.system());
            var gate = crashed.gate(List.of(group), dev.exmachina.core.BotClock.system());
            assertInstanceOf(dev.exmachina.core.spi.Decision.StartNow.class, gate.tryEnter());
            assertInstanceOf(dev.exmachina.core.spi.Decision.StartNow.class, gate.tryEnter());
            Thread.sleep(1_000); // renewed at least once (every ttl/3)
            assertEquals(2, crashed.fleetInFlight("slots"));
            crashed.close(); // renewals stop: as if the process died
            long died = System.nanoTime();
            client.close();

            survivor.bot().concurrentGroup("slots", GroupLimits.concurrency(2));
            Execute<Integer, Long> call = survivor.bot().execute("call", ExecuteOptions.groups("slots"),
                    x -> (System.nanoTime() - died) / 1_000_000);
            long waitedMs = call.call(0);
            System.out.println("[shared group] slots of a crashed holder came back after " + waitedMs + " ms (ttl " + ttl.toMillis() + " ms)");
            assertTrue(waitedMs <= ttl.toMillis() + 150, waitedMs + " ms");
            assertTrue(waitedMs >= 200, "it waited for the lease to expire: " + waitedMs + " ms");
        }
    }

    @Test
    void scriptsAreLoadedAgainAfterScriptFlush(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "t4", Duration.ofSeconds(2));
                RedisClient admin = RedisClient.create("127.0.0.1", server.port())) {
            a.bot().concurrentGroup("g", GroupLimits.concurrency(1).perWindow(100, Duration.ofSeconds(1)));
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("g"), x -> x + 1);
            assertEquals(2, call.call(1));
            admin.scriptFlush();
            assertEquals(3, call.call(2)); // NOSCRIPT: loaded again, then run
            assertEquals(0, a.groups().fleetInFlight("g"));
        }
    }

    @Test
    void redisKilledUnderLoadFailsClosedThenWorksAgain(RedisServer ignored) throws Exception {
        try (RedisServer server = new RedisServer().start(); Node a = Node.of(server, "t5", Duration.ofSeconds(2))) {
            // A window wide enough that no start is reserved ahead: every start after the kill would be a new decision.
            a.bot().concurrentGroup("api", GroupLimits.concurrency(3).perWindow(10_000, Duration.ofSeconds(1)));
            AtomicInteger ran = new AtomicInteger();
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("api"), x -> {
                ran.incrementAndGet();
                Thread.sleep(20);
                return x;
            });
            var failures = new ConcurrentLinkedQueue<Throwable>();
            var down = new java.util.concurrent.atomic.AtomicBoolean();
            AtomicInteger ranWhileDown = new AtomicInteger();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                load.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        try {
                            int before = ran.get();
                            call.call(1);
                            if (down.get() && ran.get() > before) {
                                ranWhileDown.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.add(e);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException x) {
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(500);
            int beforeKill = ran.get();
            assertTrue(beforeKill > 10, "ran " + beforeKill + " before the kill");
            server.kill();
            Thread.sleep(100); // attempts that had started before the kill end
            down.set(true);
            int atDown = ran.get();
            Thread.sleep(1_000);
            int duringDown = ran.get() - atDown;
            down.set(false);
            assertEquals(0, duringDown, "no attempt may start while Redis is down");
            assertTrue(!failures.isEmpty(), "calls failed while Redis was down");
            Throwable failure = failures.peek();
            var unavailable = assertInstanceOf(SharedGroupUnavailableException.class, failure);
            assertEquals(List.of("api"), unavailable.groups());
            assertTrue(unavailable.getMessage().startsWith("Redis could not decide for shared group 'api': "), unavailable.getMessage());
            System.out.println("[shared group] while Redis was down: " + failures.size() + " calls failed, 0 ran; e.g. " + unavailable.getMessage());

            server.start();
            int atRestart = ran.get();
            long restarted = System.nanoTime();
            while (ran.get() < atRestart + 20) {
                if (System.nanoTime() - restarted > TimeUnit.SECONDS.toNanos(10)) {
                    fail("the group did not work again after Redis came back: " + (ran.get() - atRestart) + " ran");
                }
                Thread.sleep(10);
            }
            System.out.println("[shared group] after the restart, 20 calls ran within " + (System.nanoTime() - restarted) / 1_000_000 + " ms");
            stop.set(true);
            for (Thread t : load) {
                t.join();
            }
            assertEquals(0, a.groups().fleetInFlight("api"));
        }
    }

    @Test
    void withinOneProcessWaitersAreServedFirstComeFirstServed(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "t6", Duration.ofSeconds(2))) {
            a.bot().concurrentGroup("one", GroupLimits.concurrency(1));
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch holding = new CountDownLatch(1);
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("one"), x -> {
                order.add(x);
                if (x == 0) {
                    holding.countDown();
                }
                Thread.sleep(x == 0 ? 300 : 20);
                return x;
            });
            call.call(-1); // warm: scripts loaded, connections open
            order.clear();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int arg = i;
                callers.add(Thread.ofVirtual().start(() -> {
                    try {
                        call.call(arg);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                if (i == 0) {
                    holding.await();
                }
                Thread.sleep(30); // arrivals 30 ms apart, while 0 holds the slot
            }
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
        }
    }

    @Test
    void anExecuteTakesAllItsSharedGroupsInOneDecision(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "t7", Duration.ofSeconds(2)); Node b = Node.of(server, "t7", Duration.ofSeconds(2))) {
            AtomicInteger both = new AtomicInteger();
            AtomicInteger maxBoth = new AtomicInteger();
            List<Execute<Integer, Integer>> executes = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("first", GroupLimits.concurrency(3));
                node.bot().concurrentGroup("second", GroupLimits.concurrency(2).perWindow(50, Duration.ofSeconds(1)));
                // Listed in the other order: taken in registration order anyway.
                executes.add(node.bot().execute("call", ExecuteOptions.groups("second", "first"), x -> {
                    maxBoth.accumulateAndGet(both.incrementAndGet(), Math::max);
                    Thread.sleep(10);
                    both.decrementAndGet();
                    return x;
                }));
                executes.add(node.bot().execute("first-only", ExecuteOptions.groups("first"), x -> {
                    Thread.sleep(10);
                    return x;
                }));
            }
            Calls.runConcurrently(40, i -> executes.get(i % 4).call(i));
            assertTrue(maxBoth.get() <= 2, "in flight in both groups: " + maxBoth);
            assertEquals(0, a.groups().fleetInFlight("first"));
            assertEquals(0, a.groups().fleetInFlight("second"));
        }
    }

    @Test
    void aWaiterThatIsInterruptedHoldsNothingAfterwards(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "t8", Duration.ofSeconds(2))) {
            a.bot().concurrentGroup("one", GroupLimits.concurrency(1));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("one"), x -> {
                if (x == 0) {
                    holding.countDown();
                    letGo.await();
                }
                return x;
            });
            Thread holder = Thread.ofVirtual().start(() -> {
                try {
                    call.call(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holding.await();
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    call.call(1);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Thread.sleep(200); // queued behind the holder
            assertEquals(1, a.groups().fleetInFlight("one"));
            waiter.interrupt();
            waiter.join();
            assertInstanceOf(InterruptedException.class, failure.get());
            letGo.countDown();
            holder.join();
            assertEquals(0, a.groups().fleetInFlight("one"));
            assertEquals(2, call.call(2)); // the slot is free: nothing leaked
        }
    }

    @Test
    void aReleasePublishesOnlyWhileSomeoneWaits(RedisServer server) throws Exception {
        var messages = new AtomicInteger();
        var subscribed = new CountDownLatch(1);
        var beforeSentinel = new java.util.concurrent.CompletableFuture<Integer>();
        var listener = new redis.clients.jedis.JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                if (message.equals("sentinel")) {
                    beforeSentinel.complete(messages.get()); // Redis delivers in publish order: all earlier came
                } else {
                    messages.incrementAndGet();
                }
            }
        };
        try (Node a = Node.of(server, "t9", Duration.ofSeconds(5)); Node b = Node.of(server, "t9", Duration.ofSeconds(5));
                RedisClient probe = RedisClient.create("127.0.0.1", server.port())) {
            Thread listening = Thread.ofPlatform().start(() -> probe.psubscribe(listener, "t9:group:*:freed"));
            subscribed.await();
            for (Node node : List.of(a, b)) {
                node.bot().concurrentGroup("one", GroupLimits.concurrency(1));
            }
            Execute<Integer, Integer> quick = a.bot().execute("quick", ExecuteOptions.groups("one"), x -> x);
            for (int i = 0; i < 5; i++) {
                quick.call(i); // nobody waits: nothing to tell
            }
            probe.publish("t9:group:one:freed", "sentinel");
            assertEquals(0, beforeSentinel.get(10, TimeUnit.SECONDS), "messages of 5 uncontended releases");
            var running = new CountDownLatch(1);
            Execute<Integer, Integer> slow = a.bot().execute("slow", ExecuteOptions.groups("one"), x -> {
                running.countDown();
                Thread.sleep(200);
                return x;
            });
            Execute<Integer, Long> other = b.bot().execute("other", ExecuteOptions.groups("one"), x -> System.nanoTime());
            Thread holder = Thread.ofVirtual().start(() -> {
                try {
                    slow.call(0);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            running.await();
            long asked = System.nanoTime();
            long startedMs = (other.call(0) - asked) / 1_000_000; // the other process waits for the one slot
            holder.join();
            listener.punsubscribe();
            listening.join();
            assertTrue(messages.get() >= 1, "the release someone waited for was published");
            // Woken by that message, not by the lease expiry (5 s).
            assertTrue(startedMs < 200 + 500, startedMs + " ms");
        }
    }

    @Test
    void aReleaseRedisCannotTakeDoesNotFailTheAttemptThatRan(RedisServer ignored) throws Exception {
        try (RedisServer server = new RedisServer().start(); Node a = Node.of(server, "t10", Duration.ofSeconds(2))) {
            a.bot().concurrentGroup("api", GroupLimits.concurrency(1));
            var running = new CountDownLatch(1);
            var finish = new CountDownLatch(1);
            Execute<Integer, Integer> order = a.bot().execute("order", ExecuteOptions.groups("api"), x -> {
                running.countDown();
                finish.await();
                return x * 10; // the order was placed: its result must reach the caller
            });
            var result = new java.util.concurrent.CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(order.call(4));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            running.await();
            server.kill(); // the release will find no Redis
            finish.countDown();
            assertEquals(40, result.get(30, TimeUnit.SECONDS));
            server.start();
            assertEquals(50, order.call(5)); // Redis back: the group works again
        }
    }
}
