package dev.exmachina.redis;

import dev.exmachina.core.Machina;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/** A bot on a fresh RedisGroups (its own client): what one process of the fleet has. */
record Node(RedisClient client, RedisGroups groups, Machina bot) implements AutoCloseable {
    static Node of(RedisServer server, String prefix, Duration ttl) {
        RedisClient client = RedisClient.create("127.0.0.1", server.port());
        RedisGroups groups = RedisGroups.builder(client).prefix(prefix).leaseTtl(ttl).build();
        return new Node(client, groups, Machina.builder().groupBackend(groups).build());
    }

    @Override
    public void close() {
        bot.close();
        groups.close();
        client.close();
    }
}
