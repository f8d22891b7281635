package dev.exmachina.examples.demo;

import dev.exmachina.examples.demo.Table.Column;
import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;

/** The table the demo prints at the end: what the bot did, and what the exchange saw of it. */
final class Summary {
    private Summary() {}

    static String render(TradingBot.Report r, ExchangeServer.Config api) {
        ExchangeStats x = r.exchange();
        String window = TradingBot.format(x.window());
        var table = new Table(Column.left("what"), Column.right("count"), Column.left("meaning"))
                .row("requests sent", r.requestsSent(), "the exchange received " + x.requests())
                .row("rate-limited (HTTP 429)", x.rateLimited(),
                        x.rateLimited() == 0 ? "none: the concurrent group kept the bot under the limit"
                                : "the exchange refused these: over its limit")
                .row("peak requests in any " + window, x.peakInWindow(), "the exchange allows " + x.limit())
                .row("unavailable (HTTP 503)", x.unavailable(),
                        "the exchange fails " + Math.round(api.unavailableRate() * 100) + " % of requests (seed " + api.seed() + ")")
                .row("  retried", r.retries(), "exponential backoff with jitter, 100 ms base, 1 s cap")
                .row("  calls recovered", r.recovered(), "calls that succeeded after one or more retries")
                .row("  calls failed for good", r.failed(), r.failed() == 0 ? "none" : "out of retries")
                .row("other 4xx, not retried", r.rejected(), "asking again would not help: the filter says so")
                .row("executes by the startup hook", r.startupCalls(), "checks the exchange before the emits start");
        r.emits().forEach((emit, count) -> table.row(
                "executes by emit \"" + emit + "\"", count.executes(), count.iterations() + " iteration(s)" + role(emit)));
        return "Ran " + TradingBot.format(r.elapsed()) + ", stopped because: " + r.stoppedBy() + "\n" + table.render();
    }

    private static String role(String emit) {
        return switch (emit) {
            case "prices" -> ", " + TradingBot.SYMBOLS.size() + " quotes at once each, + 1 unlisted symbol";
            case "momentum" -> ", started and stopped by \"prices\"; trades when a price moved";
            case "dca" -> ", a counted emit";
            default -> "";
        };
    }
}
