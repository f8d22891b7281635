package dev.exmachina.examples.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.exmachina.http.Quota;
import dev.exmachina.http.RateLimitHeaders;
import dev.exmachina.http.ServerWord;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The exchange weighs its endpoints, says what is left in the IETF draft's headers (read back with
 * exmachina-http), and halves its limit when told: announced at once, enforced a window later. Its
 * time is pinned, so nothing sleeps.
 */
class ExchangeLimitHeadersTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private ServerWord get(ExchangeServer server, HttpClient http, String path) throws Exception {
        var request = HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        ServerWord word = RateLimitHeaders.read(response, NOW);
        assertEquals(List.of(), word.problems(), path);
        return word;
    }

    private static Quota only(ServerWord word) {
        assertEquals(1, word.quotas().size(), word.quotas().toString());
        return word.quotas().getFirst();
    }

    @Test
    void everyAnswerSaysTheLimitAndTheWeightLeftAsTheDraftDoes() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(20, Duration.ofSeconds(1));
        try (var server = ExchangeServer.start(config, now::get); var http = HttpClient.newHttpClient()) {
            var first = only(get(server, http, "/prices/BTC"));
            assertEquals(new Quota("default", "requests", 20L, Duration.ofSeconds(1), 19L, NOW.plusSeconds(1)), first);

            now.addAndGet(SECOND / 4);
            var book = only(get(server, http, "/book/BTC"));      // weighs 5
            assertEquals(14L, book.remaining());
            assertEquals(NOW.plusSeconds(1), book.resetAt(), "the price leaves the window in 0.75 s: 1 s, rounded up");

            var unknown = only(get(server, http, "/prices/DOGE")); // a 404 still counts its weight
            assertEquals(13L, unknown.remaining());
            assertEquals(7, server.stats().weight());
        }
    }

    @Test
    void anOrderBookWeighsFivePricesAndA429SaysNothingIsLeft() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(6, Duration.ofSeconds(1));
        try (var server = ExchangeServer.start(config, now::get); var http = HttpClient.newHttpClient();
                var client = new ExchangeClient(server.baseUri())) {
            Book b = client.book("ETH");
            assertEquals("ETH", b.symbol());
            assertEquals(1, b.ask().compareTo(b.bid()), "the ask is above the bid");
            assertEquals(200, http.send(HttpRequest.newBuilder(server.baseUri().resolve("/prices/ETH")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            var refused = get(server, http, "/prices/ETH");
            assertEquals(429, refused.status());
            assertEquals(0L, only(refused).remaining());
            assertEquals(NOW.plusSeconds(1), refused.retryAfter());
            assertEquals(new ExchangeStats(3, 2, 1, 0, 0, 0, 7, 6, Duration.ofSeconds(1), 7, null), server.stats());
        }
    }

    @Test
    void aHalvedLimitIsAnnouncedAtOnceAndEnforcedOneWindowLater() throws Exception {
        var config = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(10, Duration.ofSeconds(1))
                .halvingAfter(Duration.ofSeconds(5));
        try (var server = ExchangeServer.start(config, now::get); var http = HttpClient.newHttpClient()) {
            assertEquals(10L, only(get(server, http, "/prices/SOL")).limit());

            now.addAndGet(5 * SECOND);                  // announced: the policy says 5, r counts against it
            for (int i = 0; i < 5; i++) get(server, http, "/prices/SOL");
            var sixth = get(server, http, "/prices/SOL");
            assertEquals(200, sixth.status(), "still enforcing 10 for one more window");
            assertEquals(new Quota("default", "requests", 5L, Duration.ofSeconds(1), 0L, NOW.plusSeconds(1)), only(sixth));

            now.addAndGet(SECOND);                      // enforced: those six have left the window
            for (int i = 0; i < 5; i++) assertEquals(200, get(server, http, "/prices/SOL").status());
            assertEquals(429, get(server, http, "/prices/SOL").status());

            ExchangeStats.LimitChange change = server.stats().limitChange();
            assertNotNull(change);
            assertEquals(new ExchangeStats.LimitChange(10, 5, Duration.ofSeconds(5), Duration.ofSeconds(6), 6), change);
        }
    }
}
