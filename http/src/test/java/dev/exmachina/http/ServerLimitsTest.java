package dev.exmachina.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.testkit.VirtualClock;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerLimits} tells a group for each thing a server says, on the virtual clock's now: a
 * group that records the pauses and changes it is asked for.
 */
class ServerLimitsTest {
    private final VirtualClock clock = VirtualClock.create();

    /** A group that records what it is told; {@code inFlight} is set by the test. */
    private static final class RecordingGroup implements ConcurrentGroup {
        GroupLimits limits;
        int inFlight = 1;
        final List<Instant> pauses = new ArrayList<>();
        final List<GroupLimits> changes = new ArrayList<>();
        final List<String> budgets = new ArrayList<>();
        boolean refuse;

        RecordingGroup(GroupLimits limits) {
            this.limits = limits;
        }

        @Override public String name() { return "api"; }
        @Override public GroupLimits limits() { return limits; }
        @Override public int inFlight() { return inFlight; }
        @Override public int waiting() { return 0; }

        @Override
        public void changeLimits(GroupLimits limits) {
            if (refuse) throw new UnsupportedOperationException("no changes here");
            changes.add(limits);
            this.limits = limits;
        }

        @Override
        public void pauseUntil(Instant until) {
            if (refuse) throw new UnsupportedOperationException("no pauses here");
            pauses.add(until);
        }

        @Override
        public void limitUntil(long remaining, Instant resetAt) {
            if (refuse) throw new UnsupportedOperationException("no budgets here");
            budgets.add(remaining + " until " + resetAt);
        }

        @Override
        public Optional<Instant> pausedUntil() {
            return pauses.isEmpty() ? Optional.empty() : Optional.of(pauses.getLast());
        }
    }

