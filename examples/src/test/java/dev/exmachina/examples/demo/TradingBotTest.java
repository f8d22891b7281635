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
    /**
     * The demo's exchange (a weight of 20 per second), halving its limit after 1.5 s. Seed 10 draws a
     * 503 for the exchange's very first request: the startup check's quote.
     */
    private static final ExchangeServer.Config API = Demo.exchangeConfig(10).halvingAfter(Duration.ofMillis(1500));

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
        var s = r.stats();

        assertEquals("all emits finished", r.stoppedBy());
        // The point of the concurrent group: the exchange never had to refuse a request.
        assertEquals(0, x.rateLimited(), "429s");
        assertTrue(x.peakInWindow() <= x.limit(), "peak " + x.peakInWindow() + " > limit " + x.limit());

        // The exchange halved its limit; the bot followed its RateLimit-Policy, and kept under the new one.
        assertEquals(10, x.limitChange().to());
        assertTrue(x.limitChange().peakAfter() <= 10, "peak after the change " + x.limitChange().peakAfter());
        assertEquals(20, s.limitChanges().getFirst().from().callsPerWindow());
        assertEquals(10, s.limitChanges().getLast().to().callsPerWindow());
        // Weights: what the bot's attempts weigh is what the exchange counted.
        long weight = 0;
        for (var e : TradingBot.WEIGHTS.entrySet()) weight += e.getValue() * s.attemptsByExecute().getOrDefault(e.getKey(), 0L);
        assertEquals(x.weight(), weight);
        long books = s.attemptsByExecute().get("book");
        assertTrue(books >= 5 && books <= 5 + s.retries(), books + " book attempts: one per poll, plus retries");
        assertEquals(x.requests(), r.requestsSent());
        assertEquals(r.requestsSent(), s.attempts(), "the listener saw one attempt per request");
        assertEquals(0, s.cancelled());
        assertTrue(s.p50().compareTo(s.p99()) <= 0, s.p50() + " > " + s.p99());

        // Every 503 was retried, and every call got through in the end.
        assertTrue(x.unavailable() >= 1, "the seed guarantees at least one 503");
        assertEquals(x.unavailable(), r.unavailableSeen());
        assertEquals(x.unavailable(), s.retries(), "one retry per 503");
        assertEquals(s.retries(), s.retriesAfterRetryAfter(), "every 503 says Retry-After, and the rule waits it");
        assertEquals(java.util.Set.of(Duration.ofSeconds(1)), s.retryAfterWaits());
        assertEquals(0, s.failed());
        assertTrue(s.recovered() >= 1 && s.recovered() <= s.retries(), "recovered " + s.recovered());

        // The unlisted symbol: one 404, asked once, never retried.
        assertEquals(1, s.rejected());
        assertEquals(1, x.clientErrors());

        var prices = s.emits().get("prices");
        assertEquals(new DemoStats.EmitCount(5, 5 * (TradingBot.SYMBOLS.size() + 1) + 1), prices);
        assertEquals(new DemoStats.EmitCount(3, 3), s.emits().get("dca"));
        var momentum = s.emits().get("momentum");
        assertTrue(momentum.iterations() >= 1, "momentum was started by prices: " + momentum);
        assertTrue(momentum.calls() <= momentum.iterations(), "at most one order per iteration: " + momentum);
        assertEquals(1, s.startupCalls());

        // Every request accounted for: startup, quotes, orders, plus one per retry; the calls the
        // bot counted are the calls the listener saw begin.
        long calls = s.startupCalls() + prices.calls() + momentum.calls() + 3;
        assertEquals(calls, s.calls());
        assertEquals(calls + s.retries(), r.requestsSent());
        assertEquals(3 + momentum.calls(), x.ordersPlaced());
    }

    @Test
    void theDemoStopsAfterItsDurationAndPrintsTheSummary() throws Exception {
        var out = new ByteArrayOutputStream();
        var options = new DemoOptions(Duration.ofSeconds(3), 42, false);
        TradingBot.Report r = Demo.run(options, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals("--duration 3s elapsed", r.stoppedBy());
        assertEquals(0, r.exchange().rateLimited());
        assertEquals(0, r.stats().failed());
        assertEquals(r.unavailableSeen(), r.stats().retries());
        String summary = out.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("stopped because: --duration 3s elapsed"), summary);
        assertTrue(summary.matches("(?s).*\\| rate-limited \\(HTTP 429\\) +\\| +0 \\|.*"), summary);
        assertTrue(summary.contains("| requests sent "), summary);
        assertTrue(summary.matches("(?s).*\\| attempt time p99 +\\| +[0-9.]+m?s \\|.*"), summary);
        assertTrue(summary.contains("| longest group wait "), summary);
        assertTrue(summary.matches("(?s).*\\| request weight sent +\\| +[0-9]+ \\| order 1 x [0-9]+, quote 1 x [0-9]+, book 5 x [0-9]+;.*"), summary);
        assertTrue(summary.matches("(?s).*\\| limit change followed +\\| +20 -> 10 \\|.*"), summary);
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
            assertEquals(0, r.stats().failed());
            assertTrue(r.stats().emits().get("dca").iterations() < 1_000);
        }
    }
}
