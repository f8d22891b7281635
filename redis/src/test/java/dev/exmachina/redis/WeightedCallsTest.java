package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls with a cost through shared groups, against a real redis-server: a concurrency limit takes a
 * weighted call as any call; a shared window cannot count a cost yet and says so, naming the group.
 */
@ExtendWith(RedisServer.class)
@Tag("realtime") // a redis-server process of its own and real time: in -Pfull (CI), not the quick build
class WeightedCallsTest {

    @Test
    void aWeightedCallTakesOneSlotOfASharedConcurrencyLimit(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "k1", Duration.ofSeconds(5))) {
            a.bot().concurrentGroup("api", GroupLimits.concurrency(1));
            Execute<Integer, Long> call = a.bot().execute("call", ExecuteOptions.groups("api").cost(250),
                    x -> a.groups().fleetInFlight("api"));
            assertEquals(1L, call.call(0), "the call held one slot while it ran");
            assertEquals(0L, a.groups().fleetInFlight("api"), "and gave it back");
        }
    }

    @Test
    void aWeightedCallThroughASharedWindowIsRefusedNamingTheGroup(RedisServer server) throws Exception {
        try (Node a = Node.of(server, "k2", Duration.ofSeconds(5))) {
            a.bot().concurrentGroup("api", GroupLimits.concurrency(2).perWindow(1_000, Duration.ofSeconds(1)));
            Execute<Integer, Integer> call = a.bot().execute("call", ExecuteOptions.groups("api").cost(250), x -> x);
            var refused = assertThrows(UnsupportedOperationException.class, () -> call.call(0));
            assertTrue(refused.getMessage().contains("'api'") && refused.getMessage().contains("250"), refused.getMessage());
            assertEquals(0L, a.groups().fleetInFlight("api"), "nothing held after the refusal");
        }
    }
}
