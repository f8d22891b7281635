package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.examples.exchange.ExchangeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo's scenario end to end, over real HTTP against the embedded exchange. It takes a few
 * seconds of real time (about 13 s), so it is tagged realtime: it runs in the full build
 * ({@code -Pfull}, what CI runs), not in the quick {@code ./mvnw verify}. The assertions are on
 * counts only, never on timings.
 */
@Tag("realtime")
class TradingBotTest {
    /** Seed 10 draws a 503 for the exchange's very first request: the startup check's quote. */
    private static final ExchangeServer.Config API = ExchangeServer.Config.defaults().withSeed(10);

    /** Counted, so the bot ends by itself: 5 polls, momentum from the 2nd to the 4th, 3 DCA buys. */
    private static final TradingBot.Plan PLAN = new TradingBot.Plan(
            Duration.ofMillis(500), 5L, 2, 4, Duration.ofMillis(300), 3, Duration.ofMillis(500));

    @Test
    void staysUnderTheRateLimitRetriesEvery503AndRunsEachEmitAsPlanned() throws Exception {
        TradingBot.Report r;
        try (var exchange = ExchangeServer.start(API); var client = new ExchangeClient(exchange.baseUri())) {
            r = new TradingBot(exchange, client, PLAN).run(null);
        }
        var x = r.exchange();

        assertEquals("all emits finished", r.stoppedBy());
        // The point of the concurrent group: the exchange never had to refuse a request.
        assertEquals(0, x.rateLimited(), "429s");
        assertTrue(x.peakInWindow() <= x.limit(), "peak " + x.peakInWindow() + " > limit " + x.limit());
        assertEquals(x.requests(), r.requestsSent());

        // Every 503 was retried, and every call got through in the end.
        assertTrue(x.unavailable() >= 1, "the seed guarantees at least one 503");
        assertEquals(x.unavailable(), r.unavailableSeen());
        assertEquals(x.unavailable(), r.retries(), "one retry per 503");
        assertEquals(0, r.failed());
        assertTrue(r.recovered() >= 1 && r.recovered() <= r.retries(), "recovered " + r.recovered());

        // The unlisted symbol: one 404, asked once, never retried.
        assertEquals(1, r.rejected());
        assertEquals(1, x.clientErrors());

        var prices = r.emits().get("prices");
        assertEquals(new Tally.EmitCount(5, 5 * TradingBot.SYMBOLS.size() + 1), prices);
        assertEquals(new Tally.EmitCount(3, 3), r.emits().get("dca"));
        var momentum = r.emits().get("momentum");
        assertTrue(momentum.iterations() >= 1, "momentum was started by prices: " + momentum);
        assertTrue(momentum.executes() <= momentum.iterations(), "at most one order per iteration: " + momentum);
        assertEquals(1, r.startupCalls());

        // Every request accounted for: startup, quotes, orders, plus one per retry.
        long calls = r.startupCalls() + prices.executes() + momentum.executes() + 3;
        assertEquals(calls + r.retries(), r.requestsSent());
        assertEquals(3 + momentum.executes(), x.ordersPlaced());
    }

    @Test
    void theDemoStopsAfterItsDurationAndPrintsTheSummary() throws Exception {
        var out = new ByteArrayOutputStream();
        var options = new DemoOptions(Duration.ofSeconds(3), 42, false);
        TradingBot.Report r = Demo.run(options, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals("--duration 3s elapsed", r.stoppedBy());
        assertEquals(0, r.exchange().rateLimited());
        assertEquals(0, r.failed());
        assertEquals(r.unavailableSeen(), r.retries());
        String summary = out.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("stopped because: --duration 3s elapsed"), summary);
        assertTrue(summary.matches("(?s).*\\| rate-limited \\(HTTP 429\\) +\\| +0 \\|.*"), summary);
        assertTrue(summary.contains("| requests sent "), summary);
    }

    @Test
    void aStopFromAnotherThreadEndsARunThatWouldOtherwiseGoOnForever() throws Exception {
        try (var exchange = ExchangeServer.start(API); var client = new ExchangeClient(exchange.baseUri())) {
            var plan = new TradingBot.Plan(Duration.ofMillis(200), null, 2, 4, Duration.ofMillis(200), 1_000, Duration.ofMillis(200));
            var bot = new TradingBot(exchange, client, plan);
            // As Ctrl-C does: stop() from another thread, here as early as possible, so it may
            // well come before run() has started the emits.
            var stopped = new AtomicBoolean();
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    stopped.set(bot.stop("Ctrl-C", Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            TradingBot.Report r = bot.run(null);   // "prices" runs forever: only the stop ends this
            stopper.join();
            assertTrue(stopped.get(), "stop() saw run() return");
            assertEquals("Ctrl-C", r.stoppedBy());
            assertEquals(0, r.failed());
            assertTrue(r.emits().get("dca").iterations() < 1_000);
        }
    }
}
