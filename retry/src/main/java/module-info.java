/** Retry rules and the decision of what to wait after a failure: pure functions, no threads, no clock. */
module dev.exmachina.retry {
    // Static: optional at run time. Transitive: @Nullable is part of the exported API, so a module
    // that reads this one reads the annotations too (and javac's [exports] lint is satisfied).
    requires static transitive org.jspecify;

    exports dev.exmachina.retry;
}
