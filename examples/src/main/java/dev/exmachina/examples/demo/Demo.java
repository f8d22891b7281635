package dev.exmachina.examples.demo;

import dev.exmachina.core.Intervals;
import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.examples.exchange.ExchangeServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The demo: starts the embedded exchange, runs {@link TradingBot} against it for
 * {@code --duration} (15 s by default), then prints the summary. SIGINT (Ctrl-C) or SIGTERM stops
 * the bot gracefully: the summary is still printed, naming the signal, and the process then exits
 * with the shell's code for that signal (130, 143). A bad option prints one line and exits with 2.
 * With {@code --fleet N}, N bot processes share the exchange's limit instead ({@link Fleet}); if
 * one of them fails, the demo exits with 1.
 */
public final class Demo {
    /** The exit code of a usage error. */
    static final int USAGE_ERROR = 2;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(Intervals::parse, args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage() + " (--help for the options)");
            System.exit(USAGE_ERROR);
            return;
        }
        if (options.help()) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        var signal = new AtomicReference<Stop>();
        if (options.fleet() > 0) {
            Fleet.Report report;
            try {
                report = Fleet.run(options, System.out, signal);
            } catch (IOException e) {
                System.err.println("demo: " + e.getMessage());
                System.exit(1);
                return;
            }
            if (signal.get() == null && !report.failures().isEmpty()) {
                System.err.println("demo: " + String.join("; ", report.failures()));
                System.exit(1);
            }
        } else {
            run(options, System.out, signal);
        }
        Stop stop = signal.get();
        if (stop != null) {
            System.exit(stop.exitCode());
        }
    }

    /** Runs the demo and prints the summary to {@code out}; no signal handling. */
    static TradingBot.Report run(DemoOptions options, PrintStream out) throws InterruptedException {
        return run(options, out, null);
    }

    /**
     * Runs the demo and prints the summary to {@code out}. With {@code stoppedBy} given, SIGINT and
     * SIGTERM stop the bot gracefully, and the signal that did is left in {@code stoppedBy}.
     */
    static TradingBot.Report run(DemoOptions options, PrintStream out, AtomicReference<Stop> stoppedBy)
            throws InterruptedException {
        // Halfway through, the exchange halves its limit: the bot follows what its headers say.
        var config = exchangeConfig(options.seed()).halvingAfter(options.duration().dividedBy(2));
        try (var exchange = ExchangeServer.start(config); var client = new ExchangeClient(exchange.baseUri())) {
            var bot = new TradingBot(exchange, client, TradingBot.Plan.demo());
            List<Runnable> restore = stoppedBy == null ? List.of() : stopOnSignals(bot, stoppedBy);
            try {
                TradingBot.Report report = bot.run(options.duration());
                out.println();
                out.print(Summary.render(report, config));
                out.flush();
                return report;
            } finally {
                restore.forEach(Runnable::run);
            }
        }
    }

    /** The weight the demo's exchange accepts per sliding second (a price weighs 1, an order book 5). */
    static final int LIMIT = 20;

    /**
     * The exchange's rules for a seed, as the demo's bot alone meets them: a weight of {@value #LIMIT}
     * per sliding second, 10 % of requests 503.
     */
    static ExchangeServer.Config exchangeConfig(long seed) {
        return ExchangeServer.Config.defaults().withLimit(LIMIT, Duration.ofSeconds(1)).withSeed(seed);
    }

    /**
     * The exchange's rules for a fleet, whose bots size their group by them: as for one bot, a weight of
     * {@value #LIMIT} per sliding second (an order book weighs 5), 10 % of requests 503. The fleet's bots
     * together ask for more, so the shared group is what holds them under it.
     */
    static ExchangeServer.Config fleetExchangeConfig(long seed) {
        return exchangeConfig(seed);
    }

    /** A signal that stops the demo: its name in the summary, and the exit code a shell expects. */
    record Stop(String signal, String reason, int exitCode) {}

    /** What a signal does: stop the bot, or a fleet's bots. */
    interface OnStop {
        void stop(Stop stop) throws InterruptedException;
    }

    /** {@link #onSignals} that stops {@code bot} gracefully, waiting up to 15 s for it. */
    static List<Runnable> stopOnSignals(TradingBot bot, AtomicReference<Stop> stoppedBy) {
        return onSignals(stoppedBy, stop -> bot.stop(stop.reason(), Duration.ofSeconds(15)));
    }

    /**
     * Replaces the JVM's handlers of SIGINT and SIGTERM (which would start the JVM's shutdown while
     * main still prints) by {@code onStop}; returns what puts the old handlers back. The first
     * signal stops; a later one is only acknowledged, the stop being under way.
     */
    static List<Runnable> onSignals(AtomicReference<Stop> stoppedBy, OnStop onStop) {
        List<Runnable> restore = new ArrayList<>();
        for (var stop : List.of(new Stop("INT", "SIGINT (Ctrl-C)", 130), new Stop("TERM", "SIGTERM", 143))) {
            String name = stop.signal();
            SignalHandler handler = signal -> {
                if (!stoppedBy.compareAndSet(null, stop)) {
                    System.err.println("demo: " + stop.reason() + ": already stopping, the summary follows");
                    return;
                }
                try {
                    onStop.stop(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            try {
                SignalHandler previous = Signal.handle(new Signal(name), handler);
                restore.add(() -> Signal.handle(new Signal(name), previous));
            } catch (IllegalArgumentException unsupported) {
                // this platform has no such signal, or the JVM was told not to handle it (-Xrs)
            }
        }
        return restore;
    }
}
