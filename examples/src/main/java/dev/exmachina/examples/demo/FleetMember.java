package dev.exmachina.examples.demo;

import dev.exmachina.core.Intervals;
import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.redis.RedisGroups;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;

/**
 * One bot of a fleet, in a JVM of its own: started by {@link Fleet}, not by users. It runs
 * {@link TradingBot} against the fleet's exchange, its group shared with the other bots through
 * Redis, until {@code --duration} has passed or SIGINT/SIGTERM stops it gracefully; then it prints
 * its {@link Result} as its last line and exits with 0.
 *
 * <p>Arguments, all required: {@code --exchange <uri> --redis <host:port> --name <name>
 * --duration <interval> --seed <number>}.
 */
public final class FleetMember {
    private FleetMember() {}

    /** What one bot did, as its own client and listener counted it. */
    record Result(String name, long requests, long calls, long unavailable, long rateLimited, long failed) {
        /** Marks the result line among the bot's log lines. */
        static final String MARK = "fleet-result:";

        static Result of(String name, TradingBot.Report r) {
            return new Result(name, r.requestsSent(), r.stats().calls(), r.unavailableSeen(), r.rateLimitedSeen(),
                    r.stats().failed());
        }

        String line() {
            return MARK + " " + name + " requests=" + requests + " calls=" + calls + " unavailable=" + unavailable
                    + " rateLimited=" + rateLimited + " failed=" + failed;
        }

        /** The result in {@code line}, or null if it is not a result line. */
        static @Nullable Result parse(String line) {
            if (!line.startsWith(MARK)) return null;
            String[] words = line.substring(MARK.length()).strip().split(" ");
            Map<String, Long> n = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                String[] kv = words[i].split("=", 2);
                n.put(kv[0], Long.parseLong(kv[1]));
            }
            return new Result(words[0], n.get("requests"), n.get("calls"), n.get("unavailable"), n.get("rateLimited"),
                    n.get("failed"));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = arguments(args, List.of("--exchange", "--redis", "--name", "--duration", "--seed"));
        URI exchange = URI.create(a.get("--exchange"));
        String[] redisAddress = a.get("--redis").split(":", 2);
        Duration duration = Intervals.parse(a.get("--duration"));
        var api = Demo.fleetExchangeConfig(Long.parseLong(a.get("--seed")));

        try (var redis = RedisClient.create(redisAddress[0], Integer.parseInt(redisAddress[1]));
                var groups = RedisGroups.builder(redis).prefix(Fleet.REDIS_PREFIX).build();
                var client = new ExchangeClient(exchange)) {
            // The same plan as one bot's: quotes, orders and the order book (weight 5), each counted at its
            // weight in the group's window shared through Redis. The group still follows the exchange's headers.
            var bot = new TradingBot(exchange, api, client, TradingBot.Plan.demo(), groups);
            List<Runnable> restore = Demo.stopOnSignals(bot, new AtomicReference<>());
            TradingBot.Report report;
            try {
                report = bot.run(duration);
            } finally {
                restore.forEach(Runnable::run);
            }
            System.out.println(Result.of(a.get("--name"), report).line());
        }
    }

    private static Map<String, String> arguments(String[] args, List<String> required) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!required.contains(args[i])) throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
            a.put(args[i], args[i + 1]);
        }
        for (String name : required) {
            if (!a.containsKey(name)) {
                throw new IllegalArgumentException("missing " + name + ": a fleet member is started by the demo's --fleet");
            }
        }
        return a;
    }
}
