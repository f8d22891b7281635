package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Schedule;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Emits on a cron schedule, on a virtual clock started at a wall-clock time in a zone. */
class CronEmitTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aWeekdayMorningEmitRunsAtNineNewYorkTimeOnWeekdaysOnly() throws Exception {
        // Thursday 1 January 2026, 08:00 in New York.
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 1, 1, 8, 0, 0, 0, NEW_YORK)).build();
        var bot = Machina.builder().clock(clock).build();
        List<String> runs = new ArrayList<>();
        bot.emit("rebalance", EmitOptions.schedule(Schedule.cron("0 9 * * MON-FRI", NEW_YORK)).count(4),
                event -> runs.add(event.now().atZone(NEW_YORK).toLocalDateTime() + " due "
                        + event.scheduledAt().atZone(NEW_YORK).toLocalDateTime() + " late " + event.lateness()));

        bot.run();

        assertEquals(List.of(
                "2026-01-01T09:00 due 2026-01-01T09:00 late PT0S",
                "2026-01-02T09:00 due 2026-01-02T09:00 late PT0S",
                "2026-01-05T09:00 due 2026-01-05T09:00 late PT0S",
                "2026-01-06T09:00 due 2026-01-06T09:00 late PT0S"), runs);
    }

    @Test
    void anIterationThatRunsPastTheNextInstantIsFollowedByOneLateIterationNotABurst() throws Exception {
        var zone = ZoneId.of("Europe/Paris");
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, zone)).build();
        var bot = Machina.builder().clock(clock).build();
        List<String> runs = new ArrayList<>();
        bot.emit("report", EmitOptions.schedule(Schedule.cron("*/10 * * * *", zone)).count(3), event -> {
            runs.add(event.now().atZone(zone).toLocalTime() + " due " + event.scheduledAt().atZone(zone).toLocalTime());
            if (event.epoch() == 1) {
                event.sleep(Duration.ofMinutes(35)); // past 09:10, 09:20 and 09:30
            }
        });

        bot.run();

        assertEquals(List.of("09:00 due 09:00", "09:35 due 09:10", "09:40 due 09:40"), runs);
    }
}
