package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupEvents;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A group backend whose concurrent groups are shared by every process that uses the same Redis and
 * key prefix: their limits hold for the whole fleet.
 *
 * <pre>{@code
 * var redis = RedisClient.create("redis://127.0.0.1:6379");          // Jedis 7+ (JedisPooled before)
 * var groups = RedisGroups.builder(redis).prefix("trading").build();
 * var bot = Machina.builder().groupBackend(groups).build();
 * bot.concurrentGroup("exchange", GroupLimits.concurrency(4).perWindow(20, Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p><b>What holds across processes.</b> Every decision is one Lua script on Redis, atomic, on Redis
 * server time ({@code TIME}): for all an execute's groups at once it takes a slot of each (a lease in a
 * sorted set of lease ids scored by their expiry) and reserves the earliest start every sliding window
 * allows (a sorted set of start instants, reservations included). So, fleet-wide: at most
 * {@code concurrency} live leases per group, and at most {@code callsPerWindow} starts in any interval
 * of length {@code window} of Redis time. A reserved start is converted to the bot clock (the offset
 * between Redis time and the bot clock at the decision), and the attempt sleeps on its clock until
 * then: nobody polls for window starts. When it wakes, the start is stamped again on Redis at the
 * instant its thread runs (one more script call), so a thread woken late counts when it starts; if
 * earlier late starts fill a window there, it moves later by as much. Every process must register a
 * group with the same limits.
 *
 * <p><b>Several windows, changes, pauses.</b> Each window of a group ({@link GroupLimits#windows()})
 * has its own keys and counts every start of the group. {@link ConcurrentGroup#changeLimits} keeps the
 * new numbers in the group's control hash ({@code <prefix>:group:<name>:control}), which every decision
 * reads: the change holds for the fleet, and waiters everywhere are woken to decide again (the windows'
 * lengths and anchors, and whether there is a concurrency limit, cannot change). {@link
 * ConcurrentGroup#pauseUntil} keeps the pause's end there too, in Redis time: every decision of the
 * fleet reserves its start at the end or later. {@link ConcurrentGroup#limitUntil} keeps the budget
 * there (the units left, and the reset in Redis time): every decision of the fleet before the reset
 * takes its cost from it, or is reserved at the reset when it has no room. A weighted call takes a slot as any call, and a shared
 * window counts its cost for the whole fleet (kept as {@code <lease id>#<cost>} in the window; see
 * the README's "Running several bots against one limit").
 *
 * <p><b>Windows anchored at completion</b> ({@link GroupLimits#anchoredAtCompletion()}) hold for the
 * fleet too: each attempt holds one of the window's {@code callsPerWindow} places from its decision
 * until one window after it ended (the release, on Redis time), so a server that counts a request
 * anywhere inside its attempt never sees more than {@code callsPerWindow} in any window, whatever the
 * latency. A place is a lease like a slot: renewed while held, and one whose holder died comes free one
 * window after its lease expired. When every place is held by an attempt still running, the next
 * waits, as for a slot, until one ends.
 *
 * <p><b>Order.</b> Within one process, attempts waiting for a slot are served first come, first
 * served (a local queue in front of Redis; only its first asks Redis). Across processes there is no
 * queue: when a slot frees, the first waiter of each process asks, and whichever script runs first
 * gets it. Window starts are reserved in the order the decisions reach Redis.
 *
 * <p><b>Waiting for a slot</b> does not poll: a release publishes on the group's channel
 * ({@code <prefix>:group:<name>:freed}), to which each {@code RedisGroups} subscribes with one
 * connection. It publishes only while the group is flagged as waited for: the script that finds the
 * group full sets the flag, which lives until a second after the group's earliest lease expires, so an
 * uncontended call sends no message. A waiter also wakes at the instant the group's earliest lease expires (a crashed holder's
 * slot, or a message lost while the subscription reconnected), so it asks at most once per lease time to
 * live when nothing happens.
 *
 * <p><b>Leases.</b> A slot is a lease with a time to live ({@link Builder#leaseTtl}, 10 s by default),
 * renewed every third of it by the bot clock's timer while the attempt waits for its start or runs. A
 * process that dies stops renewing: its slots come back within one time to live. A process paused
 * longer than the time to live (a long GC, a suspended VM) may find its lease gone: the renewal logs a
 * warning, and the fleet may briefly run one attempt more than the limit.
 *
 * <p><b>Redis unavailable.</b> A decision Redis cannot make (unreachable, timed out, an error) fails
 * the attempt with a {@link SharedGroupUnavailableException} naming the groups and the Redis error, after
 * at most the client's connection and socket timeouts: never an unlimited start. The execute's
 * {@code Retry} may retry it like any failure. A release (or a give-back) that fails does not fail the
 * attempt, whose handler's outcome stands: it is logged at WARN, and what the attempt held stays held
 * until its lease expires, within one time to live. When Redis is back, the next call works (scripts are reloaded after a
 * {@code NOSCRIPT}).
 *
 * <p><b>Keys.</b> {@code <prefix>:group:<name>:slots}, and {@code …:starts} (a window anchored at
 * starts) or {@code …:places} and {@code …:frees} (anchored at completion; {@code …:starts:2}, … for
 * the windows after the first), {@code …:waiting} (the flag) and {@code …:control} (a pause, limits
 * changed, a budget; kept without a time to live once limits were changed), each other one with a time to live
 * so an abandoned group leaves nothing behind. An execute's groups are used in one script, so on
 * Redis Cluster put a hash tag in the prefix ({@code "{bots}"}) to keep them in one slot.
 *
 * <p><b>Time.</b> Leases and windows live in Redis time, which is real time: a bot using this backend
 * runs on the system clock ({@code BotClock.system()}, the default); registering a group for a bot on
 * another clock is refused.
 *
 * <p><b>Concurrency.</b> Thread-safe; one instance may serve several bots. {@link #close()} stops its
 * subscription thread; it does not close the Redis client, which stays the caller's.
 */
public final class RedisGroups implements GroupBackend, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisGroups.class);

    private final UnifiedJedis jedis;
    private final String prefix;
    private final long leaseTtlMillis;
    private final Scripts scripts;
    private final Renewer renewer;
    private final Map<String, RedisGroup> groups = new ConcurrentHashMap<>();
    private final String processId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final AtomicLong leaseSeq = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Thread notifier;
    private volatile @Nullable JedisPubSub subscription;
    private volatile boolean closed;

    private RedisGroups(Builder builder) {
        this.jedis = builder.jedis;
        this.prefix = builder.prefix;
        this.leaseTtlMillis = builder.leaseTtl.toMillis();
        this.scripts = new Scripts(jedis, 1);
        this.renewer = new Renewer(scripts, leaseTtlMillis);
    }

    /**
     * A builder over {@code jedis} (a {@code RedisClient}, or a {@code JedisPooled} of older Jedis),
     * which stays the caller's: closing the groups does not close it.
     *
     * @param jedis the client every decision goes through
     * @return a builder with the prefix {@code "exmachina"} and a lease TTL of 10 s
     */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(jedis);
    }

    /** Builds a {@link RedisGroups}. Not thread-safe. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private String prefix = "exmachina";
        private Duration leaseTtl = Duration.ofSeconds(10);

        private Builder(UnifiedJedis jedis) {
            this.jedis = Objects.requireNonNull(jedis, "jedis");
        }

        /**
         * The prefix of every key and channel ({@code "exmachina"} by default): processes sharing
         * groups use the same.
         *
         * @param prefix the namespace of this fleet's keys
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Settings.prefix(prefix);
            return this;
        }

        /**
         * How long a slot's lease lives without renewal (10 s by default, at least 100 ms): a process that
         * dies frees its slots within this time. Renewed every third of it.
         *
         * @param leaseTtl the lease's time to live
         * @return this builder
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = Settings.ttl(leaseTtl, "leaseTtl");
            return this;
        }

        /**
         * Makes the backend; its scripts are loaded on first use.
         *
         * @return the backend, for {@code Machina.Builder.groupBackend}
         */
        public RedisGroups build() {
            return new RedisGroups(this);
        }
    }

    @Override
    public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock) {
        return register(name, limits, clock, GroupEvents.none());
    }

    /**
     * Registers a shared group whose pauses ({@link ConcurrentGroup#pauseUntil}) and changes of limits
     * ({@link ConcurrentGroup#changeLimits}) hold for the fleet and are reported to {@code events}.
     *
     * @param name the group's name, the same in every process of the fleet
     * @param limits the group's limits, the same in every process of the fleet
     * @param clock the bot's clock: {@link BotClock#system()}
     * @param events where this bot hears of the group's pauses and changes made in this process
     * @return the shared group
     * @throws IllegalArgumentException if {@code clock} is not the system clock, or the group is already
     *     registered here with other limits
     */
    @Override
    public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock, GroupEvents events) {
        checkOpen();
        if (clock != BotClock.system()) {
            throw new IllegalArgumentException("shared group '" + name + "' needs a bot on BotClock.system(), not "
                    + clock + ": its leases and windows live in Redis time, which is real time (test a bot's "
                    + "logic on a VirtualClock with the default in-memory groups)");
        }
        RedisGroup group = groups.computeIfAbsent(name, n -> new RedisGroup(n, limits, prefix, this));
        if (!group.limits.equals(limits)) {
            throw new IllegalArgumentException("shared group '" + name + "' is already registered with "
                    + group.limits + " by this RedisGroups, not " + limits);
        }
        group.reportTo(events);
        return group;
    }

    @Override
    public GroupGate gate(List<ConcurrentGroup> list, BotClock clock) {
        checkOpen();
        RedisGroup[] own = new RedisGroup[list.size()];
        boolean anyHeld = false;
        for (int i = 0; i < own.length; i++) {
            if (!(list.get(i) instanceof RedisGroup g) || groups.get(g.name) != g) {
                throw new IllegalArgumentException("not a group of this RedisGroups: " + list.get(i));
            }
            own[i] = g;
            anyHeld |= g.holdsUntilEnd();
        }
        if (own.length == 0) {
            return GroupGate.none();
        }
        if (anyHeld) { // someone may wait for a slot or a place: listen for them coming free
            startNotifier();
        }
        return new RedisGate(this, own, clock);
    }

    /**
     * Attempts of the whole fleet holding a slot of {@code group} now (live leases in Redis, those
     * waiting for their window start included).
     *
     * @param group the group's name
     * @return the slots held now by every process of the fleet
     * @throws SharedGroupUnavailableException if Redis cannot answer
     */
    public long fleetInFlight(String group) {
        return scripts.ask(LeaseScripts.COUNT, List.of(prefix + ":group:" + group + ":slots"), List.of(),
                List.of(group), "count the slots held of shared group '" + group + "'", a -> (Long) a);
    }

    /**
     * The namespace of this backend's keys and channels.
     *
     * @return the key prefix
     */
    public String prefix() {
        return prefix;
    }

    /** Stops the subscription and the lease renewals (leases still held expire). Idempotent. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            running = notifier;
            notifier = null;
        } finally {
            lock.unlock();
        }
        renewer.stop();
        JedisPubSub sub = subscription;
        if (sub != null) {
            try {
                sub.punsubscribe();
            } catch (RuntimeException ignored) {
                // not subscribed (yet, or any more): the thread sees closed
            }
        }
        if (running != null) {
            running.interrupt();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this RedisGroups is closed");
        }
    }

    long leaseTtlMillis() {
        return leaseTtlMillis;
    }

    Scripts scripts() {
        return scripts;
    }

    Renewer renewer() {
        return renewer;
    }

    String newLeaseId() {
        return processId + "-" + leaseSeq.incrementAndGet();
    }

    /** Best effort, in the background: drops a lease whose acquire answer was lost (else it expires by itself). */
    void forget(RedisGate gate, String id, String member, String placed) {
        Thread.ofVirtual().name("exmachina-redis-forget").start(() -> {
            try {
                // As a give-back at Redis's "now": a place of a completion window comes free at once.
                scripts.call(GrantScripts.RELEASE, gate.keys(), gate.releaseArgs(id, true, 0, member, placed), false);
            } catch (RuntimeException ignored) {
                // Redis still away: the lease, if any, expires within its time to live
            }
        });
    }

    /** One subscription for every group of this instance: a slot freed anywhere wakes this process's first waiter. */
    private void startNotifier() {
        lock.lock();
        try {
            if (notifier != null || closed) {
                return;
            }
            notifier = Thread.ofPlatform().daemon().name("exmachina-redis-notifier").start(this::listen);
        } finally {
            lock.unlock();
        }
    }

    private void listen() {
        String head = prefix + ":group:";
        String pattern = globEscape(head) + "*:freed";
        long backoff = 50;
        while (!closed) {
            JedisPubSub sub = new JedisPubSub() {
                @Override
                public void onPSubscribe(String pattern, int subscribedChannels) {
                    if (closed) {
                        punsubscribe();
                    }
                    // Subscribed again after a reconnect: someone may have released meanwhile.
                    groups.values().forEach(RedisGroup::wakeFirst);
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    if (channel.startsWith(head) && channel.endsWith(":freed")) {
                        RedisGroup g = groups.get(channel.substring(head.length(), channel.length() - ":freed".length()));
                        if (g != null) {
                            g.wakeFirst();
                        }
                    }
                }
            };
            subscription = sub;
            try {
                jedis.psubscribe(sub, pattern);
                backoff = 50;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("shared groups: the subscription to {} failed, again in {} ms: {}", pattern, backoff, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    private static String globEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
