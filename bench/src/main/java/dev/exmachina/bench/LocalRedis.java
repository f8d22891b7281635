package dev.exmachina.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.RedisClient;

/**
 * A redis-server of the benchmark's own ({@code redis-server} on the PATH): loopback only, a free
 * port, no persistence ({@code --save "" --appendonly no}), its working directory a temporary one.
 * {@link #close()} stops the process and removes the directory; a shutdown hook does the same if the
 * JVM ends first (Ctrl-C, an uncaught error). Only a {@code kill -9} of this JVM leaves it running.
 */
final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread hook;

    private LocalRedis(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.hook = new Thread(this::stop, "local-redis-cleanup");
    }

    /** Whether an executable {@code redis-server} is on the PATH. */
    static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "redis-server"))) return true;
        }
        return false;
    }

    /** Starts the server and waits until it answers PING (at most 10 s). */
    static LocalRedis start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("exmachina-bench-redis");
        Process process;
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            delete(dir);
            throw new IOException("could not start redis-server (is it on the PATH?)", e);
        }
        var redis = new LocalRedis(process, dir, port);
        Runtime.getRuntime().addShutdownHook(redis.hook);
        try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    client.ping();
                    return redis;
                } catch (RuntimeException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                        throw new IOException("redis-server did not answer on port " + port + ": " + log, notYet);
                    }
                    Thread.sleep(20);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or has run, this same stop
        }
        stop();
    }

    private synchronized void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // gone already, or a temporary directory the OS cleans
        }
    }
}
