package dev.exmachina.examples.exchange;

import java.math.BigDecimal;

/** An order the exchange accepted, at the price it filled. */
public record Fill(long orderId, String symbol, String side, BigDecimal quantity, BigDecimal price) {}
