package dev.exmachina.core.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * No input makes the parser or the next-time search slow: 100,000 random strings each parse or are
 * refused with an {@link IllegalArgumentException}, and the work each takes (characters looked at,
 * months visited) stays within a bound linear in its length. The work is counted, not timed: the
 * time is measured in the bench (CronBench).
 */
class CronFuzzTest {

    private static final String ALPHABET = "0123456789 *,-/?LW#@abcdefghijklmnopqrstuvwxyzMONTUEFRISAJ\t";
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"), ZoneId.of("Africa/Cairo"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("America/New_York"), ZoneId.of("UTC"));

    /** The parser's bound: a few looks per character, up to 60 values set per entry, and one calendar check. */
    private static long parseBound(String expression) {
        return 64L * (expression.length() + 16) + CronFields.MAX_MONTHS;
    }

    @Test
    void randomStringsEachParseOrAreRefusedWithinALinearBound() {
        var random = new SplittableRandom(20261206);
        var structured = new RandomCron(random);
        int parsed = 0;
        long worstParse = 0;
        long worstNext = 0;
        for (int i = 0; i < 100_000; i++) {
            String expression = switch (i % 4) {
                case 0 -> structured.next(); // mostly valid, six fields
                case 1 -> structured.next().substring(2 + random.nextInt(3)); // five fields or broken
                case 2 -> mutate(structured.next(), random);
                default -> noise(random);
            };
            var parser = new CronParser(expression);
            CronFields fields;
            try {
                fields = parser.parse();
            } catch (IllegalArgumentException refused) {
                assertTrue(refused.getMessage().startsWith("cron expression \""), refused::getMessage);
                continue;
            } catch (RuntimeException other) {
                throw new AssertionError("\"" + expression + "\" threw " + other, other);
            } finally {
                if (parser.steps > parseBound(expression)) {
                    fail("\"" + expression + "\" took " + parser.steps + " steps to parse, bound " + parseBound(expression));
                }
                worstParse = Math.max(worstParse, parser.steps);
            }
            parsed++;
            ZonedCron cron = ZonedCron.parse(expression, ZONES.get(i % ZONES.size()));
            int[] steps = new int[1];
            cron.next(Instant.ofEpochSecond(random.nextLong(1_700_000_000L, 2_100_000_000L)), steps);
            worstNext = Math.max(worstNext, steps[0]);
            assertTrue(steps[0] <= ZonedCron.MAX_ROUNDS * CronFields.MAX_MONTHS + CronFields.MAX_MONTHS,
                    () -> expression + " visited " + steps[0] + " months");
        }
        assertTrue(parsed > 30_000, "the generator makes enough valid expressions to exercise the search: " + parsed);
        System.out.printf("cron fuzz: %d of 100000 parsed; worst parse %d steps, worst next %d months%n",
                parsed, worstParse, worstNext);
    }

    private static String mutate(String expression, SplittableRandom random) {
        char[] chars = expression.toCharArray();
        chars[random.nextInt(chars.length)] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        return new String(chars);
    }

    private static String noise(SplittableRandom random) {
        int length = random.nextInt(48);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return random.nextInt(8) == 0 ? "@" + s : s.toString();
    }
}
