package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.exmachina.examples.demo.Table.Column;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void padsEveryColumnToItsWidestCellAndAlignsNumbersRight() {
        String table = new Table(Column.left("what"), Column.right("count"))
                .row("requests sent", 71)
                .row("429", 0)
                .render();
        assertEquals("""
                +---------------+-------+
                | what          | count |
                +---------------+-------+
                | requests sent |    71 |
                | 429           |     0 |
                +---------------+-------+
                """, table);
    }

    @Test
    void rejectsARowOfTheWrongWidth() {
        var table = new Table(Column.left("a"), Column.left("b"));
        var e = assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertEquals("row has 1 cells, table has 2 columns", e.getMessage());
    }
}
