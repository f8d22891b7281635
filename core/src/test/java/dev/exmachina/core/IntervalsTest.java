package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interval strings, DESIGN 4.1: units d h m s ms in that order, each at most once. */
class IntervalsTest {

    @Test
    void testsThatOneSecondIsOneSecond() {
        assertEquals(Duration.ofSeconds(1), Intervals.parse("1s"));
    }

    @Test
    void testsThatDaysAndHoursAdd() {
        assertEquals(Duration.ofDays(1).plusHours(4), Intervals.parse("1d4h"));
    }

    @Test
    void testsThatSpacesBetweenPartsAreAllowedAndZeroPartsCountForNothing() {
        assertEquals(Duration.ofSeconds(10), Intervals.parse("0d 0m 10s"));
    }

    @Test
    void testsThatEveryUnitTogetherIsTheSeedsExample() {
        // 1 d 12 h 35 m 59 s 500 ms == 131,759.5 s
        assertEquals(Duration.ofSeconds(131_759).plusMillis(500), Intervals.parse("1d12h35m59s500ms"));
        assertEquals(131_759_500L, Intervals.parse("1d12h35m59s500ms").toMillis());
    }

    @Test
    void testsThatMinutesAndMillisecondsAreTellApart() {
        assertEquals(Duration.ofMinutes(1), Intervals.parse("1m"));
        assertEquals(Duration.ofMillis(1), Intervals.parse("1ms"));
        assertEquals(Duration.ofMinutes(1).plusMillis(5), Intervals.parse("1m5ms"));
        assertEquals(Duration.ofMillis(250), Intervals.parse("250ms"));
    }

    @Test
    void testsThatSecondsAndDaysMayHaveAFraction() {
        assertEquals(Duration.ofMillis(1_500), Intervals.parse("1.5s"));
        assertEquals(Duration.ofHours(12), Intervals.parse("0.5d"));
        assertEquals(Duration.ofMinutes(90), Intervals.parse("1.5h"));
        assertEquals(Duration.ofSeconds(90), Intervals.parse("1.5m"));
    }

    @Test
    void testsThatFractionsAreExactToTheNanosecond() {
        assertEquals(Duration.ofNanos(1), Intervals.parse("0.000000001s"));
        assertEquals(Duration.ofSeconds(1).plusNanos(123_456_789), Intervals.parse("1.123456789s"));
    }

    @Test
    void testsThatSpacesAroundAndBetweenEveryPartAreAllowed() {
        assertEquals(Duration.ofSeconds(131_759).plusMillis(500), Intervals.parse("  1d 12h  35m 59s 500ms  "));
        assertEquals(Duration.ofSeconds(5), Intervals.parse(" 5s "));
    }

    @Test
    void testsThatZeroIsAValidInterval() {
        assertEquals(Duration.ZERO, Intervals.parse("0s"));
        assertEquals(Duration.ZERO, Intervals.parse("0ms"));
    }

    @Test
    void testsThatTheLargestDurationOfNanosecondsIsAccepted() {
        // Long.MAX_VALUE ns is about 106,751.99 days
        assertEquals(Duration.ofDays(106_751), Intervals.parse("106751d"));
    }

    @ParameterizedTest(name = "Tests that \"{0}\" is refused, quoting it and showing a valid form")
    @ValueSource(strings = {
        "", "  ", "1x", "-1s", "1s1d", "1.5ms", "1m1m", "s", "999999999999d",
        "1", "1h1d", "ms", "1.s", ".5s", "1s 2s", "1d-1h", "1,5s", "+1s", "106752d"
    })
    void testsThatABadIntervalIsRefusedWithAClearMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Intervals.parse(text));
        String message = e.getMessage();
        assertTrue(message.contains("\"" + text + "\""), () -> "the message should quote the input: " + message);
        assertTrue(message.contains("\"1d12h35m59s500ms\"") || message.contains("\"1s\""),
                () -> "the message should show a valid form: " + message);
    }

    @Test
    void testsThatAnOverflowSaysItIsTooLarge() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Intervals.parse("999999999999d"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void testsThatTheValidFormShownInTheMessageIsItselfValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Intervals.parse("1x"));
        // every quoted example after the input must parse
        String[] quoted = e.getMessage().split("\"");
        int examples = 0;
        for (int i = 3; i < quoted.length; i += 2) {
            Intervals.parse(quoted[i]);
            examples++;
        }
        assertTrue(examples > 0, e.getMessage());
    }

    @Test
    void testsThatANullIntervalIsANullPointerExceptionNamingIt() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Intervals.parse(null));
        assertEquals("interval", e.getMessage());
    }

    @Test
    void testsThatEmitOptionsAndGroupLimitsAcceptIntervalStrings() {
        assertEquals(Duration.ofMillis(1_500), EmitOptions.every("1.5s").interval());
        assertEquals(Duration.ofSeconds(1), GroupLimits.unlimited().perWindow(3, "1s").window());
        assertThrows(IllegalArgumentException.class, () -> EmitOptions.every("1x"));
        assertThrows(IllegalArgumentException.class, () -> GroupLimits.unlimited().perWindow(3, "-1s"));
    }

    /**
     * Tests that a long run of spaces before a bad character is refused at once (fault F5): a
     * regular expression with optional parts backtracked over them, 80 spaces took 3.4 s and each
     * further space multiplied that, so 200 spaces would never finish. The timeout only guards
     * against such a hang; it measures nothing.
     */
    @Test
    void spacesThenABadCharacterAreRefusedWithoutBacktracking() {
        String[] inputs = {
            " ".repeat(80) + "x", " ".repeat(200) + "x", "1d ".repeat(200) + "x", "0s " + " ".repeat(200) + "1x"
        };
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String input : inputs) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Intervals.parse(input));
                assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
            }
        });
    }

    @Test
    void testsThatSpacesInsideAPartAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Intervals.parse("1 s"));
        assertThrows(IllegalArgumentException.class, () -> Intervals.parse("1. 5s"));
    }

    @ParameterizedTest(name = "Tests that {0} is formatted as {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "PT0S, 0s", "PT0.13S, 130ms", "PT1.5S, 1.5s", "PT2M30S, 2m30s", "PT36H35M59.5S, 1d12h35m59.5s",
        "PT0.129870309S, 0.129870309s", "PT1H, 1h", "PT24H0.001S, 1d1ms", "PT1M0.0000001S, 1m0.0000001s"
    })
    void testsThatDurationsAreFormattedAsUsersTypeThem(String iso, String expected) {
        Duration duration = Duration.parse(iso);
        assertEquals(expected, Intervals.format(duration));
        assertEquals(duration, Intervals.parse(expected), "format and parse round-trip");
    }

    @Test
    void testsThatTheLongestDurationRoundTrips() {
        Duration longest = Duration.ofNanos(Long.MAX_VALUE);
        assertEquals(longest, Intervals.parse(Intervals.format(longest)));
    }

    @Test
    void testsThatANegativeDurationIsRefusedWhenFormatted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Intervals.format(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("PT-0.001S"), e.getMessage());
    }
}
