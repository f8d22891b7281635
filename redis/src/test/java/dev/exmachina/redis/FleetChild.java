package dev.exmachina.redis;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupGate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.RedisClient;

/**
 * One process of a test fleet (started by {@link FleetTest} in its own JVM):
 * <ul>
 *   <li>{@code group <port> <prefix> <seconds> <ttlMs>}: 6 emits call an execute of shared group "api"
 *       (concurrency 4, 20 starts per 1 s) for that long; each attempt records, on Redis, its start
 *       instant (Redis TIME) and the fleet's attempts in flight, then works 50-150 ms.</li>
 *   <li>{@code burst <port> <prefix> <beginMicros> <seconds>}: from Redis instant {@code beginMicros},
 *       8 threads call an execute of shared group "api" (10 starts per 1 s, anchored at starts) for that
 *       long; each attempt's first line records its instant (Redis TIME), its lease id and when its thread
 *       asked for the grant (Redis TIME), then works 0-150 ms.</li>
 *   <li>{@code hold <port> <prefix> <ttlMs>}: takes the 4 slots of shared group "hold" and keeps them.</li>
 *   <li>{@code singleton <port> <prefix> <ttlMs> <intervalMs>}: a singleton emit "job" that logs
 *       "S token pid start" and "E token pid end" (Redis TIME) around 100 ms of work.</li>
 * </ul>
 */
public final class FleetChild {

