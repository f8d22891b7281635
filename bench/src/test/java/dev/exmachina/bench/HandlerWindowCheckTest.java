package dev.exmachina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The handler-side window check at a tiny size, so it never rots; nothing about timing is asserted. */
class HandlerWindowCheckTest {

    /** Tests that both anchors run and every start is accounted for on both sides. */
    @Test
    void runsBothAnchorsAtATinySize() throws Exception {
        for (var anchor : GroupLimits.WindowAnchor.values()) {
            var result = HandlerWindowCheck.run(20, Duration.ofMillis(10), 200, 4, 50, anchor);
            assertEquals(200, result.decided().starts());
            assertEquals(200, result.handler().starts());
        }
    }
}
