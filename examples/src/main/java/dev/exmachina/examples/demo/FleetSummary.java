package dev.exmachina.examples.demo;

import dev.exmachina.examples.demo.Table.Column;
import dev.exmachina.examples.exchange.ExchangeServer;
import dev.exmachina.examples.exchange.ExchangeStats;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The table a fleet prints at the end: each bot's requests and calls as it counted them, and the
 * exchange's totals, which are the truth about the whole fleet.
 */
final class FleetSummary {
    private FleetSummary() {}

    static String render(Fleet.Report r, ExchangeServer.Config api) {
        ExchangeStats x = r.exchange();
        var table = new Table(Column.left("process"), Column.right("exit"), Column.right("requests"), Column.right("calls"),
                Column.right("HTTP 503"), Column.right("HTTP 429"), Column.right("failed for good"));
        for (Fleet.Member m : r.members()) {
            FleetMember.Result b = m.result();
            if (b == null) {
                table.row(m.name(), m.exitCode(), "-", "-", "-", "-", "-");
            } else {
                table.row(m.name(), m.exitCode(), b.requests(), b.calls(), b.unavailable(), b.rateLimited(), b.failed());
            }
        }
        table.row("all bots", "", sum(r, FleetMember.Result::requests), sum(r, FleetMember.Result::calls),
                sum(r, FleetMember.Result::unavailable), sum(r, FleetMember.Result::rateLimited), sum(r, FleetMember.Result::failed));
        table.row("exchange", "", x.requests(), "", x.unavailable(), x.rateLimited(), "");
        String window = TradingBot.format(x.window());
        double seconds = r.elapsed().toMillis() / 1000.0;
        return "Fleet of " + r.members().size() + " bot processes, ran " + TradingBot.format(r.elapsed())
                + ", stopped because: " + r.stoppedBy() + "\n"
                + table.render()
                + "The exchange's counts are the truth: it saw every request of every bot.\n"
                + "  HTTP 429 at the exchange: " + x.rateLimited()
                + (x.rateLimited() == 0 ? " (none: the group shared through Redis kept the whole fleet under the limit)"
                        : " (refused: over its limit)") + "\n"
                + "  peak weight in any " + window + ": " + x.peakInWindow() + " (the exchange allows " + x.limit() + ")\n"
                + String.format(Locale.ROOT, "  requests per second: %.1f over the %.1f s the fleet ran, JVM start-up included%n",
                        x.requests() / seconds, seconds)
                + "  HTTP 503: the exchange fails " + Math.round(api.unavailableRate() * 100) + " % of requests (seed "
                + api.seed() + "); each bot retried them after the exchange's Retry-After\n";
    }

    private static long sum(Fleet.Report r, ToLongFunction<FleetMember.Result> count) {
        return r.members().stream().map(Fleet.Member::result).filter(Objects::nonNull).mapToLong(count).sum();
    }
}
