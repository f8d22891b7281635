/**
 * The examples: the demo trading bot and the embedded exchange it trades on, and a Kotlin bot.
 * Not published. The demo runs on the module path, so it uses the library as a modular
 * application would: through what core exports, nothing more.
 */
module dev.exmachina.examples {
    requires dev.exmachina.core;
    requires org.slf4j;
    requires static org.jspecify;
    requires java.net.http;
    requires jdk.httpserver;
    requires kotlin.stdlib;
    // sun.misc.Signal: the demo names the signal that stopped it (SIGINT or SIGTERM).
    requires jdk.unsupported;
}
