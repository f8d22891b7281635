package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VirtualClockExtension.class)
class VirtualTimeTest {

    @Test
    void testsThatADayOfHourlyTicksRunsInVirtualTime(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> seen = new ArrayList<>();
        bot.emit("hourly", EmitOptions.every("1h").count(24), event ->
                seen.add(event.epoch() + "@" + clock.elapsed().toHours()));
        long realStart = System.nanoTime();

        bot.run();

        long realMillis = (System.nanoTime() - realStart) / 1_000_000;
        assertEquals(24, seen.size());
        assertEquals("1@0", seen.get(0));
        assertEquals("24@23", seen.get(23));
        assertEquals(Duration.ofHours(23), clock.elapsed());
        assertTrue(realMillis < 1000, "took " + realMillis + " ms of real time");
    }
}
