package dev.exmachina.examples.demo;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server of the fleet's own: the one on the PATH, on 127.0.0.1 and a free port, without
 * persistence ({@code --save "" --appendonly no}), in a temporary directory. {@link #close()} stops
 * it and removes the directory, so nothing is left behind.
 *
 * <p>It runs in a session of its own ({@code setsid}, where there is one): a Ctrl-C signals the
 * terminal's whole process group, and redis-server exits at once on SIGINT, while the bots, which
 * stop gracefully, still need it for their last calls. The fleet stops it when they are done.
 */
final class LocalRedis implements AutoCloseable {
    static final String INSTALL = "install redis-server (apt-get install redis-server)";
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);

    private final Process process;
    private final Path dir;
    private final int port;

    private LocalRedis(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts {@code redis-server} and waits until it answers PING. */
    static LocalRedis start() throws IOException, InterruptedException {
        return start("redis-server");
    }

    /** As {@link #start()}, with the server's executable named: tests name one that is not there. */
    static LocalRedis start(String executable) throws IOException, InterruptedException {
        Path server = onPath(executable)
                .orElseThrow(() -> new IOException(executable + " is not on the PATH, which the fleet needs: " + INSTALL));
        List<String> command = new ArrayList<>();
        onPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
        Path dir = Files.createTempDirectory("exmachina-demo-fleet-");
        int port = freePort();
        command.addAll(List.of(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            delete(dir);
            throw new IOException("cannot run " + server + " (" + e.getMessage() + "): " + INSTALL, e);
        }
        var redis = new LocalRedis(process, dir, port);
        try {
            redis.awaitReady();
            return redis;
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /**
     * Retries PING until the server answers, for a bounded time: it accepts connections a few
     * milliseconds after it started. A server that exited (a port taken meanwhile) fails at once,
     * with its log.
     */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " before it answered on "
                        + address() + ": " + log());
            }
            if (answersPing()) return;
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not answer on " + address() + " within " + READY_WITHIN.toSeconds()
                        + " s: " + log());
            }
            Thread.sleep(20);
        }
    }

    private boolean answersPing() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log")).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL if it lingers) and removes its directory. */
    @Override
    public void close() {
        boolean interrupted = false;
        process.destroy();
        try {
            if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        delete(dir);
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The executable {@code name} in a directory of the PATH, as a shell would find it. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove redis-server's directory " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        // Another process may take the port before redis-server binds it: then the server exits,
        // and awaitReady says so with the server's log.
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
