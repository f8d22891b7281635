package dev.exmachina.core.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/**
 * Our cron against Spring's {@code CronExpression} (spring-context 7.0, test scope): 10,000 random
 * expressions, each in 20 zones, from a random instant (half of them within two days of one of the
 * zone's transitions). Where no daylight-saving transition lies between the start and the later of
 * the two answers (nor is the start in a repeated hour), both give the same next time. Where one does and they differ, the difference is
 * one the README documents, and nothing else:
 * <ul>
 *   <li>(not a transition) {@code nW} moved forward past the start: a Spring slip, it misses that month;
 *   <li>gap: we run at the gap's end a time the gap swallowed; Spring runs later (it moves the time
 *       past the gap, or skips the day);
 *   <li>overlap, time of day: Spring runs the repeated time a second time; we do not;
 *   <li>overlap, every hour: we run the repeated times in both passes; Spring skips the second;
 *   <li>overlap, first occurrence: we run a repeated time at its first occurrence; Spring, when it
 *       comes to it from an earlier day, at its second.
 * </ul>
 */
class CronDifferentialTest {

    private static final List<ZoneId> ZONES = List.of("UTC", "Europe/Paris", "Europe/London", "Europe/Moscow",
            "Africa/Cairo", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Australia/Sydney",
            "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham", "America/New_York", "America/Los_Angeles",
            "America/St_Johns", "America/Sao_Paulo", "America/Santiago", "America/Havana", "Atlantic/Azores")
            .stream().map(ZoneId::of).toList();

    private static final long FROM = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    private static final long TO = Instant.parse("2031-01-01T00:00:00Z").getEpochSecond();

    @Test
    void tenThousandExpressionsInTwentyZonesGiveSpringsTimesExceptAtTheDocumentedTransitions() {
        var random = new SplittableRandom(7_0_10);
        var expressions = new RandomCron(random);
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            String expression = expressions.next();
            CronExpression spring = CronExpression.parse(expression);
            ZonedCron ours;
            try {
                ours = ZonedCron.parse(expression, ZoneId.of("UTC"));
            } catch (IllegalArgumentException neverMatches) {
                // Refused because no date ever matches: Spring finds none either.
                assertTrue(neverMatches.getMessage().contains("never matches"), neverMatches::getMessage);
                assertNull(spring.next(ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"))), expression);
                outcomes.merge("refused: never matches (Spring finds none either)", 1, Integer::sum);
                continue;
            }
            for (ZoneId zone : ZONES) {
                ours = ZonedCron.parse(expression, zone);
                Instant start = start(zone, random);
                outcomes.merge(compare(expression, ours, spring, zone, start), 1, Integer::sum);
            }
        }
        System.out.println("cron differential against Spring: " + outcomes);
        assertTrue(outcomes.getOrDefault("same, no transition", 0) > 150_000, outcomes::toString);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("differs: gap")), outcomes::toString);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("differs: overlap")), outcomes::toString);
    }

    private static Instant start(ZoneId zone, SplittableRandom random) {
        Instant start = Instant.ofEpochSecond(random.nextLong(FROM, TO), random.nextInt(2) * 500_000_000);
        ZoneOffsetTransition transition = zone.getRules().nextTransition(start);
        if (random.nextBoolean() && transition != null && transition.getInstant().getEpochSecond() < TO) {
            start = transition.getInstant().plusSeconds(random.nextLong(-2 * 86_400, 2 * 86_400));
        }
        return start;
    }

    /** The outcome of one comparison, or an assertion error for a difference the policy does not explain. */
    private static String compare(String expression, ZonedCron ours, CronExpression spring, ZoneId zone, Instant start) {
        Instant mine = ours.next(start);
        ZonedDateTime theirs = spring.next(start.atZone(zone));
        if (theirs == null) {
            return "Spring found none within its search; ours " + (mine.isAfter(start.plusSeconds(366L * 86_400))
                    ? "more than a year later" : "within a year");
        }
        Instant springs = theirs.toInstant();
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition transition = rules.nextTransition(start);
        Instant later = mine.isAfter(springs) ? mine : springs;
        boolean involved = transition != null && !transition.getInstant().isAfter(later)
                || rules.getTransition(start.atZone(zone).toLocalDateTime()) != null; // starts in a repeated hour
        String context = expression + " in " + zone + " after " + start.atZone(zone) + ": ours "
                + mine.atZone(zone) + ", Spring's " + theirs;
        if (mine.isBefore(springs) && movedForwardPastStart(expression, mine.atZone(zone), start.atZone(zone))) {
            return "differs: nW moved forward past the start, Spring misses that month";
        }
        if (!involved) {
            assertEquals(springs, mine, context);
            return "same, no transition";
        }
        if (mine.equals(springs)) {
            return "same across a transition";
        }
        boolean everyHour = expression.split(" ")[2].equals("*");
        if (mine.isBefore(springs) && isGapEnd(rules, mine, start)) {
            return "differs: gap, we run at its end, Spring later";
        }
        if (mine.isAfter(springs) && !everyHour && isSecondPass(rules, theirs.toLocalDateTime(), springs)) {
            return "differs: overlap, Spring runs a repeated time of day twice";
        }
        if (mine.isBefore(springs) && isPass(rules, mine.atZone(zone).toLocalDateTime(), mine, true)) {
            return "differs: overlap, we run a repeated time at its first occurrence, Spring at its second";
        }
        if (mine.isBefore(springs) && everyHour && isSecondPass(rules, mine.atZone(zone).toLocalDateTime(), mine)) {
            return "differs: overlap, we keep an every-hour expression in the second pass";
        }
        throw new AssertionError("a difference the daylight-saving rule does not explain: " + context);
    }

    /**
     * Whether {@code mine} is an {@code nW} day moved forward (n was a weekend day at the start of the
     * month) to after {@code start}, which is in that month past day n: Spring 7.0 looks no further in
     * that month (for {@code 1W}, from Sunday 2 April 2028 it gives 1 May, not Monday 3 April).
     */
    private static boolean movedForwardPastStart(String expression, ZonedDateTime mine, ZonedDateTime start) {
        String days = expression.split(" ")[3];
        if (!days.endsWith("W") || days.startsWith("L")) {
            return false;
        }
        int n = Integer.parseInt(days.substring(0, days.length() - 1));
        return mine.getDayOfMonth() > n && mine.getMonth() == start.getMonth() && mine.getYear() == start.getYear()
                && start.getDayOfMonth() >= n;
    }

    /** Whether {@code instant} is the end of a gap that began after {@code start}. */
    private static boolean isGapEnd(ZoneRules rules, Instant instant, Instant start) {
        @Nullable ZoneOffsetTransition previous = rules.previousTransition(instant.plusNanos(1));
        return previous != null && previous.isGap() && previous.getInstant().equals(instant) && instant.isAfter(start);
    }

    /** Whether {@code local} is a repeated wall-clock time and {@code instant} its second occurrence. */
    private static boolean isSecondPass(ZoneRules rules, LocalDateTime local, Instant instant) {
        return isPass(rules, local, instant, false);
    }

    /** Whether {@code local} is a repeated wall-clock time and {@code instant} its first (or second) occurrence. */
    private static boolean isPass(ZoneRules rules, LocalDateTime local, Instant instant, boolean first) {
        ZoneOffsetTransition transition = rules.getTransition(local);
        return transition != null && transition.isOverlap()
                && local.toInstant(first ? transition.getOffsetBefore() : transition.getOffsetAfter()).equals(instant);
    }
}
