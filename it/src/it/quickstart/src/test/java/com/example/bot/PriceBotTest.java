package com.example.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.testkit.VirtualClock;
import dev.exmachina.testkit.VirtualClockExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VirtualClockExtension.class)
class PriceBotTest {
    @Test
    void pollsEveryMinuteAndRetriesAFailure(VirtualClock clock) throws Exception {
        var calls = new AtomicInteger();
        var bot = new PriceBot(clock, symbol -> {
            if (calls.incrementAndGet() == 2) throw new IOException("connection reset");
            return 100.0 + calls.get();
        }, 3);

        bot.run();   // a day of polls would take milliseconds too

        assertEquals(List.of(101.0, 103.0, 104.0), bot.prices());
        // polls at 0 and 1 min (+5 s retry wait), then 1 min after that iteration ended
        assertEquals(Duration.ofMinutes(2).plusSeconds(5), clock.elapsed());
    }
}
