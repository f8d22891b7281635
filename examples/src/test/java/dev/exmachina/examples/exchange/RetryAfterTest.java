package dev.exmachina.examples.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The exchange says when to come back (Retry-After on 429 and 503) and the client carries it. */
class RetryAfterTest {

    /** Tests that a 429 carries the window and a 503 one second, as {@link ApiException#retryAfter()}. */
    @Test
    void answers429And503CarryRetryAfter() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        var limited = ExchangeServer.Config.defaults().withUnavailableRate(0).withLimit(1, Duration.ofSeconds(2));
        try (var server = ExchangeServer.start(limited, now::get); var client = new ExchangeClient(server.baseUri())) {
            client.price("BTC");
            var e = assertThrows(ApiException.class, () -> client.price("BTC"));
            assertEquals(429, e.status());
            assertTrue(e.isRateLimited());
            assertEquals(Duration.ofSeconds(2), e.retryAfter());
        }
        var failing = ExchangeServer.Config.defaults().withUnavailableRate(0.999_999);
        try (var server = ExchangeServer.start(failing, now::get); var client = new ExchangeClient(server.baseUri())) {
            var e = assertThrows(ApiException.class, () -> client.price("BTC"));
            assertEquals(503, e.status());
            assertEquals(Duration.ofSeconds(1), e.retryAfter());
        }
    }

    /** Tests that the client reads delay-seconds and HTTP-dates, and nothing from an absent or unreadable header. */
    @Test
    void readsBothFormsOfRetryAfter() {
        assertEquals(Duration.ofSeconds(7), ExchangeClient.retryAfter("7"));
        assertNull(ExchangeClient.retryAfter("-3"), "delay-seconds are never negative");
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        Duration wait = ExchangeClient.retryAfter(inAMinute);
        assertTrue(wait.compareTo(Duration.ofSeconds(55)) > 0 && wait.compareTo(Duration.ofSeconds(61)) <= 0, wait.toString());
        assertNull(ExchangeClient.retryAfter(null));
        assertNull(ExchangeClient.retryAfter("soon"));
    }

    /** Tests that an exchange with added latency still counts every request and keeps the old constructor. */
    @Test
    void latencyIsOptional() {
        var old = new ExchangeServer.Config(5, Duration.ofSeconds(1), 0.1, 42);
        assertEquals(Duration.ZERO, old.maxLatency());
        assertEquals(Duration.ofMillis(200), old.withMaxLatency(Duration.ofMillis(200)).maxLatency());
        assertThrows(IllegalArgumentException.class, () -> old.withMaxLatency(Duration.ofMillis(-1)));
    }
}
