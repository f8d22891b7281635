package dev.exmachina.spring;

import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.redis.RedisGroups;
import dev.exmachina.redis.RedisLeases;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sharing through Redis, when {@code exmachina-redis} is on the class path, the context has a Jedis
 * client ({@link UnifiedJedis}: a {@code RedisClient}, a {@code JedisPooled}) and
 * {@code exmachina.redis.enabled} is true (the default): the bot's groups are {@link RedisGroups}
 * (their limits hold for every process with the same {@code exmachina.redis.prefix}) and singleton
 * emits take their leases from {@link RedisLeases}. The client stays the application's. Shared groups
 * run on the system clock only: a {@code VirtualClock} bean and sharing do not go together.
 */
@AutoConfiguration(before = MachinaAutoConfiguration.class)
@ConditionalOnClass({RedisGroups.class, UnifiedJedis.class})
@ConditionalOnBean(UnifiedJedis.class)
@ConditionalOnBooleanProperty(name = "exmachina.redis.enabled", matchIfMissing = true)
public final class MachinaRedisAutoConfiguration {

    /** Made by Spring. */
    public MachinaRedisAutoConfiguration() {}

    /**
     * The shared groups, closed with the context (the client is not).
     *
     * @param jedis the context's client
     * @param properties the prefix and the lease time to live
     * @return the group backend the bot is built with
     */
    @Bean
    @ConditionalOnMissingBean(GroupBackend.class)
    public RedisGroups exmachinaRedisGroups(UnifiedJedis jedis, MachinaProperties properties) {
        return RedisGroups.builder(jedis).prefix(properties.getRedis().getPrefix())
                .leaseTtl(properties.getRedis().getLeaseTtl()).build();
    }

    /**
     * The leases of singleton emits.
     *
     * @param jedis the context's client
     * @param properties the prefix and the singleton lease time to live
     * @return where {@code @Emit(singleton = true)} takes its lease
     */
    @Bean
    @ConditionalOnMissingBean
    public EmitLeases exmachinaEmitLeases(UnifiedJedis jedis, MachinaProperties properties) {
        RedisLeases leases = RedisLeases.builder(jedis).prefix(properties.getRedis().getPrefix())
                .ttl(properties.getRedis().getSingletonTtl()).build();
        return leases::lease;
    }
}
