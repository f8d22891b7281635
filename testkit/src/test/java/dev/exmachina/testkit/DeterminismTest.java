package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The same test gives the same trace every run; a seed picks a different, again reproducible, one. */
class DeterminismTest {

    /**
     * Three emits fork executes through a rate-limited, concurrency-limited group; one execute
     * fails two attempts in three and retries with random jitter. Returns every event with its
     * virtual instant.
     */
    static List<String> scenario(VirtualClock clock) throws Exception {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(3).perWindow(4, Duration.ofSeconds(1)));
        int[] calls = {0};
        Execute<String, String> fetch = bot.execute("fetch",
                ExecuteOptions.groups("api").retry(Retry.of(
                        RetryRule.exponentialAndJitter(IOException.class).base(Duration.ofMillis(100)).retries(20))),
                symbol -> {
                    int n = ++calls[0];
                    trace.add(clock.elapsed().toNanos() + " fetch " + symbol + " #" + n);
                    clock.sleep(Duration.ofMillis(50 + (n * 37) % 200));
                    if (n % 3 != 0) { // two attempts in three fail: retries beyond the first draw jitter
                        throw new IOException("flaky " + n);
                    }
                    return symbol + n;
                });
        for (String symbol : List.of("BTC", "ETH", "XRP")) {
            bot.emit("poll-" + symbol, EmitOptions.every("1s").count(6), event -> {
                var a = event.execute(fetch, symbol);
                var b = event.execute(fetch, symbol.toLowerCase());
                trace.add(clock.elapsed().toNanos() + " " + event.name() + " " + event.epoch() + " got " + a.join() + "," + b.join());
            });
        }
        bot.run();
        trace.add("end " + clock.elapsed().toNanos());
        return trace;
    }

    @Test
    void testsThatTheSameScenarioGivesOneTraceIn200Runs() throws Exception {
        List<String> first = scenario(VirtualClock.create());
        assertTrue(first.size() > 50, "a non-trivial scenario: " + first.size() + " events");
        for (int run = 1; run < 200; run++) {
            assertEquals(first, scenario(VirtualClock.create()), "run " + run + " differs");
        }
    }

    @Test
    void testsThatADifferentSeedGivesADifferentButReproducibleTrace() throws Exception {
        List<String> seed0 = scenario(VirtualClock.builder().seed(0).build());
        List<String> seed7 = scenario(VirtualClock.builder().seed(7).build());
        assertNotEquals(seed0, seed7, "the retry jitter is drawn from the seed");
        assertEquals(seed7, scenario(VirtualClock.builder().seed(7).build()));
    }

    @Test
    void testsThatShuffledInterleavingsDifferBySeedAndEachIsReproducible() throws Exception {
        Set<List<String>> distinct = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            List<String> trace = scenario(VirtualClock.builder().seed(42).shuffle(true).build());
            assertEquals(trace, scenario(VirtualClock.builder().seed(42).shuffle(true).build()));
            distinct.add(scenario(VirtualClock.builder().seed(seed).shuffle(true).build()));
        }
        assertTrue(distinct.size() > 1, "different seeds explore different interleavings");
    }
}
