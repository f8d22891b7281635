package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daylight-saving rule of cron schedules (README "Schedules"): a daily time in a gap runs once,
 * at the gap's end; in an overlap, once; an every-15-minutes expression keeps to real time across
 * both transitions. Checked on the transitions of 2026 in Paris, Cairo (a gap at midnight) and Lord
 * Howe Island (a 30-minute shift).
 */
class CronDaylightSavingTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId CAIRO = ZoneId.of("Africa/Cairo");
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    /** Every scheduled instant in [from, to). */
    private static List<Instant> runs(Schedule.Cron cron, String from, String to) {
        List<Instant> runs = new ArrayList<>();
        Instant end = Instant.parse(to);
        for (Instant t = cron.next(Instant.parse(from).minusNanos(1)); t.isBefore(end); t = cron.next(t)) {
            runs.add(t);
        }
        return runs;
    }

    private static List<String> local(List<Instant> runs, ZoneId zone) {
        return runs.stream().map(t -> t.atZone(zone).toOffsetDateTime().toString()).toList();
    }

    private static void assertEvenlySpaced(List<Instant> runs, Duration step, int expected) {
        assertEquals(expected, runs.size(), () -> "runs: " + runs);
        for (int i = 1; i < runs.size(); i++) {
            assertEquals(step, Duration.between(runs.get(i - 1), runs.get(i)), "between " + runs.get(i - 1) + " and " + runs.get(i));
        }
    }

    @Test
    void aDailyTimeInTheSpringGapOfParisRunsOnceThatDayAtTheEndOfTheGap() {
        var daily = Schedule.cron("30 2 * * *", PARIS);
        assertEquals(List.of("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"),
                local(runs(daily, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"), PARIS));
    }

    @Test
    void twoDailyTimesInOneGapRunOnceAtItsEnd() {
        var twice = Schedule.cron("0,30 2 * * *", PARIS);
        assertEquals(List.of("2026-03-28T02:00+01:00", "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00",
                        "2026-03-30T02:00+02:00", "2026-03-30T02:30+02:00"),
                local(runs(twice, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"), PARIS));
    }

    @Test
    void aDailyTimeInTheAutumnOverlapOfParisRunsOnceAtItsFirstOccurrence() {
        var daily = Schedule.cron("30 2 * * *", PARIS);
        assertEquals(List.of("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"),
                local(runs(daily, "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z"), PARIS));
    }

    @Test
    void everyFifteenMinutesKeepsToRealTimeAcrossBothTransitionsOfParis() {
        var quarter = Schedule.cron("*/15 * * * *", PARIS);
        // 00:00Z-04:00Z holds the spring gap (01:00Z): 16 runs 15 minutes apart, no hole, no doubled run.
        assertEvenlySpaced(runs(quarter, "2026-03-29T00:00:00Z", "2026-03-29T04:00:00Z"), Duration.ofMinutes(15), 16);
        // 23:00Z-03:00Z holds the autumn overlap (01:00Z): the repeated hour runs in both passes.
        List<Instant> autumn = runs(quarter, "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z");
        assertEvenlySpaced(autumn, Duration.ofMinutes(15), 16);
        assertEquals("2026-10-25T02:45+02:00", autumn.get(7).atZone(PARIS).toOffsetDateTime().toString());
        assertEquals("2026-10-25T02:00+01:00", autumn.get(8).atZone(PARIS).toOffsetDateTime().toString());
    }

    @Test
    void everySecondOfTheRepeatedHourRunsOnceWhenTheHourIsNamed() {
        // The hour field names 2 o'clock: the expression is a time of day, not an interval, so the
        // repeated hour runs once (3600 runs, not 7200).
        var eachSecond = Schedule.cron("* * 2 * * *", PARIS);
        List<Instant> runs = runs(eachSecond, "2026-10-25T00:00:00Z", "2026-10-25T03:00:00Z");
        assertEvenlySpaced(runs, Duration.ofSeconds(1), 3600);
        assertEquals(Instant.parse("2026-10-25T00:00:00Z"), runs.getFirst());
        assertEquals(Instant.parse("2026-10-26T01:00:00Z"), eachSecond.next(runs.getLast()), "next: the next day's 02:00");
    }

    @Test
    void aDailyMidnightInCairosMidnightGapRunsThatDayAtOneInTheMorning() {
        var midnight = Schedule.cron("@daily", CAIRO);
        assertEquals(List.of("2026-04-23T00:00+02:00", "2026-04-24T01:00+03:00", "2026-04-25T00:00+03:00"),
                local(runs(midnight, "2026-04-22T21:00:00Z", "2026-04-25T00:00:00Z"), CAIRO));
    }

    @Test
    void aDailyTimeInCairosOverlapRunsOnce() {
        // On 2026-10-29 at midnight, Cairo goes back to 23:00: 23:30 of the 29th happens twice.
        var lateEvening = Schedule.cron("30 23 * * *", CAIRO);
        assertEquals(List.of("2026-10-28T23:30+03:00", "2026-10-29T23:30+03:00", "2026-10-30T23:30+02:00"),
                local(runs(lateEvening, "2026-10-28T00:00:00Z", "2026-10-31T00:00:00Z"), CAIRO));
    }

    @Test
    void lordHowesHalfHourShiftKeepsAQuarterHourlyExpressionToRealTime() {
        var quarter = Schedule.cron("0 */15 * * * ?", LORD_HOWE);
        // Overlap 2026-04-05 02:00 -> 01:30 (15:00Z): 01:30 and 01:45 run in both passes.
        List<Instant> april = runs(quarter, "2026-04-04T14:00:00Z", "2026-04-04T16:00:00Z");
        assertEvenlySpaced(april, Duration.ofMinutes(15), 8);
        // Gap 2026-10-04 02:00 -> 02:30 (15:30Z): 02:00 and 02:15 fall in it and run once, at 02:30.
        List<Instant> october = runs(quarter, "2026-10-03T14:30:00Z", "2026-10-03T16:30:00Z");
        assertEvenlySpaced(october, Duration.ofMinutes(15), 8);
        assertEquals(List.of("2026-10-04T01:45+10:30", "2026-10-04T02:30+11:00"),
                local(october.subList(3, 5), LORD_HOWE));
    }

    @Test
    void lordHowesDailyTimesInTheHalfHourGapAndOverlapRunOnce() {
        var gap = Schedule.cron("15 2 * * *", LORD_HOWE);
        assertEquals(List.of("2026-10-03T02:15+10:30", "2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00"),
                local(runs(gap, "2026-10-02T12:00:00Z", "2026-10-05T12:00:00Z"), LORD_HOWE));
        var overlap = Schedule.cron("45 1 * * *", LORD_HOWE);
        assertEquals(List.of("2026-04-04T01:45+11:00", "2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30"),
                local(runs(overlap, "2026-04-03T12:00:00Z", "2026-04-06T12:00:00Z"), LORD_HOWE));
    }
}
