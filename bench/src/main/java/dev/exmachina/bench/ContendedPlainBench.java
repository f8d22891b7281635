package dev.exmachina.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * ContendedBench with the bot's scopes on plain virtual threads ({@code -Ddev.exmachina.scope=plain}),
 * as on JDK 21 or without {@code --enable-preview}; measured in the same run as ContendedBench, whose
 * bots run on StructuredTaskScope. The anchors are the same in both.
 */
@Fork(value = 3, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR",
        "-Ddev.exmachina.scope=plain"})
public class ContendedPlainBench extends ContendedBench {}
