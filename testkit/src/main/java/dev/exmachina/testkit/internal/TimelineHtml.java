package dev.exmachina.testkit.internal;

import dev.exmachina.testkit.Timeline.Mark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a timeline's marks as one HTML page: inline SVG and CSS, no script, nothing loaded. One
 * lane per bot, emit, execute and group (in that order, each in order of first appearance); bars
 * that overlap on a lane go to rows of their own. Every drawn element carries {@code data-lane} or
 * {@code data-kind}, so what a browser renders can be checked.
 */
public final class TimelineHtml {

    private static final int LEFT = 190;
    private static final int ROW = 16;
    private static final int MAX_ROWS = 8;
    private static final List<String> LANE_ORDER = List.of("bot ", "emit ", "execute ", "group ");

    private TimelineHtml() {}

    /** The page for {@code marks}, {@code dropped} older ones left out, the clock at {@code now}. */
    public static String render(String title, List<Mark> marks, long dropped, long now) {
        long from = marks.stream().mapToLong(Mark::startNanos).min().orElse(0);
        long to = Math.max(now, marks.stream().mapToLong(Mark::endNanos).max().orElse(now));
        long span = Math.max(to - from, 1_000_000);
        long instants = marks.stream().mapToLong(Mark::startNanos).distinct().count();
        int width = (int) Math.min(12_000, Math.max(1_000, instants * 8));
        double scale = width / (double) span;
        Map<String, List<Mark>> lanes = lanes(marks);

        StringBuilder svg = new StringBuilder();
        int y = 34;
        for (Map.Entry<String, List<Mark>> lane : lanes.entrySet()) {
            y = lane(svg, lane.getKey(), lane.getValue(), y, from, scale);
        }
        StringBuilder page = new StringBuilder(8_192 + marks.size() * 300);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n<h1>")
                .append(esc(title)).append("</h1>\n<p class=\"summary\">Virtual time from ").append(at(from)).append(" to ")
                .append(at(to)).append(": ").append(lanes.size()).append(" lanes, ").append(marks.size()).append(" marks")
                .append(dropped > 0 ? ", the " + dropped + " oldest left out" : "").append(".</p>\n");
        legend(page, marks);
        page.append("<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LEFT + width + 70)
                .append("\" height=\"").append(y + 10).append("\">\n");
        axis(page, from, span, width, y);
        page.append(svg).append("</svg></div>\n<h2>Events</h2>\n<ol class=\"events\">\n");
        marks.stream().sorted(Comparator.comparingLong(Mark::startNanos)).forEach(m -> page.append("<li data-lane=\"")
                .append(esc(m.lane())).append("\" data-kind=\"").append(esc(m.kind())).append("\"><span class=\"t\">")
                .append(at(m.startNanos())).append(m.endNanos() > m.startNanos() ? " – " + at(m.endNanos()) : "")
                .append("</span> <b>").append(esc(m.lane())).append("</b> ").append(esc(m.label())).append("</li>\n"));
        return page.append("</ol>\n</body></html>\n").toString();
    }

    private static Map<String, List<Mark>> lanes(List<Mark> marks) {
        Map<String, List<Mark>> lanes = new LinkedHashMap<>();
        marks.stream()
                .sorted(Comparator.comparingInt((Mark m) -> rank(m.lane())))
                .forEach(m -> lanes.computeIfAbsent(m.lane(), k -> new ArrayList<>()).add(m));
        return lanes;
    }

    private static int rank(String lane) {
        for (int i = 0; i < LANE_ORDER.size(); i++) {
            if (lane.startsWith(LANE_ORDER.get(i))) {
                return i;
            }
        }
        return LANE_ORDER.size();
    }

    /** Draws one lane from {@code y}; returns where the next begins. */
    private static int lane(StringBuilder svg, String name, List<Mark> marks, int y, long from, double scale) {
        List<Mark> sorted = marks.stream().sorted(Comparator.comparingLong(Mark::startNanos)).toList();
        List<Double> rowEnds = new ArrayList<>();
        StringBuilder items = new StringBuilder();
        for (Mark m : sorted) {
            double x = LEFT + (m.startNanos() - from) * scale;
            double w = (m.endNanos() - m.startNanos()) * scale;
            boolean point = m.endNanos() == m.startNanos();
            int row = point ? 0 : row(rowEnds, x, x + Math.max(w, 2));
            int top = y + row * ROW;
            String tip = "<title>" + esc(m.label()) + " at " + at(m.startNanos())
                    + (point ? "" : " – " + at(m.endNanos())) + "</title>";
            items.append(point
                    ? String.format(Locale.ROOT, "<path class=\"mark %s\" data-kind=\"%s\" d=\"M%.1f %d l5 6 l-5 6 l-5 -6 z\">%s</path>\n",
                            esc(m.kind()), esc(m.kind()), x, top + 1, tip)
                    : String.format(Locale.ROOT, "<rect class=\"mark %s\" data-kind=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">%s</rect>\n",
                            esc(m.kind()), esc(m.kind()), x, top + 2, Math.max(w, 2), ROW - 4, tip));
        }
        int height = Math.max(1, rowEnds.size()) * ROW + 8;
        svg.append("<g class=\"lane\" data-lane=\"").append(esc(name)).append("\">\n")
                .append(String.format(Locale.ROOT, "<rect class=\"lane-bg\" x=\"0\" y=\"%d\" width=\"100%%\" height=\"%d\"/>\n", y - 4, height))
                .append(String.format(Locale.ROOT, "<text class=\"lane-name\" x=\"6\" y=\"%d\">%s</text>\n", y + 11, esc(name)))
                .append(items).append("</g>\n");
        return y + height;
    }

    /** The first row whose last bar ends before {@code start}; a new one while there are few. */
    private static int row(List<Double> rowEnds, double start, double end) {
        for (int i = 0; i < rowEnds.size(); i++) {
            if (rowEnds.get(i) <= start) {
                rowEnds.set(i, end);
                return i;
            }
        }
        if (rowEnds.size() < MAX_ROWS) {
            rowEnds.add(end);
            return rowEnds.size() - 1;
        }
        return MAX_ROWS - 1;
    }

    private static void axis(StringBuilder page, long from, long span, int width, int height) {
        long step = niceStep(span / 10);
        page.append("<g class=\"axis\">\n");
        for (long t = (from / step) * step; t <= from + span; t += step) {
            if (t < from) {
                continue;
            }
            double x = LEFT + (t - from) * (width / (double) span);
            page.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" y=\"14\">%s</text>\n",
                    x, x, height, x + 2, at(t)));
        }
        page.append("</g>\n");
    }

    private static long niceStep(long rough) {
        long step = 1;
        while (step * 10 <= rough) {
            step *= 10;
        }
        return rough >= step * 5 ? step * 5 : rough >= step * 2 ? step * 2 : step;
    }

    private static void legend(StringBuilder page, List<Mark> marks) {
        Set<String> kinds = new LinkedHashSet<>();
        marks.forEach(m -> kinds.add(m.kind()));
        page.append("<p class=\"legend\">");
        kinds.forEach(k -> page.append("<span class=\"key\"><svg width=\"14\" height=\"12\"><rect class=\"mark ")
                .append(esc(k)).append("\" width=\"14\" height=\"12\"/></svg> ").append(esc(k)).append("</span>"));
        page.append("</p>\n");
    }

    /** A virtual instant as {@code +1.5s}, {@code +250ms} or {@code +26h01m02s}. */
    static String at(long nanos) {
        if (nanos < 1_000_000_000L) {
            return trim(String.format(Locale.ROOT, "+%.3f", nanos / 1e6)) + "ms";
        }
        long seconds = nanos / 1_000_000_000L;
        if (seconds < 3_600) {
            return trim(String.format(Locale.ROOT, "+%.3f", nanos / 1e9)) + "s";
        }
        return String.format(Locale.ROOT, "+%dh%02dm%02ds", seconds / 3_600, seconds / 60 % 60, seconds % 60);
    }

    private static String trim(String decimal) {
        return decimal.replaceFirst("\\.?0+$", "");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body{font:13px system-ui,sans-serif;margin:16px;color:#222}
            h1{font-size:16px} h2{font-size:14px}
            .scroll{overflow-x:auto;border:1px solid #ddd}
            .axis line{stroke:#e4e4e4} .axis text{fill:#777;font-size:10px}
            .lane-bg{fill:#fafafa;stroke:#eee} .lane-name{font-size:11px;fill:#333}
            .mark{stroke:#0003;stroke-width:.5}
            .iteration{fill:#9ecae1} .iteration-failed{fill:#de2d26} .running{fill:#fdd0a2}
            .attempt-success{fill:#31a354} .attempt-failure{fill:#e6550d} .attempt-cancelled{fill:#969696}
            .timeout{fill:#756bb1} .retry-wait{fill:#fee391} .wait-slot{fill:#6baed6} .wait-window{fill:#c6dbef}
            .emit-failed{fill:#de2d26} .restart-wait{fill:#fcbba1} .bot-started,.bot-stopped{fill:#252525}
            .hook-failed{fill:#a50f15}
            .legend .key{margin-right:12px;white-space:nowrap}
            .events{font:12px ui-monospace,monospace} .events .t{color:#555}
            """;
}