    private static HttpHeaders headers(String... nameValue) {
        var map = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.computeIfAbsent(nameValue[i], k -> new ArrayList<>()).add(nameValue[i + 1]);
        }
        return HttpHeaders.of(map, (n, v) -> true);
    }

    private final RecordingGroup group = new RecordingGroup(
            GroupLimits.concurrency(4).perWindow(20, Duration.ofSeconds(1)).anchoredAtCompletion());

    @Test
    void a429WithRetryAfterPausesTheGroupUntilThenOnTheBotsClock() {
        clock.advance(Duration.ofMinutes(3));
        var server = ServerLimits.of(group, clock);
        server.follow(headers("Retry-After", "30"), 429);
        assertEquals(List.of(clock.instant().plusSeconds(30)), group.pauses);
        server.follow(headers("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"), 503);
        assertEquals(Instant.parse("2099-10-21T07:28:00Z"), group.pauses.getLast());
    }

    @Test
    void pausingOnChoosesTheStatusesWhoseRetryAfterPauses() {
        var server = ServerLimits.of(group, clock).pausingOn(429);
        server.follow(headers("Retry-After", "1"), 503);
        assertEquals(List.of(), group.pauses, "this 503 concerns its own request: its retry rule waits");
        server.follow(headers("Retry-After", "1"), 429);
        assertEquals(List.of(clock.instant().plusSeconds(1)), group.pauses);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> server.pausingOn(42));
        assertEquals("an HTTP status is 100 to 599, was 42 (429 and 503 say Retry-After)", e.getMessage());
    }

    @Test
    void aRetryAfterOnASuccessIsNoReasonToPause() {
        ServerLimits.of(group, clock).follow(headers("Retry-After", "30"), 200);
        assertEquals(List.of(), group.pauses);
    }

    @Test
    void nothingLeftPausesUntilTheResetAndSomethingLeftDoesNot() {
        var server = ServerLimits.of(group, clock);
        server.follow(headers("RateLimit", "\"default\";r=3;t=1"), 200);
        assertEquals(List.of(), group.pauses, "3 left, no other attempt in flight");
        server.follow(headers("RateLimit", "\"default\";r=0;t=2"), 200);
        assertEquals(List.of(clock.instant().plusSeconds(2)), group.pauses);
    }

    @Test
    void whatIsLeftLimitsTheGroupsStartsUntilTheReset() {
        clock.advance(Duration.ofMinutes(1));
        ServerLimits.of(group, clock).follow(headers("RateLimit", "\"default\";r=3;t=10"), 200);
        assertEquals(List.of("3 until " + clock.instant().plusSeconds(10)), group.budgets);
        assertEquals(List.of(), group.pauses);
    }

    @Test
    void theOtherAttemptsInFlightAreTakenFromWhatIsLeft() {
        group.inFlight = 3; // this attempt and two others the server may not have counted yet
        ServerLimits.of(group, clock).follow(headers("RateLimit", "\"default\";r=5;t=1"), 200);
        assertEquals(List.of("3 until " + clock.instant().plusSeconds(1)), group.budgets);
    }

    @Test
    void ofSeveralQuotasTheOneWithTheFewestLeftLimitsTheGroup() {
        ServerLimits.of(group, clock).follow(headers("x-ratelimit-remaining-requests", "10", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-remaining-tokens", "7", "x-ratelimit-reset-tokens", "6s"), 200);
        assertEquals(List.of("7 until " + clock.instant().plusSeconds(6)), group.budgets);
    }

    @Test
    void aGroupThatCannotFollowWhatIsLeftIsAProblemLine() {
        group.refuse = true;
        var word = ServerLimits.of(group, clock).follow(headers("RateLimit", "\"default\";r=3;t=10"), 200);
        assertEquals(List.of("quota \"default\": group \"api\" could not limit its starts to the 3 left until the reset:"
                + " no budgets here"), word.problems());
    }

    @Test
    void noMoreLeftThanTheOtherAttemptsInFlightPausesToo() {
        group.inFlight = 4; // this attempt and three others the server may not have counted yet
        var server = ServerLimits.of(group, clock);
        server.follow(headers("RateLimit", "\"default\";r=4;t=1"), 200);
        assertEquals(List.of(), group.pauses, "4 left for 3 others: one to spare");
        server.follow(headers("RateLimit", "\"default\";r=3;t=1"), 200);
        assertEquals(List.of(clock.instant().plusSeconds(1)), group.pauses);
    }

    @Test
    void githubsAndLlmApisExhaustedQuotasPauseUntilTheirResets() {
        var server = ServerLimits.of(group, clock);
        server.follow(headers("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "4102444800"), 403);
        assertEquals(Instant.ofEpochSecond(4102444800L), group.pauses.getLast());
        server.follow(headers("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s"), 200);
        assertEquals(clock.instant().plus(Duration.ofMinutes(6)), group.pauses.getLast());
    }

    @Test
    void onlyTheNamedQuotasAreFollowed() {
        var server = ServerLimits.of(group, clock).onlyQuotas("requests");
        server.follow(headers("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1s",
                "x-ratelimit-remaining-requests", "10", "x-ratelimit-reset-requests", "1s"), 200);
        assertEquals(List.of(), group.pauses, "tokens are not this group's to follow");
    }

    @Test
    void aPolicyWithAnotherSizeChangesTheWindowOfItsLengthKeepingEverythingElse() {
        var server = ServerLimits.of(group, clock);
        server.follow(headers("RateLimit-Policy", "\"default\";q=20;w=1", "RateLimit", "\"default\";r=12;t=1"), 200);
        assertEquals(List.of(), group.changes, "the same limit: nothing to change");
        server.follow(headers("RateLimit-Policy", "\"default\";q=10;w=1", "RateLimit", "\"default\";r=5;t=1"), 200);
        assertEquals(List.of(GroupLimits.concurrency(4).perWindow(10, Duration.ofSeconds(1)).anchoredAtCompletion()), group.changes);
        server.follow(headers("RateLimit-Policy", "\"default\";q=10;w=1"), 200);
        assertEquals(1, group.changes.size(), "followed once");
    }

    @Test
    void onlyTheWindowOfTheSameLengthChanges() {
        var two = new RecordingGroup(GroupLimits.concurrency(2).perWindow(10, Duration.ofSeconds(1))
                .perWindow(1000, Duration.ofHours(1)));
        var server = ServerLimits.of(two, clock);
        server.follow(headers("RateLimit-Policy", "\"perhr\";q=500;w=3600,\"permin\";q=50;w=60"), 200);
        assertEquals(List.of(GroupLimits.concurrency(2).perWindow(10, Duration.ofSeconds(1))
                .perWindow(500, Duration.ofHours(1))), two.changes, "no window of 60 s: the minute's quota is not added");
    }

    @Test
    void aGroupThatCannotPauseOrChangeIsAProblemLineNotAnException() {
        group.refuse = true;
        var word = ServerLimits.of(group, clock).follow(
                headers("Retry-After", "5", "RateLimit-Policy", "\"default\";q=10;w=1"), 429);
        assertEquals(2, word.problems().size(), word.problems().toString());
        assertTrue(word.problems().get(0).contains("could not pause"), word.problems().toString());
        assertTrue(word.problems().get(1).contains("could not change its limit to 10"), word.problems().toString());
    }

    @Test
    void malformedHeadersPauseNothingAndSayWhy() {
        var word = ServerLimits.of(group, clock).follow(headers("Retry-After", "soon", "RateLimit", "\"default\";r=x"), 429);
        assertEquals(List.of(), group.pauses);
        assertEquals(List.of(), group.changes);
        assertEquals(2, word.problems().size(), word.problems().toString());
    }
}
