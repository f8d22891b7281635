package dev.exmachina.bench;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.redis.RedisGroups;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;

/**
 * P7: one uncontended call through a limit shared on Redis (decision and release), next to
 * Bucket4j's Redis backend over Jedis (compare-and-swap) and Redisson's {@code RRateLimiter}, all on
 * one redis-server on loopback that the benchmark starts itself ({@code redis-server} on the PATH;
 * no persistence). The limits are never reached: this measures the round trips and the scripts.
 * {@code ping} is one bare round trip, the floor of any of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview", "-Xms512m", "-Xmx512m", "-Dslf4j.internal.verbosity=ERROR"})
public class SharedGroupBench {

    static final int RATE = 1_000_000_000;

    private LocalRedis server;
    private RedisClient jedis;
    private RedisGroups groups;
    private Machina bot;
    private Execute<Integer, Integer> slotAndWindow;
    private Execute<Integer, Integer> windowOnly;
    private Execute<Integer, Integer> slotOnly;
    private Execute<Integer, Integer> completionWindow;
    private Bucket bucket4j;
    private RedissonClient redisson;
    private RRateLimiter redissonLimiter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = LocalRedis.start();
        jedis = RedisClient.create("127.0.0.1", server.port());

        groups = RedisGroups.builder(jedis).prefix("bench").build();
        bot = Machina.builder().groupBackend(groups).build();
        bot.concurrentGroup("both", GroupLimits.concurrency(1_000).perWindow(RATE, Duration.ofSeconds(1)));
        bot.concurrentGroup("window", GroupLimits.unlimited().perWindow(RATE, Duration.ofMillis(1)));
        bot.concurrentGroup("slots", GroupLimits.concurrency(1_000));
        bot.concurrentGroup("completion", GroupLimits.unlimited().perWindow(RATE, Duration.ofSeconds(1)).anchoredAtCompletion());
        slotAndWindow = bot.execute("both", ExecuteOptions.groups("both"), x -> x);
        windowOnly = bot.execute("window", ExecuteOptions.groups("window"), x -> x);
        slotOnly = bot.execute("slots", ExecuteOptions.groups("slots"), x -> x);
        completionWindow = bot.execute("completion", ExecuteOptions.groups("completion"), x -> x);

        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(RATE).refillGreedy(RATE, Duration.ofSeconds(1)))
                .build();
        bucket4j = Bucket4jJedis.casBasedBuilder(jedis).build().builder()
                .build("bench:bucket4j".getBytes(StandardCharsets.UTF_8), () -> configuration);

        Config config = new Config();
        config.useSingleServer().setAddress(server.url()).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4);
        redisson = Redisson.create(config);
        redissonLimiter = redisson.getRateLimiter("bench:redisson");
        redissonLimiter.trySetRate(RateType.OVERALL, RATE, Duration.ofSeconds(1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        redisson.shutdown();
        bot.close();
        groups.close();
        jedis.close();
        server.close();
    }

    /** One bare round trip: the floor. */
    @Benchmark
    public String ping() {
        return jedis.ping();
    }

    /** A shared group with a slot and a sliding window: acquire script, handler, release script. */
    @Benchmark
    public Integer exmachinaSlotAndWindow() throws Exception {
        return slotAndWindow.call(1);
    }

    /** Concurrency only: acquire script, handler, release script. */
    @Benchmark
    public Integer exmachinaSlotOnly() throws Exception {
        return slotOnly.call(1);
    }

    /** A sliding window anchored at completion: acquire script, handler, release script (the end is recorded). */
    @Benchmark
    public Integer exmachinaCompletionWindow() throws Exception {
        return completionWindow.call(1);
    }

    /** A sliding window only: one script (nothing to release). */
    @Benchmark
    public Integer exmachinaWindowOnly() throws Exception {
        return windowOnly.call(1);
    }

    /** Bucket4j's Redis backend over the same Jedis client: a token bucket (no concurrency limit). */
    @Benchmark
    public boolean bucket4jJedis() {
        return bucket4j.tryConsume(1);
    }

    /** Redisson's rate limiter (a sliding window; no concurrency limit), over its own Netty client. */
    @Benchmark
    public boolean redissonRateLimiter() {
        return redissonLimiter.tryAcquire();
    }
}
