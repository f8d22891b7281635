package dev.exmachina.retry;

import java.util.function.Predicate;

/** The default filter of every rule: a named singleton, so a rule's {@code toString} stays readable. */
enum AcceptAll implements Predicate<Object> {
    INSTANCE;

    @Override
    public boolean test(Object failure) {
        return true;
    }

    @Override
    public String toString() {
        return "any";
    }
}
