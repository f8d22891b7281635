package dev.exmachina.examples.demo;

import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The demo's {@code --fleet N}: N bot processes against the one exchange, sharing its limit
 * through Redis. It starts a redis-server of its own ({@link LocalRedis}) and the exchange in this
 * process, then N JVMs, each a {@link FleetMember} running {@link TradingBot} with its group in
 * Redis. It forwards their output, each line prefixed with the bot's name, waits for them (they stop
 * after {@code --duration}; SIGINT or SIGTERM here stops them gracefully) and prints the fleet's
 * summary ({@link FleetSummary}). Neither Redis nor a bot outlives it, whatever happens.
 */
final class Fleet {
    /** The namespace of the fleet's keys in its Redis. */
    static final String REDIS_PREFIX = "demo";
    /** Beyond --duration: JVM start-up on a busy machine, then the bots' graceful stop. */
    private static final Duration SLACK = Duration.ofSeconds(90);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(15);

    private Fleet() {}

    /**
     * One bot process: its name, exit code, and the result it printed (null if it printed none:
     * it failed, or was stopped before its bot ran).
     */
    record Member(String name, int exitCode, FleetMember.@Nullable Result result) {}

    /**
     * What the fleet did.
     *
     * @param elapsed   from the first bot's start to the last one's end
     * @param exchange  what the exchange observed: the truth about the whole fleet
     * @param redisDir  the redis-server's directory, removed by now
     */
    record Report(Duration elapsed, String stoppedBy, ExchangeStats exchange, List<Member> members, Path redisDir) {
        /** One line per bot that did not end well; empty when all did. */
        List<String> failures() {
            return members.stream()
                    .filter(m -> m.exitCode() != 0 || m.result() == null)
                    .map(m -> m.name() + " exited with " + m.exitCode()
                            + (m.result() == null ? " without its result" : "") + ": see its lines above")
                    .toList();
        }
    }

    /**
     * Runs the fleet and prints its summary to {@code out}. With {@code stoppedBy} given, SIGINT and
     * SIGTERM stop the bots gracefully, and the signal that did is left in {@code stoppedBy}.
     *
     * @throws IOException if redis-server cannot be started (the message says how to install it)
     */
    static Report run(DemoOptions options, PrintStream out, @Nullable AtomicReference<Demo.Stop> stoppedBy)
            throws IOException, InterruptedException {
        List<Process> bots = new CopyOnWriteArrayList<>();
        var stop = stoppedBy == null ? new AtomicReference<Demo.Stop>() : stoppedBy;
        // Handlers first: a signal while Redis or the bots start must still stop them all.
        List<Runnable> restore = stoppedBy == null ? List.of()
                : Demo.onSignals(stoppedBy, s -> bots.forEach(Fleet::terminate));
        var config = Demo.fleetExchangeConfig(options.seed());
        try (var redis = LocalRedis.start(); var exchange = ExchangeServer.start(config)) {
            out.println("fleet: redis-server on " + redis.address() + ", exchange on " + exchange.baseUri() + "; "
                    + options.fleet() + " bot processes for " + TradingBot.format(options.duration())
                    + ", sharing the group \"exchange\" (" + config.limit() + " per " + TradingBot.format(config.window())
                    + ") through Redis");
            List<Member> members = new ArrayList<>();
            List<Thread> forwarders = new ArrayList<>();
            List<AtomicReference<FleetMember.@Nullable Result>> results = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int i = 1; i <= options.fleet() && stop.get() == null; i++) {
                    String name = "bot-" + i;
                    Process bot = new ProcessBuilder(command(name, exchange.baseUri().toString(), redis.address(), options))
                            .redirectErrorStream(true).start();
                    bots.add(bot);
                    if (stop.get() != null) terminate(bot); // the signal came while it started
                    var result = new AtomicReference<FleetMember.@Nullable Result>();
                    results.add(result);
                    forwarders.add(Thread.ofVirtual().name("forward-" + name).start(() -> forward(bot, name, out, result)));
                }
                long deadline = start + options.duration().plus(SLACK).toNanos();
                for (int i = 0; i < bots.size(); i++) {
                    Process bot = bots.get(i);
                    if (!bot.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                        out.println("fleet: bot-" + (i + 1) + " did not stop within " + TradingBot.format(options.duration().plus(SLACK))
                                + "; stopping it");
                        end(bot);
                    }
                    forwarders.get(i).join();
                    members.add(new Member("bot-" + (i + 1), bot.exitValue(), results.get(i).get()));
                }
            } finally {
                bots.forEach(Fleet::end); // on failure too: no bot outlives the fleet
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Demo.Stop signal = stop.get();
            var report = new Report(elapsed, signal == null ? "--duration " + TradingBot.format(options.duration()) + " elapsed"
                    : signal.reason(), exchange.stats(), List.copyOf(members), redis.dir());
            out.println();
            out.print(FleetSummary.render(report, config));
            out.flush();
            return report;
        } finally {
            restore.forEach(Runnable::run);
        }
    }

    /** The JVM of one bot: this JVM's java, its module path (or class path, in tests), preview on. */
    static List<String> command(String name, String exchange, String redis, DemoOptions options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Preview on, as the demo runs (core's StructuredTaskScope). C1 alone and the serial collector:
        // N JVMs share the machine with the exchange and Redis, and live seconds. The bots log to
        // their stdout, which this process forwards, whatever a tinylog.properties on the path says.
        command.addAll(List.of("--enable-preview", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dtinylog.writer=console"));
        Module module = Fleet.class.getModule();
        String modulePath = System.getProperty("jdk.module.path");
        if (module.isNamed() && modulePath != null) {
            command.addAll(List.of("--module-path", modulePath, "--module", module.getName() + "/" + FleetMember.class.getName()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FleetMember.class.getName()));
        }
        command.addAll(List.of("--exchange", exchange, "--redis", redis, "--name", name,
                "--duration", options.duration().toMillis() + "ms", "--seed", Long.toString(options.seed())));
        return command;
    }

    /** Copies the bot's output to {@code out}, each line prefixed with its name; keeps its result line. */
    private static void forward(Process bot, String name, PrintStream out, AtomicReference<FleetMember.@Nullable Result> result) {
        try (var lines = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                FleetMember.Result r = FleetMember.Result.parse(line);
                if (r != null) {
                    result.set(r);
                } else {
                    out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            out.println("[" + name + "] (its output was cut: " + e.getMessage() + ")");
        }
    }

    /**
     * Asks a bot to stop gracefully: SIGTERM, through its handle. {@code Process.destroy()} sends the
     * same signal but also closes the pipe, and the bot's last lines, its result among them, would be lost.
     */
    private static void terminate(Process bot) {
        bot.toHandle().destroy();
    }

    /** Stops a bot that is still running: SIGTERM (a graceful stop), then SIGKILL if it lingers. */
    private static void end(Process bot) {
        if (!bot.isAlive()) return;
        terminate(bot);
        try {
            if (!bot.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                bot.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            bot.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
