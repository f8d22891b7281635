/**
 * The examples: the demo trading bot and the embedded exchange it trades on (also as a fleet of bot
 * processes sharing one limit through Redis), and a Kotlin bot.
 * Not published. The demo runs on the module path, so it uses the library as a modular
 * application would: through what core exports, nothing more.
 */
module dev.exmachina.examples {
    requires dev.exmachina.core;
    // The bot follows the exchange's RateLimit headers and Retry-After.
    requires dev.exmachina.http;
    // --fleet: the bots share their group through Redis (Jedis is an automatic module).
    requires dev.exmachina.redis;
    requires redis.clients.jedis;
    requires org.slf4j;
    requires static org.jspecify;
    requires java.net.http;
    requires jdk.httpserver;
    requires kotlin.stdlib;
    // The Kotlin bot: the DSL, kotlin.time twins and suspending calls, on kotlinx.coroutines.
    requires dev.exmachina.kotlin;
    requires kotlinx.coroutines.core;
    // sun.misc.Signal: the demo names the signal that stopped it (SIGINT or SIGTERM).
    requires jdk.unsupported;
}
