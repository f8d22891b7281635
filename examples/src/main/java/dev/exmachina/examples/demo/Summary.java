package dev.exmachina.examples.demo;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.Intervals;
import dev.exmachina.examples.demo.Table.Column;
import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The table the demo prints at the end: what the bot's listener saw ({@link DemoStats}), and what
 * the exchange saw of it.
 */
final class Summary {
    private Summary() {}

    static String render(TradingBot.Report r, ExchangeServer.Config api) {
        ExchangeStats x = Objects.requireNonNull(r.exchange(), "a bot alone reports what its exchange saw");
        DemoStats.Snapshot s = r.stats();
        String window = TradingBot.format(x.window());
        var table = new Table(Column.left("what"), Column.right("value"), Column.left("meaning"))
                .row("requests sent", r.requestsSent(),
                        "the exchange received " + x.requests() + "; the listener saw " + s.attempts() + " attempts")
                .row("attempt time p50", millis(s.p50()), "half the attempts took at most this (the HTTP round trip)")
                .row("attempt time p99", millis(s.p99()), "99 % took at most this: exact, over all " + s.attempts() + " attempts")
                .row("request weight sent", x.weight(), weights(s) + "; the exchange counted " + x.weight())
                .row("rate-limited (HTTP 429)", x.rateLimited(),
                        x.rateLimited() == 0 ? "none: the concurrent group kept the bot under the limit"
                                : "the exchange refused these: over its limit")
                .row("peak weight in any " + window, x.peakInWindow(), "the exchange allows " + x.limit()
                        + (x.limitChange() == null ? "" : " at first"));
        var change = x.limitChange();
        if (change != null) {
            table.row("limit change followed", followed(s), "the exchange announced " + change.to() + " per " + window
                    + " at " + TradingBot.format(change.announcedAt()) + " (RateLimit-Policy), enforced it from "
                    + TradingBot.format(change.enforcedAt()) + "; peak since: " + change.peakAfter());
        }
        table.row("paused by the exchange", s.pauses(), s.pauses() == 0 ? "its RateLimit never said nothing was left"
                        : "its RateLimit said nothing was left, or a 429 asked to wait (longest " + millis(s.longestPause())
                        + "): every call waited")
                .row("longest group wait", millis(s.longestWait() == null ? null : s.longestWait().waited()),
                        waitedFor(s.longestWait()))
                .row("unavailable (HTTP 503)", x.unavailable(),
                        "the exchange fails " + Math.round(api.unavailableRate() * 100) + " % of requests (seed " + api.seed() + ")")
                .row("  retried", s.retries(), retried(s))
                .row("  calls recovered", s.recovered(), "calls that succeeded after one or more retries")
                .row("  calls failed for good", s.failed(), s.failed() == 0 ? "none" : "out of retries")
                .row("other 4xx, not retried", s.rejected(), "asking again would not help: the filter says so")
                .row("calls by the startup hook", s.startupCalls(), "checks the exchange before the emits start");
        s.emits().forEach((emit, count) -> table.row(
                "calls by emit \"" + emit + "\"", count.calls(), count.iterations() + " iteration(s)" + role(emit)));
        return "Ran " + TradingBot.format(r.elapsed()) + ", stopped because: " + r.stoppedBy() + "\n" + table.render();
    }

    /** The exchange's weights, and how many requests of each the bot sent: "order 1 x 6, quote 1 x 52, book 5 x 12". */
    private static String weights(DemoStats.Snapshot s) {
        return TradingBot.WEIGHTS.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue() + " x " + s.attemptsByExecute().getOrDefault(e.getKey(), 0L))
                .collect(Collectors.joining(", "));
    }

    /** The group's limit changes, as the first window's limit: "20 -> 10", or "not followed". */
    private static String followed(DemoStats.Snapshot s) {
        if (s.limitChanges().isEmpty()) return "not followed";
        var first = s.limitChanges().getFirst();
        var last = s.limitChanges().getLast();
        return first.from().callsPerWindow() + " -> " + last.to().callsPerWindow();
    }

    /** A duration rounded to the millisecond (half up), as an interval string; "-" for none. */
    static String millis(@Nullable Duration d) {
        if (d == null) return "-";
        return Intervals.format(Duration.ofMillis((d.toNanos() + 500_000) / 1_000_000));
    }

    private static String waitedFor(BotEvent.@Nullable GroupWaited w) {
        if (w == null) return "no attempt had to wait in a group";
        String what = w.waitedFor() == BotEvent.WaitedFor.WINDOW_START
                ? "its start in the sliding window" : "a slot (all taken)";
        return "\"" + w.execute() + "\" waited for " + what + " of group \"" + w.group() + "\"";
    }

    /** What the retry rule did: the exchange's Retry-After first, the backoff only without one. */
    private static String retried(DemoStats.Snapshot s) {
        String backoff = "without one, backoff " + Intervals.format(TradingBot.BACKOFF_BASE) + ".."
                + Intervals.format(TradingBot.BACKOFF_CAP) + " + jitter";
        if (s.retries() == 0) return "they would wait the exchange's Retry-After; " + backoff;
        String waits = s.retryAfterWaits().stream().map(Intervals::format).collect(Collectors.joining(", "));
        String after = s.retriesAfterRetryAfter() == s.retries() ? "all" : s.retriesAfterRetryAfter() + " of " + s.retries();
        return after + ": the exchange's Retry-After" + (waits.isEmpty() ? "" : " (" + waits + ")") + "; " + backoff;
    }

    private static String role(String emit) {
        return switch (emit) {
            case "prices" -> ", " + TradingBot.SYMBOLS.size() + " quotes and 1 order book at once each, + 1 unlisted symbol";
            case "momentum" -> ", started and stopped by \"prices\"; trades when a price moved";
            case "dca" -> ", a counted emit";
            default -> "";
        };
    }
}