    static final String RECORD_START = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local n = redis.call('INCR', KEYS[1])
            local m = tonumber(redis.call('GET', KEYS[2]) or '0')
            if n > m then redis.call('SET', KEYS[2], n) end
            redis.call('RPUSH', KEYS[3], string.format('%.0f', now))
            return n
            """;

    /** Pushes "Redis's now (µs) ARGV[1]" on KEYS[1]. */
    static final String STAMP = """
            local t = redis.call('TIME')
            redis.call('RPUSH', KEYS[1], string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])) .. ' ' .. (ARGV[1] or ''))
            return 1
            """;

    static final String LOG = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            redis.call('RPUSH', KEYS[1], ARGV[1] .. ' ' .. string.format('%.0f', now))
            return 1
            """;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        String prefix = args[2];
        try (RedisClient redis = RedisClient.create("127.0.0.1", port);
                RedisClient probe = RedisClient.create("127.0.0.1", port)) {
            switch (mode) {
                case "group" -> group(redis, probe, prefix, Integer.parseInt(args[3]), Long.parseLong(args[4]));
                case "burst" -> burst(redis, probe, prefix, Long.parseLong(args[3]), Integer.parseInt(args[4]));
                case "hold" -> hold(redis, prefix, Long.parseLong(args[3]));
                case "singleton" -> singleton(redis, probe, prefix, Long.parseLong(args[3]), Long.parseLong(args[4]));
                default -> throw new IllegalArgumentException(mode);
            }
        }
        System.exit(0);
    }

    private static void group(RedisClient redis, RedisClient probe, String prefix, int seconds, long ttlMs) throws Exception {
        try (RedisGroups groups = RedisGroups.builder(redis).prefix(prefix).leaseTtl(Duration.ofMillis(ttlMs)).build()) {
            Machina bot = Machina.builder().groupBackend(groups).build();
            bot.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(20, Duration.ofSeconds(1)));
            List<String> keys = List.of(prefix + ":rec:inflight", prefix + ":rec:maxinflight", prefix + ":rec:starts");
            Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), x -> {
                probe.eval(RECORD_START, keys, List.of());
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(50, 151));
                } finally {
                    probe.decr(keys.get(0));
                }
                return x;
            });
            for (int i = 0; i < 6; i++) {
                bot.emit("w" + i, EmitOptions.defaults().supervision(Supervision.logAndContinue()), event -> call.call(1));
            }
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(seconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                bot.stop();
            });
            bot.run();
            bot.close();
        }
    }

    private static void burst(RedisClient redis, RedisClient probe, String prefix, long beginMicros, int seconds)
            throws Exception {
        try (RedisGroups groups = RedisGroups.builder(redis).prefix(prefix).build();
                Machina bot = Machina.builder().groupBackend(new LeaseIds(groups, probe)).build()) {
            bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)));
            List<String> keys = List.of(prefix + ":rec:starts");
            Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), x -> {
                probe.eval(STAMP, keys, List.of(LeaseIds.last()));
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 151));
                return x;
            });
            // The probe is the measuring instrument: its 8 connections are open and its code run before the
            // begin, so a first line is timed when it runs, not when a connection was opened for it.
            for (int round = 0; round < 20; round++) {
                Calls.runConcurrently(8, i -> probe.eval(STAMP, List.of(prefix + ":rec:ready"), List.of("ready")));
            }
            long wait = beginMicros - RedisServer.micros(probe);
            if (wait > 0) {
                Thread.sleep(wait / 1000);
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            Calls.runConcurrently(8, i -> {
                while (System.nanoTime() < end) {
                    call.call(i);
                }
            });
        }
    }

    private static void hold(RedisClient redis, String prefix, long ttlMs) throws Exception {
        RedisGroups groups = RedisGroups.builder(redis).prefix(prefix).leaseTtl(Duration.ofMillis(ttlMs)).build();
        Machina bot = Machina.builder().groupBackend(groups).build();
        bot.concurrentGroup("hold", GroupLimits.concurrency(4));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("hold"), x -> {
            Thread.sleep(Duration.ofMinutes(10));
            return x;
        });
        for (int i = 0; i < 4; i++) {
            bot.emit("h" + i, EmitOptions.defaults().count(1), event -> call.call(1));
        }
        bot.run(); // until killed
    }

    private static void singleton(RedisClient redis, RedisClient probe, String prefix, long ttlMs, long intervalMs)
            throws Exception {
        RedisLeases leases = RedisLeases.builder(redis).prefix(prefix).ttl(Duration.ofMillis(ttlMs)).build();
        Machina bot = Machina.builder().build();
        long pid = ProcessHandle.current().pid();
        List<String> log = List.of(prefix + ":rec:log");
        bot.emit("job", EmitOptions.every(Duration.ofMillis(intervalMs)).supervision(Supervision.logAndContinue())
                .singleton(leases.lease("job")), event -> {
            long token = event.fencingToken().orElseThrow();
            probe.eval(LOG, log, List.of("S " + token + " " + pid));
            Thread.sleep(100);
            probe.eval(LOG, log, List.of("E " + token + " " + pid));
        });
        bot.run(); // until killed
    }

    /**
     * A pass-through backend that remembers, per thread, the lease id of the attempt's latest grant and
     * the Redis instant at which the thread asked for it (a {@code TIME} call just before): the thread
     * was running then. Changes no decision.
     */
    static final class LeaseIds implements GroupBackend {
        private static final ThreadLocal<String> LAST = ThreadLocal.withInitial(() -> "");
        private static final ThreadLocal<long[]> ASKED = ThreadLocal.withInitial(() -> new long[1]);
        private final GroupBackend backend;
        private final RedisClient probe;

        LeaseIds(GroupBackend backend, RedisClient probe) {
            this.backend = backend;
            this.probe = probe;
        }

        /** "lease-id asked-µs" of this thread's latest grant. */
        static String last() {
            return LAST.get() + " " + ASKED.get()[0];
        }

        private <D extends Decision> D ask(java.util.function.Supplier<D> gate) {
            long asked = RedisServer.micros(probe);
            D d = gate.get();
            if (d instanceof Decision.Granted g && g.lease() instanceof RedisGate.Grant grant) {
                LAST.set(grant.id);
                ASKED.get()[0] = asked;
            }
            return d;
        }

        @Override
        public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock) {
            return backend.register(name, limits, clock);
        }

        @Override
        public GroupGate gate(List<ConcurrentGroup> list, BotClock clock) {
            GroupGate gate = backend.gate(list, clock);
            return new GroupGate() {
                @Override public Decision tryEnter() { return ask(gate::tryEnter); }
                @Override public Ticket ticket(Wakeup wakeup) { return gate.ticket(wakeup); }
                @Override public Decision enter(Ticket ticket) { return ask(() -> gate.enter(ticket)); }
                @Override public void cancel(Ticket ticket) { gate.cancel(ticket); }
                @Override public void started(Decision.StartAt granted) { gate.started(granted); }
                @Override public Decision.Granted start(Decision.StartAt granted) { return ask(() -> gate.start(granted)); }
                @Override public void giveBack(Decision.Granted granted) { gate.giveBack(granted); }
                @Override public void release(Decision.Granted granted) { gate.release(granted); }
            };
        }
    }
}
