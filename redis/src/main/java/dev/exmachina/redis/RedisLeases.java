package dev.exmachina.redis;

import dev.exmachina.core.spi.EmitLease;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * Leases for singleton emits: only one process of a fleet runs an emit at a time.
 *
 * <pre>{@code
 * var leases = RedisLeases.builder(redis).prefix("trading").ttl(Duration.ofSeconds(5)).build();
 * bot.emit("rebalance", EmitOptions.every("1m").singleton(leases.lease("rebalance")), event -> {
 *     portfolio.rebalance(event.fencingToken().orElseThrow());
 * });
 * }</pre>
 *
 * <p>A lease is one Redis key, {@code <prefix>:lease:<name>}, holding the holder's token and id with a
 * time to live ({@link Builder#ttl}, 10 s by default), and a counter {@code <prefix>:lease:<name>:token}.
 * Taking a free lease increments the counter ({@code INCR}, in the same script), so the fencing token
 * strictly increases with each new holder across the fleet, and stays the same while one holder keeps
 * it. The holder renews it every third of the time to live while its emit runs (a timer of the bot
 * clock). If the holder dies, the key expires: another process takes over within one time to live plus
 * one interval of the emit.
 *
 * <p>If Redis cannot be reached, taking the lease fails and the iteration is skipped (fail closed); a
 * renewal that fails lets the iteration under way finish and the next one runs only if the lease is
 * taken again (see {@link dev.exmachina.core.EmitOptions#singleton}).
 *
 * <p><b>Concurrency.</b> Thread-safe. Each {@link #lease} call makes a distinct holder: give each emit
 * its own.
 */
public final class RedisLeases {

    private final String prefix;
    private final long ttlMillis;
    private final Scripts scripts;
    private final String processId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final AtomicLong holders = new AtomicLong();

    private RedisLeases(Builder builder) {
        this.prefix = builder.prefix;
        this.ttlMillis = builder.ttl.toMillis();
        this.scripts = new Scripts(builder.jedis, 0);
    }

    /**
     * A builder over {@code jedis}, which stays the caller's.
     *
     * @param jedis the client every lease call goes through
     * @return a builder with the prefix {@code "exmachina"} and a TTL of 10 s
     */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(jedis);
    }

    /** Builds {@link RedisLeases}. Not thread-safe. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private String prefix = "exmachina";
        private Duration ttl = Duration.ofSeconds(10);

        private Builder(UnifiedJedis jedis) {
            this.jedis = Objects.requireNonNull(jedis, "jedis");
        }

        /**
         * The prefix of every key ({@code "exmachina"} by default): processes sharing leases use
         * the same.
         *
         * @param prefix the namespace of this fleet's keys
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Settings.prefix(prefix);
            return this;
        }

        /**
         * How long a lease lives without renewal (10 s by default, at least 100 ms); renewed every
         * third of it. A holder that dies is replaced within this time plus one interval.
         *
         * @param ttl the lease's time to live
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Settings.ttl(ttl, "ttl");
            return this;
        }

        /**
         * Makes the leases; their scripts are loaded on first use.
         *
         * @return the leases
         */
        public RedisLeases build() {
            return new RedisLeases(this);
        }
    }

    /**
     * A new holder of the lease named {@code name}, for {@code EmitOptions.singleton}.
     *
     * @param name the lease's name, shared by every process that runs the emit
     * @return a lease for one emit of this process
     * @throws IllegalArgumentException if the name is blank
     */
    public EmitLease lease(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("lease name must not be blank, was \"" + name + "\"");
        }
        return new Lease(name, processId + "-" + holders.incrementAndGet());
    }

    private final class Lease implements EmitLease {
        private final String name;
        private final String holder;
        private final List<String> keys;
        private final List<String> names;

        Lease(String name, String holder) {
            this.name = name;
            this.holder = holder;
            String key = prefix + ":lease:" + name;
            this.keys = List.of(key, key + ":token");
            this.names = List.of("lease " + name);
        }

        @Override
        public OptionalLong tryAcquire() {
            long token = scripts.ask(LeaseScripts.LEASE_ACQUIRE, keys, List.of(holder, Long.toString(ttlMillis)), names,
                    "take singleton lease '" + name + "'", a -> (Long) a);
            return token < 0 ? OptionalLong.empty() : OptionalLong.of(token);
        }

        @Override
        public boolean renew() {
            return keep("renew");
        }

        @Override
        public void release() {
            keep("release");
        }

        private boolean keep(String what) {
            return scripts.tell(LeaseScripts.LEASE_KEEP, keys.subList(0, 1), List.of(holder, Long.toString(ttlMillis), what),
                    names, what + " singleton lease '" + name + "'", a -> (Long) a == 1L);
        }

        @Override
        public Duration renewEvery() {
            return Duration.ofMillis(Math.max(1, ttlMillis / 3));
        }

        @Override
        public String toString() {
            return "Redis lease '" + name + "' (holder " + holder + ")";
        }
    }
}
