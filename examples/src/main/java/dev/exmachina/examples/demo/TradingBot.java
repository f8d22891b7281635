package dev.exmachina.examples.demo;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Event;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.examples.exchange.ApiException;
import dev.exmachina.examples.exchange.Book;
import dev.exmachina.examples.exchange.ExchangeClient;
import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;
import dev.exmachina.examples.exchange.Fill;
import dev.exmachina.examples.exchange.Quote;
import dev.exmachina.http.ServerLimits;
import dev.exmachina.http.ServerWord;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo bot: it trades on the embedded exchange, within the exchange's rate limit.
 *
 * <ul>
 *   <li>{@code prices}: every second in the demo, quotes {@link #SYMBOLS} at once and reads the order
 *       book of one of them, in turn (forked executes); on its
 *       {@code momentumFrom}-th iteration it starts {@code momentum}, on its
 *       {@code momentumUntil}-th it stops it. On its first it also asks for a symbol the exchange
 *       does not list, to show that a 4xx is not retried.
 *   <li>{@code momentum} (not started by {@code run()}): buys the symbol that rose most since its
 *       last look, or sells the one that fell most (a direct call).
 *   <li>{@code dca}: a counted emit, buys a little BTC {@code dcaCount} times.
 * </ul>
 *
 * Every request goes through one concurrent group sized to the exchange's limit, weighed as the
 * exchange weighs it (a price 1, an order book {@value ExchangeServer#BOOK_WEIGHT}, an order 1), and
 * is retried on 503 (and a 429, should one come) after the exchange's Retry-After, else with
 * exponential backoff and jitter; a 4xx is never retried. Every answer's rate-limit headers are
 * followed ({@link ServerLimits}): a lower limit announced by the exchange becomes the group's, and
 * "nothing left" or a 429 pauses the group until the exchange says.
 *
 * <p>The group lives in the bot's process by default. A bot of a fleet ({@link Fleet}) is given a
 * group backend shared with the other processes, so that the one limit holds for all of them.
 */
public final class TradingBot {
    private static final Logger log = LoggerFactory.getLogger(TradingBot.class);

    public static final List<String> SYMBOLS = List.of("BTC", "ETH", "SOL", "XRP");
    static final String UNLISTED = "DOGE";

    /**
     * The scenario.
     *
     * @param polls          iterations of {@code prices}; {@code null}: until stopped
     * @param momentumFrom   the {@code prices} iteration that starts {@code momentum}
     * @param momentumUntil  the {@code prices} iteration that stops it
     * @param dcaCount       iterations of the counted emit {@code dca}
     * @param orderBook      whether {@code prices} also reads an order book (weight 5) each iteration
     */
    public record Plan(Duration pollInterval, @Nullable Long polls, long momentumFrom, long momentumUntil,
            Duration momentumInterval, long dcaCount, Duration dcaInterval, boolean orderBook) {
        public Plan {
            if (momentumFrom < 1 || momentumUntil <= momentumFrom) {
                throw new IllegalArgumentException("need 1 <= momentumFrom < momentumUntil, got " + momentumFrom + ", " + momentumUntil);
            }
        }

        /** A plan whose {@code prices} reads an order book each iteration. */
        public Plan(Duration pollInterval, @Nullable Long polls, long momentumFrom, long momentumUntil,
                Duration momentumInterval, long dcaCount, Duration dcaInterval) {
            this(pollInterval, polls, momentumFrom, momentumUntil, momentumInterval, dcaCount, dcaInterval, true);
        }

        /** The demo's: quotes and a book every second until stopped, momentum from the 2nd to the 5th, 3 DCA buys 4 s apart. */
        public static Plan demo() {
            return new Plan(Duration.ofSeconds(1), null, 2, 5, Duration.ofSeconds(1), 3, Duration.ofSeconds(4));
        }

        /** This plan with quotes only: every call then weighs 1. */
        public Plan withoutOrderBook() {
            return new Plan(pollInterval, polls, momentumFrom, momentumUntil, momentumInterval, dcaCount, dcaInterval, false);
        }
    }

    /** The retry rule's backoff, used when the exchange's answer says no Retry-After. */
    static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(1);
    /** Retries per call at most. */
    static final int MAX_RETRIES = 8;
    /** Requests in flight at once, at most. */
    static final int CONCURRENCY = 5;
    /** What each execute costs in the group's window: the exchange's weights. */
    static final Map<String, Integer> WEIGHTS = Map.of("quote", 1, "book", ExchangeServer.BOOK_WEIGHT, "order", 1);

    /**
     * What the run amounted to: what the bot's listener saw, next to what the client sent and the
     * exchange observed.
     *
     * @param exchange        what the exchange observed; null for a bot of a fleet, whose exchange
     *                        runs in another process and counts the whole fleet
     * @param requestsSent    requests the client sent (one per attempt)
     * @param unavailableSeen 503 answers the client got
     * @param rateLimitedSeen 429 answers the client got
     * @param stats           what the bot's listener counted ({@link DemoStats})
     */
    public record Report(
            Duration elapsed,
            String stoppedBy,
            @Nullable ExchangeStats exchange,
            long requestsSent,
            long unavailableSeen,
            long rateLimitedSeen,
            DemoStats.Snapshot stats) {}

    private final ExchangeClient client;
    private final URI exchangeUri;
    private final ExchangeServer.Config api;
    private final @Nullable ExchangeServer exchange;
    private final Plan plan;
    private final Machina bot;
    private final DemoStats stats = new DemoStats("prices", "momentum", "dca");
    private final Map<String, BigDecimal> latest = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> lastSeen = new ConcurrentHashMap<>();
    private final Execute<String, Quote> quote;
    private final Execute<String, Book> book;
    private final Set<String> problemsLogged = ConcurrentHashMap.newKeySet();
    private final Execute<Order, Fill> order;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String stoppedBy = "all emits finished";

    /** A bot alone, against an exchange in this process, with its group in this process. */
    public TradingBot(ExchangeServer exchange, ExchangeClient client, Plan plan) {
        this(exchange.baseUri(), exchange.config(), exchange, client, plan, null);
    }

    /**
     * A bot of a fleet: the exchange runs in another process, at {@code exchangeUri} with the rules
     * {@code api}, and the group lives in {@code groups}, shared with the fleet's other bots.
     */
    public TradingBot(URI exchangeUri, ExchangeServer.Config api, ExchangeClient client, Plan plan, GroupBackend groups) {
        this(exchangeUri, api, null, client, plan, groups);
    }

    private TradingBot(URI exchangeUri, ExchangeServer.Config api, @Nullable ExchangeServer exchange,
            ExchangeClient client, Plan plan, @Nullable GroupBackend groups) {
        this.exchangeUri = exchangeUri;
        this.api = api;
        this.exchange = exchange;
        this.client = client;
        this.plan = plan;
        var builder = Machina.builder().name("trader").listener(stats).onStartup(this::checkExchange);
        if (groups != null) builder.groupBackend(groups);
        this.bot = builder.build();

        // The exchange counts requests as they arrive; the group would count attempts as they
        // start. A request that starts early but arrives late (a cold connection, a GC pause, a
        // busy machine, a slow proxy) could then land in the exchange's next window. Anchored at
        // completion, each start holds its place in the window until a window after its attempt
        // ended, so wherever inside the attempt the request arrives, the exchange never counts
        // more than its limit: the exact limit, 5 per 1 s, no margin needed.
        ConcurrentGroup group = bot.concurrentGroup("exchange", GroupLimits.concurrency(CONCURRENCY)
                .perWindow(api.limit(), api.window()).anchoredAtCompletion());

        // The exchange says in every answer what is left (RateLimit) and its limit (RateLimit-Policy):
        // the group takes its word, so a limit the exchange lowers at run time becomes the group's,
        // and "nothing left" or a 429 pauses every caller until the exchange says. Its 503s concern
        // the one request that met them (a flaky backend): the retry rule waits their Retry-After.
        ServerLimits server = ServerLimits.of(group, bot.clock()).pausingOn(429);
        client.onResponse(response -> logProblems(server.follow(response)));

        // 503 is the exchange's fault and passes; a 429 would mean the window was wrong. Both say
        // when to come back (Retry-After): the rule waits that long, and falls back to exponential
        // backoff with jitter when the answer does not say. A 4xx (an unknown symbol, a bad order)
        // would fail again the same way: never retried.
        Retry retry = Retry.of(RetryRule.exponentialAndJitter(ApiException.class)
                .base(BACKOFF_BASE).cap(BACKOFF_CAP).retries(MAX_RETRIES)
                .filter(TradingBot::retryable)
                .waitFrom(ApiException::retryAfter));
        var options = ExecuteOptions.groups("exchange").retry(retry);

        // Each call costs what the exchange counts for it: an order book weighs 5 prices.
        quote = bot.execute("quote", options.cost(WEIGHTS.get("quote")), client::price);
        book = bot.execute("book", options.cost(WEIGHTS.get("book")), client::book);
        order = bot.execute("order", options.cost(WEIGHTS.get("order")), o -> client.order(o.symbol(), o.side(), o.quantity()));

        var prices = EmitOptions.every(plan.pollInterval());
        bot.emit("prices", plan.polls() == null ? prices : prices.count(plan.polls()), this::poll);
        bot.emit("momentum", EmitOptions.every(plan.momentumInterval()).autostart(false), this::momentum);
        bot.emit("dca", EmitOptions.every(plan.dcaInterval()).count(plan.dcaCount()), this::dca);
    }

    record Order(String symbol, String side, BigDecimal quantity) {
        @Override
        public String toString() {
            return side + " " + quantity.toPlainString() + " " + symbol;
        }
    }

    /** A header the exchange got wrong, or a change the group could not make: logged once each. */
    private void logProblems(ServerWord word) {
        for (String problem : word.problems()) {
            if (problemsLogged.add(problem)) log.warn("the exchange's rate-limit headers: {}", problem);
        }
    }

    /** What the retry rule retries: a 5xx (the exchange's fault) or a 429; never another 4xx. */
    static boolean retryable(ApiException e) {
        return e.isServerError() || e.isRateLimited();
    }

    /**
     * Startup hook: one quote before any emit starts, so that an exchange that is down fails the
     * run at once. It also opens the first connection, so the emits start on a warm client.
     */
    private void checkExchange() throws Exception {
        stats.calls(DemoStats.STARTUP, 1);
        Quote q = quote.call("BTC");
        log.info("exchange at {} is up (BTC {}); it allows a weight of {} per {} and answers {} % of requests with 503",
                exchangeUri, q.price(), api.limit(), format(api.window()), Math.round(api.unavailableRate() * 100));
    }

    private void poll(Event event) throws Exception {
        if (event.epoch() == 1) probeUnlisted();
        var forks = new ArrayList<Forked<Quote>>();
        for (String symbol : SYMBOLS) {
            forks.add(event.execute(quote, symbol));    // all four run at once, within the group's limits
        }
        String bookSymbol = SYMBOLS.get((int) ((event.epoch() - 1) % SYMBOLS.size()));
        Forked<Book> bookFork = plan.orderBook() ? event.execute(book, bookSymbol) : null; // weight 5: the window counts it so
        stats.calls("prices", forks.size() + (bookFork == null ? 0 : 1));
        var line = new StringBuilder();
        for (int i = 0; i < forks.size(); i++) {
            Quote q = join(forks.get(i), SYMBOLS.get(i));
            if (q != null) {
                latest.put(q.symbol(), q.price());
                line.append("  ").append(q.symbol()).append(' ').append(q.price().round(new MathContext(6)).toPlainString());
            }
        }
        Book b = bookFork == null ? null : join(bookFork, bookSymbol);
        if (b != null) line.append("  (").append(b.symbol()).append(" book ").append(b.bid().toPlainString())
                .append(" / ").append(b.ask().toPlainString()).append(')');
        log.info("prices #{}:{}", event.epoch(), line);
        if (event.epoch() == plan.momentumFrom()) {
            log.info("prices #{}: starting momentum", event.epoch());
            event.start("momentum");
        } else if (event.epoch() == plan.momentumUntil()) {
            log.info("prices #{}: stopping momentum", event.epoch());
            event.stop("momentum");
        }
    }

    /** A 404 answer: the filter keeps the retry rule from asking again. */
    private void probeUnlisted() throws Exception {
        stats.calls("prices", 1);
        try {
            quote.call(UNLISTED);
        } catch (ApiException e) {
            log.info("prices: {} is not listed (HTTP {}): a 4xx is not retried", UNLISTED, e.status());
        }
    }

    private <R> @Nullable R join(Forked<R> fork, Object request) throws InterruptedException {
        try {
            return fork.join();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Out of retries: the listener counts it for the summary; the bot goes on.
            log.warn("{} {} failed for good: {}", fork.name(), request, e.toString());
            return null;
        }
    }

    private void momentum(Event event) throws Exception {
        // The symbol whose price moved most, relative to its price at this emit's previous look.
        String best = null;
        double bestMove = 0;
        for (var e : latest.entrySet()) {
            BigDecimal before = lastSeen.getOrDefault(e.getKey(), ExchangeServer.LISTED.get(e.getKey()));
            double move = e.getValue().subtract(before).doubleValue() / before.doubleValue();
            if (best == null || Math.abs(move) > Math.abs(bestMove)) {
                best = e.getKey();
                bestMove = move;
            }
        }
        lastSeen.putAll(latest);
        if (best == null || bestMove == 0) {
            log.info("momentum #{}: no price moved since its last look", event.epoch());
            return;
        }
        var trade = new Order(best, bestMove >= 0 ? "buy" : "sell", BigDecimal.ONE);
        stats.calls("momentum", 1);
        try {
            Fill fill = order.call(trade);     // a direct call: this thread, same group and retry
            log.info("momentum #{}: {} moved {}: {} {} {} at {} (order {})", event.epoch(), best,
                    String.format("%+.2f %%", bestMove * 100), fill.side(), fill.quantity(), fill.symbol(), fill.price(), fill.orderId());
        } catch (ApiException e) {
            log.warn("momentum #{}: {} failed for good: {}", event.epoch(), trade, e.toString());
        }
    }

    private void dca(Event event) throws Exception {
        var buy = new Order("BTC", "buy", new BigDecimal("0.001"));
        stats.calls("dca", 1);
        Fill fill = join(event.execute(order, buy), buy);
        if (fill != null) {
            log.info("dca {}/{}: bought {} BTC at {} (order {})", event.epoch(), plan.dcaCount(),
                    fill.quantity(), fill.price(), fill.orderId());
        }
    }

    /**
     * Runs the bot until its emits finish, {@code limit} passes or {@link #stop} is called, and
     * reports what happened.
     *
     * @throws dev.exmachina.core.MachinaException if an emit failed
     */
    public Report run(@Nullable Duration limit) throws InterruptedException {
        Thread deadline = limit == null ? null : Thread.ofVirtual().name("deadline").start(() -> {
            try {
                if (!finished.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                    stop("--duration " + format(limit) + " elapsed", Duration.ofSeconds(30));
                }
            } catch (InterruptedException e) {
                // run() returned first
            }
        });
        long start = System.nanoTime();
        try {
            bot.run();
        } finally {
            finished.countDown();
            if (deadline != null) deadline.interrupt();
            bot.close();
        }
        return new Report(Duration.ofNanos(System.nanoTime() - start), stoppedBy,
                exchange == null ? null : exchange.stats(),
                client.sent(), client.unavailable(), client.rateLimited(), stats.snapshot());
    }

    /**
     * Stops the bot gracefully from any thread (the deadline, a Ctrl-C hook) and waits up to
     * {@code wait} for {@link #run} to return.
     *
     * @return whether it returned in time
     */
    public boolean stop(String why, Duration wait) throws InterruptedException {
        if (finished.getCount() == 0) return true;
        stoppedBy = why;
        log.info("stopping ({}): the current iterations finish, no new one starts", why);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            // Machina.stop() before run() has started its emits is not remembered (run() clears
            // it), and a Ctrl-C may come that early: ask again until run() has returned.
            bot.stop();
            long left = deadline - System.nanoTime();
            if (finished.await(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS)) return true;
            if (left <= 0) return false;
        }
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
