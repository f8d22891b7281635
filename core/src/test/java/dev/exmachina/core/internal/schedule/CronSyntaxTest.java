package dev.exmachina.core.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each part of the cron syntax matches, and how a malformed expression is refused. */
class CronSyntaxTest {

    /** The first {@code n} matching times after {@code from}, in UTC (no daylight saving). */
    private static List<String> times(String expression, String from, int n) {
        ZonedCron cron = ZonedCron.parse(expression, ZoneOffset.UTC);
        List<String> times = new ArrayList<>();
        Instant t = LocalDateTime.parse(from).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < n; i++) {
            t = cron.next(t);
            times.add(LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString());
        }
        return times;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 9 * * MON-FRI          | 2026-01-01T09:00 2026-01-02T09:00 2026-01-05T09:00
            0 0 9 * * mon-fri        | 2026-01-01T09:00 2026-01-02T09:00 2026-01-05T09:00
            */20 * * * * *           | 2025-12-31T12:00:20 2025-12-31T12:00:40 2025-12-31T12:01
            5/20 * * * * *           | 2025-12-31T12:00:05 2025-12-31T12:00:25 2025-12-31T12:00:45
            0 10-20/5 * * * *        | 2025-12-31T12:10 2025-12-31T12:15 2025-12-31T12:20
            0 0 1,15 * *             | 2026-01-01T00:00 2026-01-15T00:00 2026-02-01T00:00
            0 0 * FEB,jun *          | 2026-02-01T00:00 2026-02-02T00:00 2026-02-03T00:00
            0 0 L * ?                | 2026-01-31T00:00 2026-02-28T00:00 2026-03-31T00:00
            0 0 L-2 * ?              | 2026-01-29T00:00 2026-02-26T00:00 2026-03-29T00:00
            0 0 LW * ?               | 2026-01-30T00:00 2026-02-27T00:00 2026-03-31T00:00
            0 0 1W * ?               | 2026-01-01T00:00 2026-02-02T00:00 2026-03-02T00:00
            0 0 15W * ?              | 2026-01-15T00:00 2026-02-16T00:00 2026-03-16T00:00
            0 0 ? * FRIL             | 2026-01-30T00:00 2026-02-27T00:00 2026-03-27T00:00
            0 0 ? * 1#2              | 2026-01-12T00:00 2026-02-09T00:00 2026-03-09T00:00
            0 0 ? * SUN#1,SAT#5      | 2026-01-04T00:00 2026-01-31T00:00 2026-02-01T00:00
            0 0 * * 7                | 2026-01-04T00:00 2026-01-11T00:00 2026-01-18T00:00
            0 0 * * 5-7              | 2026-01-02T00:00 2026-01-03T00:00 2026-01-04T00:00
            0 0 13 * FRI             | 2026-02-13T00:00 2026-03-13T00:00 2026-11-13T00:00
            0 0 29 2 *               | 2028-02-29T00:00 2032-02-29T00:00 2036-02-29T00:00
            @yearly                  | 2026-01-01T00:00 2027-01-01T00:00 2028-01-01T00:00
            @annually                | 2026-01-01T00:00 2027-01-01T00:00 2028-01-01T00:00
            @monthly                 | 2026-01-01T00:00 2026-02-01T00:00 2026-03-01T00:00
            @weekly                  | 2026-01-04T00:00 2026-01-11T00:00 2026-01-18T00:00
            @daily                   | 2026-01-01T00:00 2026-01-02T00:00 2026-01-03T00:00
            @midnight                | 2026-01-01T00:00 2026-01-02T00:00 2026-01-03T00:00
            @hourly                  | 2025-12-31T13:00 2025-12-31T14:00 2025-12-31T15:00
            """)
    void eachFormMatchesWhatItSays(String expression, String expected) {
        // From Wednesday 31 December 2025, 12:00 UTC.
        assertEquals(List.of(expected.split(" ")), times(expression, "2025-12-31T12:00", 3));
    }

    @Test
    void theNearestWeekdayStaysInItsMonth() {
        // 1 August 2026 is a Saturday: 1W is Monday the 3rd, not Friday 31 July.
        assertEquals(List.of("2026-08-03T00:00"), times("0 0 1W 8 *", "2026-07-01T00:00", 1));
        // 31 May 2026 is a Sunday: 31W is Friday the 29th, not Monday 1 June (Spring 7.0 skips May).
        assertEquals(List.of("2026-05-29T00:00"), times("0 0 31W 5 *", "2026-05-01T00:00", 1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                  | has 0 fields
            0 9 * *             | has 4 fields
            0 0 9 * * * *       | more than 6 fields
            61 * * * *          | minute field, position 1: 61 is out of range
            0 24 * * *          | hour field, position 3: 24 is out of range
            0 9 * * MOX         | day-of-week field, position 9: "MOX" is not a day of the week
            0 9 * FOO *         | month field, position 7: "FOO" is not a month
            0 9 * * FRI-MON     | day-of-week field, position 9: range FRI-MON runs backwards
            */0 * * * *         | minute field, position 3: step "0" must be 1 to 60
            0 9 ,1 * *          | day-of-month field, position 5: empty entry
            0 9 1,,2 * *        | day-of-month field, position 7: empty entry
            0 9 * * MON#6       | day-of-week field, position 13: '#' takes 1 to 5
            0 9 L-31 * *        | day-of-month field, position 7: L-n takes n from 0 to 30
            0 9 * * L           | day-of-week field, position 9: 'L' needs a day
            0 ? * * *           | hour field, position 3: '?' is only for day-of-month and day-of-week
            0 9 1-x * *         | day-of-month field, position 7: "x" is not a number from 1 to 31
            @often              | unknown macro "@often"
            0 0 30 2 *          | never matches
            0 0 31 4,6,9,11 *   | never matches
            """)
    void aMalformedExpressionIsRefusedNamingTheFieldAndPosition(String expression, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ZonedCron.parse(expression, ZoneOffset.UTC));
        assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("cron expression \"" + expression + "\""), e::getMessage);
    }
}
