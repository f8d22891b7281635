package dev.exmachina.examples.kotlin

import dev.exmachina.core.BotClock
import dev.exmachina.core.EmitOptions
import dev.exmachina.core.Execute
import dev.exmachina.core.ExecuteOptions
import dev.exmachina.core.GroupLimits
import dev.exmachina.core.Machina
import dev.exmachina.examples.exchange.ApiException
import dev.exmachina.examples.exchange.ExchangeClient
import dev.exmachina.examples.exchange.ExchangeServer
import dev.exmachina.retry.Retry
import dev.exmachina.retry.RetryRule
import java.io.IOException
import java.math.BigDecimal
import java.time.Duration
import java.util.Collections

/** Where the bot reads prices; `null` when the source does not quote the symbol. */
fun interface PriceSource {
    @Throws(IOException::class)
    fun price(symbol: String): BigDecimal?
}

/**
 * A small bot in Kotlin: every second, `watch` quotes every symbol of [thresholds] at once (at
 * most two requests in flight, three per second) and records an alert for each price above its
 * threshold; it stops after [ticks] iterations.
 *
 * Every handler is the last parameter of its Java method, so it is a trailing lambda here; and the
 * library's jspecify annotations reach Kotlin as real nullness: the quote's result is
 * `BigDecimal?`, and assigning it to a `BigDecimal` does not compile.
 */
class PriceAlerts(
    clock: BotClock,
    private val source: PriceSource,
    private val thresholds: Map<String, BigDecimal>,
    ticks: Long,
) {
    val bot: Machina = Machina.builder().name("alerts").clock(clock).build()

    /** "#epoch instant symbol price > threshold", in the order they were raised. */
    val alerts: MutableList<String> = Collections.synchronizedList(mutableListOf())

    init {
        bot.concurrentGroup("quotes", GroupLimits.concurrency(2).perWindow(3, "1s"))

        // An IOException is worth two more tries, a quarter of a second apart.
        val retry = Retry.of(RetryRule.fixed(IOException::class.java, Duration.ofMillis(250)).retries(2))
        val quote: Execute<String, BigDecimal?> =
            bot.execute("quote", ExecuteOptions.groups("quotes").retry(retry)) { symbol: String ->
                source.price(symbol)
            }

        bot.emit("watch", EmitOptions.every("1s").count(ticks)) { event ->
            val forks = thresholds.keys.associateWith { symbol -> event.execute(quote, symbol) }
            for ((symbol, fork) in forks) {
                val price: BigDecimal = fork.join() ?: continue // the source does not quote it
                val threshold = thresholds.getValue(symbol)
                if (price > threshold) alerts += "#${event.epoch()} ${event.now()} $symbol $price > $threshold"
            }
        }
    }
}

/** Runs ten ticks of the alerts against the embedded exchange (`-Ddemo.main=...PriceAlertsKt`). */
fun main() {
    ExchangeServer.start(ExchangeServer.Config.defaults()).use { exchange ->
        ExchangeClient(exchange.baseUri()).use { client ->
            val source = PriceSource { symbol ->
                try {
                    client.price(symbol).price()
                } catch (e: ApiException) {
                    if (e.isServerError) throw e else null // 404: not listed; a 5xx is retried
                }
            }
            val thresholds = ExchangeServer.LISTED + ("DOGE" to BigDecimal.ONE) // alert above the opening price
            val alerts = PriceAlerts(BotClock.system(), source, thresholds, ticks = 10)
            alerts.bot.run()
            println("${alerts.alerts.size} alert(s), prices above their opening price:")
            alerts.alerts.forEach(::println)
        }
    }
}
