package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The virtual clock works with both scopes; the build runs this suite once with each. */
@ExtendWith(VirtualClockExtension.class)
class ScopeChoiceTest {

    /**
     * Tests that this run uses the scope the build asked for (StructuredTaskScope with
     * {@code --enable-preview}, plain virtual threads without) and that forks and intervals keep
     * their exact virtual instants on it.
     */
    @Test
    void testsThatThisRunUsesTheExpectedScopeAndKeepsExactTime(VirtualClock clock) throws Exception {
        String expected = System.getProperty("exmachina.expectedScope");
        assumeTrue(expected != null, "run outside the build's two test executions");
        var bot = Machina.builder().clock(clock).build();
        assertEquals(expected, bot.usesJdkStructuredConcurrency() ? "structured" : "plain");

        var slow = bot.execute("slow", ExecuteOptions.defaults(), (Integer ms) -> {
            clock.sleep(Duration.ofMillis(ms));
            return clock.elapsed().toMillis();
        });
        List<Long> ends = new ArrayList<>();
        bot.emit("tick", EmitOptions.every("1s").count(2), event -> {
            var a = event.execute(slow, 300);
            var b = event.execute(slow, 100);
            ends.add(b.join());
            ends.add(a.join());
        });
        bot.run();
        assertEquals(List.of(100L, 300L, 1_400L, 1_600L), ends);
    }
}
