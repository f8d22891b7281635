package dev.exmachina.core.internal.breaker;

import java.util.function.Predicate;

/** The default filter of a breaker's rules: accepts every failure. One instance, so rules compare equal. */
public final class AcceptAll implements Predicate<Object> {

    public static final AcceptAll INSTANCE = new AcceptAll();

    private AcceptAll() {}

    @Override
    public boolean test(Object failure) {
        return true;
    }

    @Override
    public String toString() {
        return "any";
    }
}
