package dev.exmachina.examples.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-ASCII table for a terminal: ASCII so that it reads the same whatever the console's
 * encoding. Columns are left-aligned, or right-aligned when their header is.
 */
public final class Table {
    public enum Align { LEFT, RIGHT }

    public record Column(String header, Align align) {
        public static Column left(String header) {
            return new Column(header, Align.LEFT);
        }

        public static Column right(String header) {
            return new Column(header, Align.RIGHT);
        }
    }

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(Column... columns) {
        if (columns.length == 0) throw new IllegalArgumentException("a table needs at least one column");
        this.columns = List.of(columns);
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns.size() + " columns");
        }
        var row = new ArrayList<String>(cells.length);
        for (Object cell : cells) row.add(String.valueOf(cell));
        rows.add(row);
        return this;
    }

    public String render() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).header().length();
            for (var row : rows) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        var out = new StringBuilder();
        String rule = rule(widths);
        out.append(rule);
        line(out, columns.stream().map(Column::header).toList(), widths);
        out.append(rule);
        for (var row : rows) line(out, row, widths);
        out.append(rule);
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static String rule(int[] widths) {
        var sb = new StringBuilder("+");
        for (int w : widths) sb.append("-".repeat(w + 2)).append('+');
        return sb.append('\n').toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(columns.get(c).align() == Align.RIGHT ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
