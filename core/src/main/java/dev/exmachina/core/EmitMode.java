package dev.exmachina.core;

/** How an emit's interval is measured. */
public enum EmitMode {
    /** Wait the interval after each iteration ends: a fixed delay. The default. */
    AFTER,
    /**
     * Wait the interval minus the iteration's duration: a fixed rate. An iteration that overran the
     * interval is followed at once by the next one, with a warning giving the lag.
     */
    ENTIRE
}
