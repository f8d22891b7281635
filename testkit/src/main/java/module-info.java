/** A virtual clock that makes bot tests instant and deterministic, and its JUnit 5 extension. */
module dev.exmachina.testkit {
    requires static org.jspecify;
    requires transitive dev.exmachina.core;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;

    exports dev.exmachina.testkit;
}
