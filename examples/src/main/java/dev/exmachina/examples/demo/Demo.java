package dev.exmachina.examples.demo;

import dev.exmachina.core.Intervals;
import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.examples.exchange.ExchangeServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo: starts the embedded exchange, runs {@link TradingBot} against it for
 * {@code --duration} (15 s by default), then prints the summary. Ctrl-C stops the bot gracefully
 * and still prints it.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(Intervals::parse, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        run(options, System.out);
    }

    /** Runs the demo and prints the summary to {@code out}. */
    static TradingBot.Report run(DemoOptions options, PrintStream out) throws InterruptedException {
        var config = ExchangeServer.Config.defaults().withSeed(options.seed());
        try (var exchange = ExchangeServer.start(config); var client = new ExchangeClient(exchange.baseUri())) {
            var bot = new TradingBot(exchange, client, TradingBot.Plan.demo());
            var printed = new CountDownLatch(1);
            // Ctrl-C: the JVM runs this hook while main is still running; stop the bot, then keep
            // the JVM alive until main has printed the summary.
            Thread onCtrlC = new Thread(() -> {
                try {
                    bot.stop("Ctrl-C", Duration.ofSeconds(15));
                    printed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ctrl-c");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            try {
                TradingBot.Report report = bot.run(options.duration());
                out.println();
                out.print(Summary.render(report, config));
                out.flush();
                return report;
            } finally {
                printed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running, and returns now that the summary is out
                }
            }
        }
    }
}
