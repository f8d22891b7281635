package dev.exmachina.examples.exchange;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A small "exchange" HTTP API on 127.0.0.1 that behaves like the real ones a bot talks to: it
 * enforces its own rate limit (a sliding window; over it, HTTP 429) and fails a seeded share of
 * requests with HTTP 503. It records what it observed, so a demo can show what the bot really did.
 *
 * <ul>
 *   <li>{@code GET /prices/{symbol}} (weight 1): {@code {"symbol":"BTC","price":64012.5000}}; unknown symbol: 404
 *   <li>{@code GET /book/{symbol}} (weight {@value #BOOK_WEIGHT}): the best bid and ask,
 *       {@code {"symbol":"BTC","bid":64000.1000,"ask":64024.9000}}; unknown symbol: 404
 *   <li>{@code POST /orders} with a form body {@code symbol=BTC&side=buy&quantity=0.01}: 201 and
 *       {@code {"orderId":1,...}}; a bad order: 400 (weight 1)
 * </ul>
 *
 * Every request counts its weight, whatever its answer: the rate limit is checked first, then the
 * 503 draw, then the route. Every answer says what is left, in the IETF draft's headers:
 * {@code RateLimit-Policy: "default";q=20;w=1} (the limit, per window in seconds) and
 * {@code RateLimit: "default";r=11;t=1} (the weight left now, and the seconds until some of the
 * window's weight leaves it). With {@link Config#halveAfter}, it announces half its limit from then
 * on and refuses above it one window later.
 */
public final class ExchangeServer implements AutoCloseable {

    /**
     * @param limit           request weight accepted per {@code window} (a price weighs 1, an order
     *                        book {@link #BOOK_WEIGHT}, an order 1)
     * @param window          the sliding window of the rate limit
     * @param unavailableRate share of accepted requests answered 503, in [0, 1)
     * @param seed            seeds the 503 draws, the prices and the latencies, so a run can be repeated
     * @param maxLatency      each request is held a random time in [0, maxLatency] before the
     *                        exchange counts it (a slow way in: a proxy, a busy network); zero by default
     * @param halveAfter      when, after it started, the exchange announces half its limit (in its
     *                        {@code RateLimit-Policy} and {@code RateLimit} headers), enforcing it one
     *                        window later, as an API announces a change of plan; null: the limit never changes
     */
    public record Config(int limit, Duration window, double unavailableRate, long seed, Duration maxLatency,
            @Nullable Duration halveAfter) {
        public Config {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(maxLatency, "maxLatency");
            if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive: " + window);
            }
            if (!(unavailableRate >= 0 && unavailableRate < 1)) {
                throw new IllegalArgumentException("unavailableRate must be in [0, 1): " + unavailableRate);
            }
            if (maxLatency.isNegative()) throw new IllegalArgumentException("maxLatency must not be negative: " + maxLatency);
            if (halveAfter != null && (halveAfter.isNegative() || limit < 2)) {
                throw new IllegalArgumentException("halveAfter must not be negative, and the limit must be at least 2 to halve: "
                        + halveAfter + ", limit " + limit);
            }
        }

        /** A limit that never changes. */
        public Config(int limit, Duration window, double unavailableRate, long seed, Duration maxLatency) {
            this(limit, window, unavailableRate, seed, maxLatency, null);
        }

        /** Without added latency. */
        public Config(int limit, Duration window, double unavailableRate, long seed) {
            this(limit, window, unavailableRate, seed, Duration.ZERO);
        }

        /** 5 requests (of weight 1) per sliding second, 10 % of them 503, seed 42, no added latency. */
        public static Config defaults() {
            return new Config(5, Duration.ofSeconds(1), 0.10, 42);
        }

        public Config withSeed(long seed) {
            return new Config(limit, window, unavailableRate, seed, maxLatency, halveAfter);
        }

        public Config withUnavailableRate(double rate) {
            return new Config(limit, window, rate, seed, maxLatency, halveAfter);
        }

        public Config withLimit(int limit, Duration window) {
            return new Config(limit, window, unavailableRate, seed, maxLatency, halveAfter);
        }

        /** Holds each request a random time in [0, maxLatency] before counting it. */
        public Config withMaxLatency(Duration maxLatency) {
            return new Config(limit, window, unavailableRate, seed, maxLatency, halveAfter);
        }

        /** Announces half the limit {@code after} the start, and enforces it one window later. */
        public Config halvingAfter(Duration after) {
            return new Config(limit, window, unavailableRate, seed, maxLatency, after);
        }

        /** The limit it announces and enforces {@code nanosSinceStart} after it started. */
        int limitAt(long nanosSinceStart) {
            return halveAfter != null && nanosSinceStart >= halveAfter.toNanos() ? limit / 2 : limit;
        }

        /** The limit it refuses above, {@code nanosSinceStart} after it started: the new one a window after it was announced. */
        int enforcedAt(long nanosSinceStart) {
            return limitAt(nanosSinceStart - window.toNanos());
        }
    }

    /** What a request costs against the limit: an order book weighs this, a price or an order 1. */
    public static final int BOOK_WEIGHT = 5;

    /** The symbols the exchange lists, with their opening prices. */
    public static final Map<String, BigDecimal> LISTED = listed();

    private static Map<String, BigDecimal> listed() {
        var m = new LinkedHashMap<String, BigDecimal>();
        m.put("BTC", new BigDecimal("64000"));
        m.put("ETH", new BigDecimal("3200"));
        m.put("SOL", new BigDecimal("150"));
        m.put("XRP", new BigDecimal("0.60"));
        return Map.copyOf(m);
    }

    private final Config config;
    private final LongSupplier nanoClock;
    private final HttpServer http;
    private final ExecutorService executor;

    // Guarded by this: the limiter, the draws and the counters, so stats() is one consistent cut.
    private final SlidingWindow arrivals;
    private final SlidingWindow accepted;
    private final SplittableRandom draws;
    private final SplittableRandom latencies;
    private final long startNanos;
    private final Map<String, BigDecimal> prices;
    private final Map<String, SplittableRandom> walks = new HashMap<>();
    private long requests, ok, rateLimited, unavailable, clientErrors, ordersPlaced, weight;
    private int peakInWindow, peakAfterChange;

    private ExchangeServer(Config config, LongSupplier nanoClock) throws IOException {
        this.config = config;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.arrivals = new SlidingWindow(config.window());
        this.accepted = new SlidingWindow(config.window());
        this.draws = new SplittableRandom(config.seed());
        this.latencies = new SplittableRandom(~config.seed());
        this.prices = new HashMap<>(LISTED);
        LISTED.keySet().forEach(s -> walks.put(s, new SplittableRandom(config.seed() ^ s.hashCode())));
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts an exchange on 127.0.0.1 and a free port. */
    public static ExchangeServer start(Config config) {
        return start(config, System::nanoTime);
    }

    /** As {@link #start(Config)}, reading time from {@code nanoClock}: tests pin the rate limit's time. */
    static ExchangeServer start(Config config, LongSupplier nanoClock) {
        try {
            return new ExchangeServer(config, nanoClock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the exchange on 127.0.0.1", e);
        }
    }

    public Config config() {
        return config;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        var address = http.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    public synchronized ExchangeStats stats() {
        ExchangeStats.LimitChange change = null;
        if (config.halveAfter() != null) {
            change = new ExchangeStats.LimitChange(config.limit(), config.limit() / 2, config.halveAfter(),
                    config.halveAfter().plus(config.window()), peakAfterChange);
        }
        return new ExchangeStats(requests, ok, rateLimited, unavailable, clientErrors, ordersPlaced,
                peakInWindow, config.limit(), config.window(), weight, change);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.close();
    }

    private record Response(int status, String body) {}

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            delay(); // the way in: the request arrives, and counts, only now
            String path = exchange.getRequestURI().getPath();
            Decision decision = admit(path.startsWith("/book/") ? BOOK_WEIGHT : 1); // first: the arrival time
            Admission admission = decision.admission();
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Response response = switch (admission) {
                case RATE_LIMITED -> new Response(429, error("rate limit: " + decision.enforced() + " weight per " + config.window()));
                case UNAVAILABLE -> new Response(503, error("service unavailable, try again"));
                case ACCEPTED -> route(exchange.getRequestMethod(), path, new String(requestBody, StandardCharsets.UTF_8));
            };
            count(response.status());
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            // What is left, as the IETF draft says it: the policy, and the weight left until when.
            long w = Math.max(1, (config.window().toMillis() + 999) / 1000);
            exchange.getResponseHeaders().set("RateLimit-Policy", "\"default\";q=" + decision.announced() + ";w=" + w);
            exchange.getResponseHeaders().set("RateLimit", "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
            // Retry-After (delay-seconds): a 429 asks the client to wait a window, a 503 a second.
            if (response.status() == 429) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, config.window().toSeconds())));
            } else if (response.status() == 503) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Holds the request a random time in [0, maxLatency], if the exchange adds latency. */
    private void delay() {
        long max = config.maxLatency().toNanos();
        if (max == 0) return;
        long nanos;
        synchronized (this) {
            nanos = latencies.nextLong(max + 1);
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum Admission { ACCEPTED, RATE_LIMITED, UNAVAILABLE }

    /**
     * How a request was admitted, and what the answer announces: the limit, the weight left (against
     * the announced limit) and the whole seconds until some of the window's weight leaves it.
     */
    private record Decision(Admission admission, int enforced, int announced, int remaining, long resetSeconds) {}

    private synchronized Decision admit(int cost) {
        long now = nanoClock.getAsLong();
        long sinceStart = now - startNanos;
        int enforced = config.enforcedAt(sinceStart);
        int announced = config.limitAt(sinceStart);
        requests++;
        weight += cost;
        int arrived = arrivals.add(now, cost);
        peakInWindow = Math.max(peakInWindow, arrived);
        if (config.halveAfter() != null && sinceStart >= config.halveAfter().plus(config.window()).toNanos()) {
            peakAfterChange = Math.max(peakAfterChange, arrived);
        }
        // Rejected requests do not take a place in the window, so a client that backs off recovers.
        Admission admission;
        if (accepted.countAt(now) + cost > enforced) {
            rateLimited++;
            admission = Admission.RATE_LIMITED;
        } else {
            accepted.add(now, cost);
            admission = draws.nextDouble() < config.unavailableRate() ? Admission.UNAVAILABLE : Admission.ACCEPTED;
            if (admission == Admission.UNAVAILABLE) unavailable++;
        }
        int remaining = Math.max(0, announced - accepted.countAt(now));
        long untilLeaves = accepted.nanosUntilOldestLeaves(now);
        long reset = untilLeaves == 0 ? Math.max(1, config.window().toSeconds()) : (untilLeaves + 999_999_999) / 1_000_000_000;
        return new Decision(admission, enforced, announced, remaining, reset);
    }

    private synchronized void count(int status) {
        if (status / 100 == 2) ok++;
        else if (status / 100 == 4 && status != 429) clientErrors++;
    }

    private Response route(String method, String path, String body) {
        if (path.startsWith("/prices/")) {
            if (!method.equals("GET")) return new Response(405, error("use GET"));
            String symbol = path.substring("/prices/".length());
            BigDecimal price = nextPrice(symbol);
            if (price == null) return new Response(404, error("unknown symbol: " + symbol));
            return new Response(200, "{\"symbol\":\"" + symbol + "\",\"price\":" + price.toPlainString() + "}");
        }
        if (path.startsWith("/book/")) {
            if (!method.equals("GET")) return new Response(405, error("use GET"));
            String symbol = path.substring("/book/".length());
            BigDecimal price = nextPrice(symbol);
            if (price == null) return new Response(404, error("unknown symbol: " + symbol));
            BigDecimal half = price.multiply(new BigDecimal("0.0002")).setScale(4, RoundingMode.HALF_EVEN);
            return new Response(200, "{\"symbol\":\"" + symbol + "\",\"bid\":" + price.subtract(half).toPlainString()
                    + ",\"ask\":" + price.add(half).toPlainString() + "}");
        }
        if (path.equals("/orders")) {
            if (!method.equals("POST")) return new Response(405, error("use POST"));
            return placeOrder(form(body));
        }
        return new Response(404, error("no such endpoint: " + path));
    }

    private Response placeOrder(Map<String, String> form) {
        String symbol = form.getOrDefault("symbol", "");
        String side = form.getOrDefault("side", "");
        BigDecimal quantity;
        try {
            quantity = new BigDecimal(form.getOrDefault("quantity", ""));
        } catch (NumberFormatException e) {
            return new Response(400, error("quantity must be a number"));
        }
        if (!LISTED.containsKey(symbol)) return new Response(400, error("unknown symbol: " + symbol));
        if (!side.equals("buy") && !side.equals("sell")) return new Response(400, error("side must be buy or sell"));
        if (quantity.signum() <= 0) return new Response(400, error("quantity must be positive"));
        long id;
        BigDecimal price;
        synchronized (this) {
            id = ++ordersPlaced;
            price = prices.get(symbol);
        }
        return new Response(201, "{\"orderId\":" + id + ",\"symbol\":\"" + symbol + "\",\"side\":\"" + side
                + "\",\"quantity\":" + quantity.toPlainString() + ",\"price\":" + price.toPlainString() + "}");
    }

    /** A seeded random walk: each quote moves the price by up to ±0.5 %. */
    private synchronized BigDecimal nextPrice(String symbol) {
        BigDecimal last = prices.get(symbol);
        if (last == null) return null;
        double move = walks.get(symbol).nextDouble(-0.005, 0.005);
        BigDecimal next = last.multiply(BigDecimal.valueOf(1 + move)).setScale(4, RoundingMode.HALF_EVEN);
        prices.put(symbol, next);
        return next;
    }

    private static Map<String, String> form(String body) {
        var map = new HashMap<String, String>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    private static String error(String message) {
        return "{\"error\":\"" + message.replace("\"", "'") + "\"}";
    }
}
