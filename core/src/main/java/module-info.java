/** The bot runtime: emits, executes, concurrent groups and the clock they wait on. */
module dev.exmachina.core {
    requires static org.jspecify;
    requires transitive dev.exmachina.retry;
    requires org.slf4j;

    exports dev.exmachina.core;
    exports dev.exmachina.core.spi;
}
