package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** EmitOptions and its Schedule stay in step; 0.1's interval and mode keep their meaning. */
class ScheduleOptionsTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void everyAndModeMakeTheFixedSchedulesOfVersion01() {
        assertEquals(Schedule.fixedDelay(Duration.ofSeconds(1)), EmitOptions.every("1s").schedule());
        assertEquals(Schedule.fixedRate(Duration.ofSeconds(1)), EmitOptions.every("1s").mode(EmitMode.ENTIRE).schedule());
        assertEquals(Schedule.fixedDelay(Duration.ZERO), EmitOptions.defaults().schedule());
        var legacy = new EmitOptions(Duration.ofSeconds(2), 3L, EmitMode.ENTIRE, true, Supervision.stopBot());
        assertEquals(Schedule.fixedRate(Duration.ofSeconds(2)), legacy.schedule());
    }

    @Test
    void aScheduleSetsTheIntervalAndModeItMeans() {
        var cron = Schedule.cron("0 9 * * MON-FRI", NEW_YORK);
        var options = EmitOptions.schedule(cron).count(5);
        assertEquals(cron, options.schedule());
        assertEquals(Duration.ZERO, options.interval());
        assertEquals(EmitMode.AFTER, options.mode());
        assertEquals(5L, options.count());

        var rate = EmitOptions.defaults().on(Schedule.fixedRate(Duration.ofMinutes(1)).misfire(Schedule.Misfire.SKIP));
        assertEquals(Duration.ofMinutes(1), rate.interval());
        assertEquals(EmitMode.ENTIRE, rate.mode());
        assertEquals(Schedule.Misfire.SKIP, ((Schedule.FixedRate) rate.interval(Duration.ofMinutes(2)).schedule()).misfire(),
                "a new interval keeps the fixed rate's misfire rule");
        assertEquals(Schedule.fixedDelay(Duration.ofSeconds(3)), options.interval(Duration.ofSeconds(3)).schedule(),
                "an interval replaces a cron schedule by a fixed delay");
    }

    @Test
    void optionsWhoseScheduleDisagreesWithTheirIntervalAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EmitOptions(Duration.ofSeconds(1), null,
                EmitMode.AFTER, true, Supervision.stopBot(), null, Schedule.fixedRate(Duration.ofSeconds(1))));
        assertTrue(e.getMessage().contains("disagrees with interval PT1S and mode AFTER"), e::getMessage);
    }

    @Test
    void aBadCronExpressionOrToleranceIsRefusedWhenTheScheduleIsMade() {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedule.cron("0 9 * * MON-FRY", NEW_YORK));
        assertEquals("cron expression \"0 9 * * MON-FRY\": day-of-week field, position 13: \"FRY\" is not a day of"
                + " the week (0-7 or SUN-SAT)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Schedule.cron("@daily", NEW_YORK).tolerance(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Schedule.fixedDelay(Duration.ofSeconds(-1)));
    }

    @Test
    void aCronScheduleTellsItsExpressionZoneAndDefaults() {
        var cron = Schedule.cron("@hourly", NEW_YORK);
        assertEquals("@hourly", cron.expression());
        assertEquals(NEW_YORK, cron.zone());
        assertEquals(Schedule.Misfire.RUN_ONCE, cron.misfire());
        assertEquals(Schedule.DEFAULT_TOLERANCE, cron.tolerance());
        assertEquals(cron, Schedule.cron("@hourly", NEW_YORK));
    }
}
