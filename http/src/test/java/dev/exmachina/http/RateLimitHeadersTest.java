package dev.exmachina.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each header form {@link RateLimitHeaders} understands, on values copied from the draft and the
 * APIs' documentation, and what a malformed value gives: a problem line, never an exception.
 */
class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    private static ServerWord read(int status, String... nameValue) {
        var map = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.computeIfAbsent(nameValue[i], k -> new java.util.ArrayList<>()).add(nameValue[i + 1]);
        }
        return RateLimitHeaders.read(map, status, NOW);
    }

    private static Quota q(String name, String unit, Long limit, Duration window, Long remaining, Instant resetAt) {
        return new Quota(name, unit, limit, window, remaining, resetAt);
    }

    // ---- the IETF draft (08 to 11)

    @Test
    void theDraftsServiceLimitIsMatchedToItsPolicyByName() {
        var word = read(200, "RateLimit-Policy", "\"default\";q=100;w=60", "RateLimit", "\"default\";r=50;t=30");
        assertEquals(List.of(q("default", "requests", 100L, Duration.ofSeconds(60), 50L, NOW.plusSeconds(30))), word.quotas());
        assertEquals(List.of(), word.problems());
    }

    @Test
    void severalPoliciesInOneListOrOnSeveralLinesEachGiveAQuota() {
        var word = read(200,
                "RateLimit-Policy", "\"burst\";q=100;w=60,\"daily\";q=1000;w=86400",
                "RateLimit", "\"burst\";r=0;t=42",
                "RateLimit", "\"daily\";r=512;t=30000");
        assertEquals(List.of(
                q("burst", "requests", 100L, Duration.ofSeconds(60), 0L, NOW.plusSeconds(42)),
                q("daily", "requests", 1000L, Duration.ofDays(1), 512L, NOW.plusSeconds(30000))), word.quotas());
        assertTrue(word.quota("burst").orElseThrow().exhausted());
        assertFalse(word.quota("daily").orElseThrow().exhausted());
    }

    @Test
    void aPolicyAloneGivesItsQuotaWithoutRemainingAndPartitionKeysAndUnitsAreRead() {
        var word = read(200, "RateLimit-Policy",
                "\"peruser\";q=65535;qu=\"content-bytes\";w=10;pk=:sdfjLJUOUH==:");
        assertEquals(List.of(q("peruser", "content-bytes", 65535L, Duration.ofSeconds(10), null, null)), word.quotas());
        var limitOnly = read(200, "RateLimit", "\"default\";r=999;pk=:dHJpYWwxMjEzMjM=:");
        assertEquals(List.of(q("default", "requests", null, null, 999L, null)), limitOnly.quotas());
    }

    @Test
    void malformedDraftValuesAreProblemsNotExceptions() {
        var word = read(200, "RateLimit", "\"default\";r=-1;t=30", "RateLimit-Policy", "\"default\";q=ten;w=60");
        assertEquals(List.of(), word.quotas());
        assertEquals(2, word.problems().size(), word.problems().toString());
        assertTrue(word.problems().get(0).startsWith("RateLimit-Policy: \"\\\"default\\\";q=ten;w=60\"")
                || word.problems().get(0).contains("q=ten"), word.problems().toString());
        for (String bad : List.of("\"default\";t=30", "\"unterminated;r=1", "(\"a\" \"b\");r=1", "\"a\";r=1,", "")) {
            var w = read(200, "RateLimit", bad);
            assertEquals(List.of(), w.quotas(), bad);
            assertEquals(1, w.problems().size(), bad + " -> " + w.problems());
            assertTrue(w.problems().get(0).startsWith("RateLimit: "), w.problems().toString());
        }
    }

    // ---- earlier drafts

    @Test
    void theEarlierDraftsSeparateFieldsAreRead() {
        var word = read(200, "RateLimit-Limit", "10, 10;w=1, 50;w=60", "RateLimit-Remaining", "9", "RateLimit-Reset", "1");
        assertEquals(List.of(q("default", "requests", 10L, Duration.ofSeconds(1), 9L, NOW.plusSeconds(1))), word.quotas());
        var plain = read(200, "ratelimit-limit", "100", "ratelimit-remaining", "0", "ratelimit-reset", "58");
        assertEquals(List.of(q("default", "requests", 100L, null, 0L, NOW.plusSeconds(58))), plain.quotas());
    }

    @Test
    void draft7sDictionaryFormIsRead() {
        var word = read(200, "RateLimit", "limit=100, remaining=25, reset=5", "RateLimit-Policy", "100;w=60");
        assertEquals(List.of(q("default", "requests", 100L, Duration.ofSeconds(60), 25L, NOW.plusSeconds(5))), word.quotas());
    }

    // ---- GitHub

    @Test
    void githubsHeadersGiveTheResourcesQuotaWithAnEpochReset() {
        var word = read(200,
                "x-ratelimit-limit", "5000", "x-ratelimit-remaining", "4987", "x-ratelimit-used", "13",
                "x-ratelimit-reset", "1798531200", "x-ratelimit-resource", "core");
        assertEquals(List.of(q("core", "requests", 5000L, null, 4987L, Instant.ofEpochSecond(1798531200))), word.quotas());
    }

    @Test
    void githubsUsedGivesRemainingWhenItIsMissingAndASmallResetIsSecondsFromNow() {
        var word = read(403, "X-RateLimit-Limit", "60", "X-RateLimit-Used", "60", "X-RateLimit-Reset", "42");
        assertEquals(List.of(q("default", "requests", 60L, null, 0L, NOW.plusSeconds(42))), word.quotas());
        assertTrue(word.quotas().get(0).exhausted());
    }

    @Test
    void malformedGithubValuesAreProblems() {
        var word = read(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "lots", "X-RateLimit-Reset", "tomorrow");
        assertEquals(List.of(q("default", "requests", 5000L, null, null, null)), word.quotas());
        assertEquals(List.of(
                "X-RateLimit-Remaining: \"lots\": not a whole number of at least 0; ignored",
                "X-RateLimit-Reset: \"tomorrow\": not epoch seconds; ignored"), word.problems());
    }

    // ---- LLM APIs

    @Test
    void llmApisRequestAndTokenQuotasWithGoDurations() {
        var word = read(200,
                "x-ratelimit-limit-requests", "60", "x-ratelimit-limit-tokens", "150000",
                "x-ratelimit-remaining-requests", "59", "x-ratelimit-remaining-tokens", "149984",
                "x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s");
        assertEquals(List.of(
                q("requests", "requests", 60L, null, 59L, NOW.plusSeconds(1)),
                q("tokens", "tokens", 150000L, null, 149984L, NOW.plusSeconds(360))), word.quotas());
        assertEquals(List.of(), word.problems());
    }

    @Test
    void goDurationsOfEveryUnitAreRead() {
        for (var e : Map.of("20ms", Duration.ofMillis(20), "1h2m3.5s", Duration.parse("PT1H2M3.5S"),
                "0s", Duration.ZERO, "8.64s", Duration.ofMillis(8640), "150us", Duration.ofNanos(150_000),
                "2µs", Duration.ofNanos(2_000)).entrySet()) {
            var word = read(200, "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", e.getKey());
            assertEquals(NOW.plus(e.getValue()), word.quota("tokens").orElseThrow().resetAt(), e.getKey());
        }
    }

    @Test
    void aMalformedResetLeavesTheQuotaWithoutItAndSaysWhy() {
        for (String bad : List.of("-1s", "1", "1d", "soon", "", "1s2")) {
            var word = read(200, "x-ratelimit-remaining-requests", "3", "x-ratelimit-reset-requests", bad);
            assertNull(word.quota("requests").orElseThrow().resetAt(), bad);
            assertEquals(1, word.problems().size(), bad);
            assertTrue(word.problems().get(0).startsWith("x-ratelimit-reset-requests: \"" + bad + "\": "), word.problems().toString());
        }
    }

    // ---- Retry-After and the status

    @Test
    void a429WithRetryAfterSaysWaitAndA200DoesNot() {
        var word = read(429, "Retry-After", "7", "RateLimit", "\"default\";r=0;t=7");
        assertTrue(word.saysWait());
        assertEquals(NOW.plusSeconds(7), word.retryAfter());
        assertTrue(read(503, "Retry-After", "Thu, 01 Jan 2099 00:00:00 GMT").saysWait());
        assertFalse(read(200, "Retry-After", "7").saysWait());
        assertFalse(read(429).saysWait());
        var bad = read(429, "Retry-After", "later");
        assertFalse(bad.saysWait());
        assertEquals(List.of("Retry-After: \"later\": neither delay-seconds nor an HTTP-date; ignored"), bad.problems());
    }

    @Test
    void noHeadersSayNothing() {
        var word = read(200, "Content-Type", "application/json");
        assertEquals(List.of(), word.quotas());
        assertEquals(List.of(), word.problems());
        assertNull(word.retryAfter());
    }
}
