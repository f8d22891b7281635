package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Schedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ten virtual years of "weekdays at 09:00" in 20 zones, daylight saving and all: each zone runs once
 * on each weekday of 2026-2035, at 09:00 local time, and on no other day. No timing is asserted: the
 * build's test time shows it is fast.
 */
class CronTenYearsTest {

    private static final List<ZoneId> ZONES = List.of("UTC", "Europe/Paris", "Europe/London", "Africa/Cairo",
            "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Australia/Sydney", "Australia/Lord_Howe",
            "Pacific/Auckland", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York",
            "America/Los_Angeles", "America/St_Johns", "America/Santiago", "America/Havana", "Atlantic/Azores")
            .stream().map(ZoneId::of).toList();

    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);
    private static final LocalDate END = LocalDate.of(2036, 1, 1);

    @Test
    void tenVirtualYearsOfWeekdayMorningsInTwentyZonesRunOnceOnEachWeekday() throws Exception {
        // Before 1 January 2026 begins anywhere (Kiritimati is UTC+14).
        var clock = VirtualClock.builder().start(Instant.parse("2025-12-31T00:00:00Z")).build();
        var bot = Machina.builder().clock(clock).build();
        Map<ZoneId, List<ZonedDateTime>> runs = new LinkedHashMap<>();
        for (ZoneId zone : ZONES) {
            List<ZonedDateTime> here = new ArrayList<>();
            runs.put(zone, here);
            bot.emit("open " + zone, EmitOptions.schedule(Schedule.cron("0 9 * * MON-FRI", zone)),
                    event -> here.add(event.now().atZone(zone)));
        }

        Launched running = clock.launch(bot::run);
        // Until 2 January 2036 UTC, after the last 1 January 2036 ends (Pago Pago is UTC-11).
        clock.advance(Duration.between(clock.now(), Instant.parse("2036-01-02T00:00:00Z")));
        bot.stop();
        running.join();

        List<LocalDate> weekdays = FIRST.datesUntil(END)
                .filter(d -> d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY)
                .toList();
        assertEquals(2608, weekdays.size(), "weekdays in 2026-2035, counted on the calendar");
        for (var entry : runs.entrySet()) {
            List<ZonedDateTime> inDecade = entry.getValue().stream()
                    .filter(t -> !t.toLocalDate().isBefore(FIRST) && t.toLocalDate().isBefore(END)).toList();
            assertEquals(weekdays, inDecade.stream().map(ZonedDateTime::toLocalDate).toList(), entry.getKey().toString());
            assertEquals(List.of(LocalTime.of(9, 0)),
                    inDecade.stream().map(ZonedDateTime::toLocalTime).distinct().toList(), entry.getKey().toString());
        }
    }
}
