package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.core.Event;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Spring Boot application whose bot has hourly emits, tested the way an application would test
 * it: its own context, a {@link VirtualClock} bean in place of the system clock, a day driven in
 * virtual time. The wall time is printed, not asserted.
 */
@SpringBootTest(classes = VirtualDayTest.HourlyApplication.class,
        properties = {"exmachina.name=hourly", "spring.main.banner-mode=off"})
@DirtiesContext
class VirtualDayTest {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(HourlyEmits.class)
    static class HourlyApplication {
        @Bean
        VirtualClock virtualClock() {
            return VirtualClock.create();
        }
    }

    static class HourlyEmits {
        final List<String> reports = new CopyOnWriteArrayList<>();
        final List<String> sweeps = new CopyOnWriteArrayList<>();

        @Emit(name = "report", every = "1h")
        void report(Event event) {
            reports.add(event.now().toString());
        }

        @Emit(name = "sweep", every = "1h", mode = dev.exmachina.core.EmitMode.ENTIRE)
        void sweep(Event event) throws InterruptedException {
            event.sleep(Duration.ofMinutes(10));
            sweeps.add(event.now().toString());
        }
    }

    @Autowired
    VirtualClock clock;

    @Autowired
    HourlyEmits emits;

    @Test
    void aBotWithHourlyEmitsRunsTwentyFourVirtualHours() {
        long start = System.nanoTime();

        clock.advance(Duration.ofHours(24));

        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("24 virtual hours of the hourly bot took " + wall.toMillis() + " ms of wall time");
        // the first iteration at +0, one an hour after it: +0 .. +23h
        assertThat(emits.reports).hasSize(24).startsWith("2026-01-01T00:00:00Z").endsWith("2026-01-01T23:00:00Z");
        // fixed rate: starts on the hour, each ends ten minutes later
        assertThat(emits.sweeps).hasSize(24).startsWith("2026-01-01T00:10:00Z").endsWith("2026-01-01T23:10:00Z");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofHours(24));
    }
}
