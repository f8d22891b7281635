package dev.exmachina.examples.exchange;

import java.math.BigDecimal;

/** The best bid and ask of a symbol. */
public record Book(String symbol, BigDecimal bid, BigDecimal ask) {}
