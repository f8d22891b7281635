package dev.exmachina.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A redis-server of the test's own, on 127.0.0.1 and a free port, without persistence
 * ({@code --save "" --appendonly no}), in a temporary directory removed afterwards: nothing is left
 * behind. As a JUnit extension it starts one per test class and hands it to test methods.
 */
public final class RedisServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final int port;
    private @Nullable Path dir;
    private @Nullable Process process;

    public RedisServer() {
        this.port = freePort();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port) and waits until it answers PING. */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("exmachina-redis-test");
            }
            Path dir = this.dir;
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server (is it installed?)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
                client.ping();
                return this;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not answer on port " + port, notYet);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Kills the server at once (SIGKILL): what a crash of Redis looks like to clients. */
    public synchronized void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        kill();
        Path dir = this.dir;
        this.dir = null;
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- as a JUnit extension: one server per test class ----

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServer.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("server", new RedisServer().start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisServer server = context.getStore(NS).remove("server", RedisServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NS).get("server", RedisServer.class);
    }

    /** Redis server time in microseconds ({@code TIME}). */
    static long micros(redis.clients.jedis.UnifiedJedis redis) {
        return (Long) redis.eval("local t = redis.call('TIME') return tonumber(t[1]) * 1000000 + tonumber(t[2])");
    }

    /** Starts of a sorted list of instants (µs) that fall in the densest interval of length {@code windowUs}. */
    static int densest(List<Long> sortedMicros, long windowUs) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < sortedMicros.size(); to++) {
            while (sortedMicros.get(to) - sortedMicros.get(from) >= windowUs) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }
}
