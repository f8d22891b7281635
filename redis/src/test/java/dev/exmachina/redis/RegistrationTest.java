package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Bad input to the Redis module is refused when it is given, naming the value; no Redis is asked. */
class RegistrationTest {

    // Nothing here talks to Redis: the client connects on first use, and no test uses it.
    private final RedisClient unused = RedisClient.create("127.0.0.1", 1);

    @AfterEach
    void closeClient() {
        unused.close();
    }

    @Test
    void aTtlTooShortIsRefusedNamingIt() {
        var groups = assertThrows(IllegalArgumentException.class,
                () -> RedisGroups.builder(unused).leaseTtl(Duration.ofMillis(50)));
        assertEquals("leaseTtl must be at least 100ms, was 50ms", groups.getMessage());
        var leases = assertThrows(IllegalArgumentException.class,
                () -> RedisLeases.builder(unused).ttl(Duration.ofMillis(-1)));
        assertTrue(leases.getMessage().endsWith("was PT-0.001S"), leases.getMessage());
    }

    @Test
    void aBlankPrefixOrLeaseNameIsRefused() {
        var prefix = assertThrows(IllegalArgumentException.class, () -> RedisGroups.builder(unused).prefix(" "));
        assertEquals("prefix must not be blank, was \" \"", prefix.getMessage());
        var name = assertThrows(IllegalArgumentException.class, () -> RedisLeases.builder(unused).build().lease(""));
        assertEquals("lease name must not be blank, was \"\"", name.getMessage());
    }

    @Test
    void aBotOnAVirtualClockIsRefusedAndNothingIsRegistered() {
        try (var groups = RedisGroups.builder(unused).build()) {
            var onVirtualTime = Machina.builder().clock(VirtualClock.create()).groupBackend(groups).build();
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> onVirtualTime.concurrentGroup("api", GroupLimits.concurrency(2)));
            assertTrue(refused.getMessage().startsWith("shared group 'api' needs a bot on BotClock.system(), not "),
                    refused.getMessage());
            var unknown = assertThrows(IllegalArgumentException.class,
                    () -> onVirtualTime.execute("call", ExecuteOptions.groups("api"), x -> x));
            assertTrue(unknown.getMessage().contains("'api'"), "the bot did not keep the group: " + unknown.getMessage());
            onVirtualTime.close();

            // The same name with other limits is not refused later: the refused registration left nothing.
            try (var bot = Machina.builder().groupBackend(groups).build()) {
                assertEquals(GroupLimits.concurrency(3), bot.concurrentGroup("api", GroupLimits.concurrency(3)).limits());
            }
        }
    }

    @Test
    void theSameGroupWithOtherLimitsIsRefusedNamingBoth() {
        try (var groups = RedisGroups.builder(unused).build();
                var a = Machina.builder().groupBackend(groups).build();
                var b = Machina.builder().groupBackend(groups).build()) {
            a.concurrentGroup("api", GroupLimits.concurrency(2));
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> b.concurrentGroup("api", GroupLimits.concurrency(3)));
            assertTrue(refused.getMessage().contains("concurrency=2") && refused.getMessage().contains("concurrency=3"),
                    refused.getMessage());
        }
    }
}
