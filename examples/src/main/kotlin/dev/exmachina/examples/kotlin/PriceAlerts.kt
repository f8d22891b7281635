package dev.exmachina.examples.kotlin

import dev.exmachina.core.BotClock
import dev.exmachina.core.Machina
import dev.exmachina.examples.exchange.ApiException
import dev.exmachina.examples.exchange.ExchangeClient
import dev.exmachina.examples.exchange.ExchangeServer
import dev.exmachina.kotlin.callSuspend
import dev.exmachina.kotlin.fixedRetry
import dev.exmachina.kotlin.machina
import dev.exmachina.retry.Retry
import java.io.IOException
import java.math.BigDecimal
import java.util.Collections
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.async

/** Where the bot reads prices; `null` when the source does not quote the symbol. */
fun interface PriceSource {
    @Throws(IOException::class)
    fun price(symbol: String): BigDecimal?
}

/**
 * A small bot in Kotlin, on `exmachina-kotlin`: every second, `watch` quotes every symbol of
 * [thresholds] at once (at most two requests in flight, three per second) and records an alert for
 * each price above its threshold; it stops after [ticks] iterations.
 *
 * The bot is built with the `machina { }` DSL and `kotlin.time` durations; the emit's handler is a
 * coroutine, and each quote a suspending call: the quotes of one tick run side by side while the
 * handler's coroutine waits for them, holding no thread. On a virtual clock (the test) its waits
 * and the group's window move on the same virtual time. The library's jspecify annotations reach
 * Kotlin as real nullness: a quote is `BigDecimal?`, and using it as a `BigDecimal` does not compile.
 */
class PriceAlerts(
    clock: BotClock,
    private val source: PriceSource,
    private val thresholds: Map<String, BigDecimal>,
    ticks: Long,
) {
    /** "#epoch instant symbol price > threshold", in the order they were raised. */
    val alerts: MutableList<String> = Collections.synchronizedList(mutableListOf())

    val bot: Machina = machina {
        name = "alerts"
        this.clock = clock
        group("quotes") { concurrency = 2; perWindow(3, 1.seconds) }

        // An IOException is worth two more tries, a quarter of a second apart.
        val retry = Retry.of(fixedRetry(IOException::class.java, 250.milliseconds).retries(2))
        val quote = execute("quote", groups = listOf("quotes"), retry = retry) { symbol: String ->
            source.price(symbol)
        }

        emit("watch", every = 1.seconds, count = ticks) { event ->
            val quotes = thresholds.keys.associateWith { symbol -> async { quote.callSuspend(symbol) } }
            for ((symbol, pending) in quotes) {
                val price: BigDecimal = pending.await() ?: continue // the source does not quote it
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
