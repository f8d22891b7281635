package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo bot at the exchange's exact limit (5 per 1 s, its group anchored at completion) against
 * an exchange that holds every request 0 to 200 ms before counting it, on the real clock. Counts
 * only, never timings. {@code -Dlatency.run.seconds=60} runs it for a minute and prints the summary.
 */
@Tag("realtime") // seconds of real time over real HTTP: in -Pfull (CI), not the quick build
class ExactLimitWithLatencyTest {

    /**
     * Tests that a group anchored at completion keeps the exchange from refusing a single request
     * however late requests arrive: 0 answers 429, and at most 5 arrivals in any sliding second.
     */
    @Test
    void theExchangeNeverRefusesARequestWhateverTheLatency() throws Exception {
        long seconds = Long.getLong("latency.run.seconds", 5);
        var config = ExchangeServer.Config.defaults().withMaxLatency(Duration.ofMillis(200));
        TradingBot.Report report;
        try (var exchange = ExchangeServer.start(config); var client = new ExchangeClient(exchange.baseUri())) {
            report = new TradingBot(exchange, client, TradingBot.Plan.demo()).run(Duration.ofSeconds(seconds));
        }
        if (seconds > 5) {
            System.out.print(Summary.render(report, config));
        }
        ExchangeStats x = report.exchange();
        assertEquals(0, x.rateLimited(), "429s");
        assertTrue(x.peakInWindow() <= x.limit(), "peak " + x.peakInWindow() + " > limit " + x.limit());
        assertEquals(0, report.stats().failed());
    }
}
