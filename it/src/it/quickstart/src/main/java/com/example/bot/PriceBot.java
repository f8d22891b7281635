package com.example.bot;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Asks for a price every minute, at most 2 requests per second, and retries what fails. */
public final class PriceBot {
    /** Where prices come from: an HTTP API in production, a stub in tests. */
    public interface PriceSource {
        double price(String symbol) throws IOException;
    }

    private final Machina bot;
    private final List<Double> prices = new CopyOnWriteArrayList<>();

    public PriceBot(BotClock clock, PriceSource source, long polls) {
        bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(2).perWindow(2, Duration.ofSeconds(1)));
        Execute<String, Double> price = bot.execute("price",
                ExecuteOptions.groups("api").retry(Retry.of(
                        RetryRule.fixed(IOException.class, Duration.ofSeconds(5)).retries(3))),
                source::price);
        bot.emit("poll", EmitOptions.every("1m").count(polls), event -> prices.add(price.call("BTC")));
    }

    public void run() throws InterruptedException {
        bot.run();
    }

    public List<Double> prices() {
        return prices;
    }

    public static void main(String[] args) throws InterruptedException {
        var bot = new PriceBot(BotClock.system(), symbol -> 42_000.0, 3);
        bot.run();   // three polls, a minute apart
        System.out.println(bot.prices());
    }
}
