package dev.exmachina.examples.exchange;

import java.math.BigDecimal;

/** A price the exchange quoted. */
public record Quote(String symbol, BigDecimal price) {}
