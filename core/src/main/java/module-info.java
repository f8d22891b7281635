/** The bot runtime: emits, executes, concurrent groups and the clock they wait on. */
module dev.exmachina.core {
    requires static org.jspecify;
    requires transitive dev.exmachina.retry;
    requires org.slf4j;
    // JDK Flight Recorder events (internal.observe.JfrEvents); present in every standard JDK image.
    requires jdk.jfr;

    exports dev.exmachina.core;
    exports dev.exmachina.core.spi;
}
