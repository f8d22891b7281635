package dev.exmachina.examples.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExchangeServerTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** The server's time is pinned, so the rate limit is tested without a single sleep. */
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private ExchangeServer start(ExchangeServer.Config config) {
        return ExchangeServer.start(config, now::get);
    }

    private static int status(ExchangeClient client, String symbol) throws Exception {
        try {
            client.price(symbol);
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @Test
    void acceptsLimitRequestsPerSlidingWindowAndAnswers429Beyond() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0);
        try (var server = start(config); var client = new ExchangeClient(server.baseUri())) {
            for (int i = 0; i < 5; i++) assertEquals(200, status(client, "BTC"));
            assertEquals(429, status(client, "BTC"));

            now.addAndGet(SECOND - 1);   // the first five are still inside the window
            assertEquals(429, status(client, "ETH"));

            now.addAndGet(1);            // exactly one window later: they have left it
            assertEquals(200, status(client, "ETH"));

            var stats = server.stats();
            assertEquals(8, stats.requests());
            assertEquals(6, stats.ok());
            assertEquals(2, stats.rateLimited());
            assertEquals(0, stats.unavailable());
            // Arrivals, not acceptances: six at once plus one just before the window closed.
            assertEquals(7, stats.peakInWindow());
            assertEquals(5, stats.limit());
        }
    }

    @Test
    void rejectedRequestsDoNotHoldAPlaceInTheWindow() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(2, Duration.ofSeconds(1));
        try (var server = start(config); var client = new ExchangeClient(server.baseUri())) {
            assertEquals(200, status(client, "BTC"));
            now.addAndGet(SECOND / 2);
            assertEquals(200, status(client, "BTC"));
            assertEquals(429, status(client, "BTC"));
            now.addAndGet(SECOND / 2);   // the first has left; the 429 never counted
            assertEquals(200, status(client, "BTC"));
            assertEquals(429, status(client, "BTC"));
            assertEquals(2, server.stats().rateLimited());
        }
    }

    @Test
    void failsASeededShareWith503AndTheSameSeedRepeatsIt() throws Exception {
        var config = new ExchangeServer.Config(1_000, Duration.ofSeconds(1), 0.3, 7);
        List<Integer> first = statuses(config);
        assertEquals(first, statuses(config));
        assertNotEquals(first, statuses(config.withSeed(8)));

        long failures = first.stream().filter(s -> s == 503).count();
        assertTrue(failures > 0 && failures < first.size(), "some but not all 503: " + first);
        assertTrue(first.stream().allMatch(s -> s == 200 || s == 503), first::toString);
    }

    private List<Integer> statuses(ExchangeServer.Config config) throws Exception {
        var statuses = new ArrayList<Integer>();
        try (var server = start(config); var client = new ExchangeClient(server.baseUri())) {
            for (int i = 0; i < 50; i++) statuses.add(status(client, "SOL"));
            var stats = server.stats();
            assertEquals(statuses.stream().filter(s -> s == 503).count(), stats.unavailable());
            assertEquals(stats.unavailable(), client.unavailable());
            assertEquals(50, client.sent());
        }
        return statuses;
    }

    @Test
    void quotesASeededRandomWalkPerSymbol() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(100, Duration.ofSeconds(1));
        List<BigDecimal> first = quotes(config);
        assertEquals(first, quotes(config));
        for (int i = 1; i < first.size(); i++) {
            BigDecimal move = first.get(i).subtract(first.get(i - 1)).abs();
            assertTrue(move.compareTo(first.get(i - 1).multiply(new BigDecimal("0.005"))) <= 0, "moves at most 0.5 %");
        }
    }

    private List<BigDecimal> quotes(ExchangeServer.Config config) throws Exception {
        try (var server = start(config); var client = new ExchangeClient(server.baseUri())) {
            var prices = new ArrayList<BigDecimal>();
            for (int i = 0; i < 10; i++) {
                Quote q = client.price("ETH");
                assertEquals("ETH", q.symbol());
                prices.add(q.price());
            }
            return prices;
        }
    }

    @Test
    void placesOrdersAndAnswersBadOnesWith4xx() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(100, Duration.ofSeconds(1));
        try (var server = start(config); var client = new ExchangeClient(server.baseUri())) {
            Fill fill = client.order("BTC", "buy", new BigDecimal("0.01"));
            assertEquals(new Fill(1, "BTC", "buy", new BigDecimal("0.01"), new BigDecimal("64000")), fill);
            assertEquals(2, client.order("XRP", "sell", BigDecimal.TEN).orderId());

            assertEquals(400, assertThrows(ApiException.class, () -> client.order("DOGE", "buy", BigDecimal.ONE)).status());
            assertEquals(400, assertThrows(ApiException.class, () -> client.order("BTC", "hold", BigDecimal.ONE)).status());
            assertEquals(400, assertThrows(ApiException.class, () -> client.order("BTC", "buy", BigDecimal.ZERO)).status());
            var unknown = assertThrows(ApiException.class, () -> client.price("DOGE"));
            assertEquals(404, unknown.status());
            assertTrue(!unknown.isServerError());

            try (var raw = HttpClient.newHttpClient()) {
                var delete = HttpRequest.newBuilder(server.baseUri().resolve("/orders")).DELETE().build();
                assertEquals(405, raw.send(delete, HttpResponse.BodyHandlers.discarding()).statusCode());
            }

            var stats = server.stats();
            assertEquals(7, stats.requests());
            assertEquals(2, stats.ok());
            assertEquals(5, stats.clientErrors());
            assertEquals(2, stats.ordersPlaced());
        }
    }

    @Test
    void listensOnLoopbackOnly() {
        try (var server = ExchangeServer.start(ExchangeServer.Config.defaults())) {
            assertEquals("127.0.0.1", server.baseUri().getHost());
            assertTrue(server.baseUri().getPort() > 0);
        }
    }

    @Test
    void rejectsABadConfigAtOnce() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ExchangeServer.Config(0, Duration.ofSeconds(1), 0, 1));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExchangeServer.Config(5, Duration.ZERO, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExchangeServer.Config(5, Duration.ofSeconds(1), 1.0, 1));
    }
}
