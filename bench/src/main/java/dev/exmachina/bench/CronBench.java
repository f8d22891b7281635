package dev.exmachina.bench;

import dev.exmachina.core.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.scheduling.support.CronExpression;

/**
 * P9: the next time of a cron expression in a zone, from 1,024 random instants of 2026-2030 taken in
 * turn: ours ({@code Schedule.Cron.next}, daylight-saving rule included) beside Spring's
 * {@code CronExpression.next} (spring-context 7.0), which is handed the same instants already as
 * {@code ZonedDateTime}s. Sampled, for the median.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CronBench {

    /** Expression (six fields, as Spring wants them) and zone, separated by '|'. */
    @Param({"0 0 9 * * MON-FRI|America/New_York", "0 */15 * * * *|Europe/Paris", "0 0 0 * * *|Africa/Cairo",
            "0 30 2 L * ?|Australia/Lord_Howe", "*/10 * 8-18 ? * MON#2|Asia/Tokyo"})
    public String cron;

    private Schedule.Cron ours;
    private CronExpression spring;
    private final Instant[] instants = new Instant[1024];
    private final ZonedDateTime[] zoned = new ZonedDateTime[1024];
    private int next;

    @Setup
    public void setUp() {
        String[] parts = cron.split("\\|");
        ZoneId zone = ZoneId.of(parts[1]);
        ours = Schedule.cron(parts[0], zone);
        spring = CronExpression.parse(parts[0]);
        var random = new SplittableRandom(9);
        for (int i = 0; i < instants.length; i++) {
            instants[i] = Instant.ofEpochSecond(random.nextLong(1_767_225_600L, 1_924_992_000L));
            zoned[i] = instants[i].atZone(zone);
        }
    }

    @Benchmark
    public Instant ours() {
        return ours.next(instants[next++ & 1023]);
    }

    @Benchmark
    public ZonedDateTime spring() {
        return spring.next(zoned[next++ & 1023]);
    }
}
