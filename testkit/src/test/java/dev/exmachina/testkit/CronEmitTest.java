package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
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

    @Test
    void aSkippingScheduleWaitsForTheNextInstantAfterAnOverrun() throws Exception {
        var zone = ZoneId.of("Europe/Paris");
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, zone)).build();
        List<String> reported = new ArrayList<>();
        var bot = Machina.builder().clock(clock).listener(new BotListener() {
            @Override
            public void onIterationSkipped(BotEvent.IterationSkipped event) {
                reported.add(event.emit() + " skipped, due " + event.late() + " ago");
            }

            @Override
            public void onIterationOverran(BotEvent.IterationOverran event) {
                reported.add(event.emit() + " overran by " + event.lag());
            }
        }).build();
        List<String> runs = new ArrayList<>();
        var schedule = Schedule.cron("*/10 * * * *", zone).misfire(Schedule.Misfire.SKIP);
        bot.emit("report", EmitOptions.schedule(schedule).count(3), event -> {
            runs.add(event.now().atZone(zone).toLocalTime() + " due " + event.scheduledAt().atZone(zone).toLocalTime());
            if (event.epoch() == 1) {
                event.sleep(Duration.ofMinutes(35));
            }
        });

        bot.run();

        assertEquals(List.of("09:00 due 09:00", "09:40 due 09:40", "09:50 due 09:50"), runs);
        assertEquals(List.of("report skipped, due PT25M ago"), reported, "one skip for 09:10-09:30, reported once");
    }

    @Test
    void aLateIterationWithinTheToleranceRunsEvenWhenSkipping() throws Exception {
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 5, 4, 9, 0, 0, 0, ZoneId.of("UTC"))).build();
        var bot = Machina.builder().clock(clock).build();
        List<String> runs = new ArrayList<>();
        var schedule = Schedule.cron("* * * * * *", ZoneId.of("UTC")).misfire(Schedule.Misfire.SKIP)
                .tolerance(Duration.ofMillis(500));
        bot.emit("tick", EmitOptions.schedule(schedule).count(3), event -> {
            runs.add(clock.elapsed().toMillis() + " late " + event.lateness().toMillis());
            event.sleep(Duration.ofMillis(event.epoch() == 1 ? 1_300 : 1_700));
        });

        bot.run();

        // 1.3 s: the instant of 1 s is 300 ms late, within 500 ms: it runs. 3 s: the instant of 2 s is
        // 1 s late and skipped; the instant of 3 s is on time.
        assertEquals(List.of("0 late 0", "1300 late 300", "3000 late 0"), runs);
    }

    @Test
    void aFixedRateThatSkipsKeepsToItsGrid() throws Exception {
        var clock = VirtualClock.create();
        var bot = Machina.builder().clock(clock).build();
        List<Long> skipping = new ArrayList<>();
        List<Long> runningOnce = new ArrayList<>();
        var rate = Schedule.fixedRate(Duration.ofSeconds(10));
        bot.emit("skips", EmitOptions.schedule(rate.misfire(Schedule.Misfire.SKIP)).count(3), event -> {
            skipping.add(clock.elapsed().toSeconds());
            event.sleep(Duration.ofSeconds(event.epoch() == 1 ? 25 : 1));
        });
        bot.emit("runs once", EmitOptions.schedule(rate).count(3), event -> {
            runningOnce.add(clock.elapsed().toSeconds());
            event.sleep(Duration.ofSeconds(event.epoch() == 1 ? 25 : 1));
        });

        bot.run();

        assertEquals(List.of(0L, 30L, 40L), skipping, "10 s and 20 s are skipped; the grid goes on");
        assertEquals(List.of(0L, 25L, 35L), runningOnce, "one late run at 25 s, the rate counted from it");
    }

    @Test
    void aWallClockJumpForwardMakesOneLateIterationOrASkip() throws Exception {
        for (Schedule.Misfire misfire : Schedule.Misfire.values()) {
            var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 5, 4, 10, 0, 0, 0, ZoneId.of("UTC"))).build();
            var wall = new ShiftedWallClock(clock);
            var bot = Machina.builder().clock(wall).build();
            List<String> runs = new ArrayList<>();
            bot.emit("hourly", EmitOptions.schedule(Schedule.cron("@hourly", ZoneId.of("UTC")).misfire(misfire)).count(3),
                    event -> runs.add(hhmm(event.now()) + " due " + hhmm(event.scheduledAt()) + " late " + event.lateness()));
            Launched running = clock.launch(bot::run);
            clock.advance(Duration.ofMinutes(30));
            wall.shift(Duration.ofMinutes(150)); // at 10:30 the wall clock jumps to 13:00
            clock.advance(Duration.ofHours(3));
            running.join();

            // The wait for 11:00 ends on the monotonic clock, at 13:30 on the wall: 2 h 30 late.
            assertEquals(misfire == Schedule.Misfire.RUN_ONCE
                            ? List.of("10:00 due 10:00 late PT0S", "13:30 due 11:00 late PT2H30M", "14:00 due 14:00 late PT0S")
                            : List.of("10:00 due 10:00 late PT0S", "14:00 due 14:00 late PT0S", "15:00 due 15:00 late PT0S"),
                    runs, misfire.name());
        }
    }

    @Test
    void aWallClockThatGoesBackMakesTheEmitWaitUntilTheScheduledInstant() throws Exception {
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 5, 4, 10, 0, 0, 0, ZoneId.of("UTC"))).build();
        var wall = new ShiftedWallClock(clock);
        var bot = Machina.builder().clock(wall).build();
        List<String> runs = new ArrayList<>();
        bot.emit("hourly", EmitOptions.schedule(Schedule.cron("@hourly", ZoneId.of("UTC"))).count(2),
                event -> runs.add(hhmm(event.now()) + " after " + clock.elapsed()));
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofMinutes(30));
        wall.shift(Duration.ofHours(-1)); // at 10:30 the wall clock goes back to 09:30
        clock.advance(Duration.ofHours(3));
        running.join();

        assertEquals(List.of("10:00 after PT0S", "11:00 after PT2H"), runs);
    }

    @Test
    void aQuarterHourlyEmitHasNoHoleAndNoDoubledRunAcrossParisTransitions() throws Exception {
        var paris = ZoneId.of("Europe/Paris");
        for (String start : List.of("2026-03-28T23:00:00Z", "2026-10-24T23:00:00Z")) {
            var clock = VirtualClock.builder().start(java.time.Instant.parse(start)).build();
            var bot = Machina.builder().clock(clock).build();
            List<java.time.Instant> runs = new ArrayList<>();
            bot.emit("quarter", EmitOptions.schedule(Schedule.cron("*/15 * * * *", paris)), event -> runs.add(event.now()));
            Launched running = clock.launch(bot::run);
            clock.advance(Duration.ofHours(4)); // 00:00 to 04:00 or 05:00 in Paris, across 01:00Z
            bot.stop();
            running.join();

            assertEquals(16, runs.size(), () -> start + ": " + runs);
            for (int i = 1; i < runs.size(); i++) {
                assertEquals(Duration.ofMinutes(15), Duration.between(runs.get(i - 1), runs.get(i)), start + ": " + runs);
            }
        }
    }

    @Test
    void aStopDuringTheWaitForTheFirstInstantEndsTheEmitWithNoIteration() throws Exception {
        var clock = VirtualClock.builder().start(ZonedDateTime.of(2026, 1, 3, 8, 0, 0, 0, NEW_YORK)).build(); // a Saturday
        var bot = Machina.builder().clock(clock).build();
        List<String> runs = new ArrayList<>();
        var emit = bot.emit("rebalance", EmitOptions.schedule(Schedule.cron("0 9 * * MON-FRI", NEW_YORK)),
                event -> runs.add(event.now().toString()));
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofHours(12));
        assertTrue(emit.isAlive(), "waiting for Monday 09:00");

        bot.stop();
        running.join();

        assertEquals(List.of(), runs);
        assertFalse(emit.isAlive());
    }

    private static String hhmm(java.time.Instant instant) {
        return instant.atZone(ZoneId.of("UTC")).toLocalTime().toString();
    }
}
