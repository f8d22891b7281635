/** Binds a bot's listener events to a Micrometer {@code MeterRegistry}: {@link dev.exmachina.micrometer.MachinaMetrics}. */
module dev.exmachina.micrometer {
    requires static org.jspecify;
    requires transitive dev.exmachina.core;
    requires transitive micrometer.core;

    exports dev.exmachina.micrometer;
}
