package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.core.Event;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Two applications (two contexts in this JVM, each with its own Redis client) share a group and a
 * singleton emit through a redis-server of the test's own: in real time, so tagged realtime (run by
 * {@code -Pfull}). What is asserted holds whatever the timing: never two calls of the group at once
 * across both, and the singleton emit in one application only.
 */
@Tag("realtime")
class SharedThroughRedisTest {

    private static Process server;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("exmachina-spring-redis");
        server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
                client.ping();
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not answer on port " + port, notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        server.destroyForcibly().waitFor();
    }

    /** What both applications record into. */
    static final class Fleet {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> leaders = new CopyOnWriteArrayList<>();
    }

    /** One application's bot. */
    static final class Member {
        final Fleet fleet;
        final String id;

        Member(Fleet fleet, String id) {
            this.fleet = fleet;
            this.id = id;
        }

        @Execute(name = "call", groups = "exchange")
        void call() throws InterruptedException {
            fleet.mostInside.accumulateAndGet(fleet.inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
                fleet.calls.add(id);
            } finally {
                fleet.inside.decrementAndGet();
            }
        }

        @Emit(name = "caller", every = "5ms")
        void caller(Event event) throws Exception {
            event.execute("call", null).join();
        }

        @Emit(name = "leader", every = "50ms", singleton = true)
        void leader() {
            fleet.leaders.add(id);
        }
    }

    private ApplicationContextRunner member(Fleet fleet, String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class, MachinaRedisAutoConfiguration.class))
                .withPropertyValues("exmachina.groups.exchange.concurrency=1", "exmachina.redis.prefix=spring-test",
                        "exmachina.grace-period=2s")
                .withBean(UnifiedJedis.class, () -> RedisClient.create("127.0.0.1", port))
                .withBean(Member.class, () -> new Member(fleet, id));
    }

    @Test
    void twoApplicationsShareTheGroupAndRunTheSingletonEmitInOneOfThem() {
        Fleet fleet = new Fleet();
        member(fleet, "one").run(one -> member(fleet, "two").run(two -> {
            assertThat(one).hasNotFailed();
            assertThat(two).hasNotFailed();
            Thread.sleep(1500);
        }));

        assertThat(fleet.mostInside).as("calls of the group at once, across both applications").hasValue(1);
        assertThat(fleet.calls).as("both made calls").contains("one", "two");
        assertThat(fleet.leaders).as("the singleton's iterations").isNotEmpty();
        assertThat(fleet.leaders.stream().distinct().count()).as("applications that ran the singleton").isEqualTo(1);
    }
}
