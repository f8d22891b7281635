/** Retry rules and the decision of what to wait after a failure: pure functions, no threads, no clock. */
module dev.exmachina.retry {
    requires static org.jspecify;

    exports dev.exmachina.retry;
}
