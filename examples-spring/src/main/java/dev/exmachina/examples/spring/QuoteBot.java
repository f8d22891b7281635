package dev.exmachina.examples.spring;

import dev.exmachina.core.Event;
import dev.exmachina.core.Forked;
import dev.exmachina.spring.Emit;
import dev.exmachina.spring.Execute;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Quotes four symbols every second, at most 2 requests in flight and 5 starts per sliding second
 * (group {@code exchange}), retrying a failed quote (policy {@code network}); every ten seconds,
 * logs the latest prices. The "exchange" is a random walk that fails one request in ten.
 */
@Component
public class QuoteBot {

    private static final Logger LOG = LoggerFactory.getLogger(QuoteBot.class);
    private static final List<String> SYMBOLS = List.of("BTC", "ETH", "SOL", "XRP");

    private final Map<String, Double> prices = new ConcurrentHashMap<>();

    /**
     * One request to the exchange.
     *
     * @param symbol what to quote
     * @return its price
     * @throws IOException one time in ten, as a flaky API would
     */
    @Execute(name = "quote", groups = "exchange", retry = "network")
    public double quote(String symbol) throws IOException {
        if (ThreadLocalRandom.current().nextInt(10) == 0) {
            throw new IOException("exchange unavailable (HTTP 503) for " + symbol);
        }
        return prices.getOrDefault(symbol, 100.0) * (1 + ThreadLocalRandom.current().nextGaussian() * 0.001);
    }

    /**
     * Quotes every symbol at once: four forked calls, which the group lets through two at a time.
     *
     * @param event this iteration
     * @throws Exception a quote that failed for good
     */
    @Emit(name = "prices", every = "1s")
    public void prices(Event event) throws Exception {
        Map<String, Forked<?>> quotes = new java.util.LinkedHashMap<>();
        for (String symbol : SYMBOLS) {
            quotes.put(symbol, event.execute("quote", symbol));
        }
        for (var quote : quotes.entrySet()) {
            prices.put(quote.getKey(), (Double) quote.getValue().join());
        }
    }

    /** Logs the latest prices. */
    @Emit(name = "report", every = "10s")
    public void report() {
        LOG.info("prices: {}", prices);
    }
}
