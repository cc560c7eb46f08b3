package org.slowdyn.app.report;

import java.util.ArrayList;
import java.util.List;

/** A table of text cells, written once and rendered as Markdown and as HTML. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        return row(r);
    }

    public Table row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(cells.size() + " cells in a table of " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public int rows() {
        return rows.size();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("|");
        header.forEach(h -> md.append(' ').append(escapeMarkdown(h)).append(" |"));
        md.append("\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<String> r : rows) {
            md.append('|');
            r.forEach(c -> md.append(' ').append(escapeMarkdown(c)).append(" |"));
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    public String html() {
        StringBuilder h = new StringBuilder("<div class=\"table\"><table>\n<thead><tr>");
        header.forEach(c -> h.append("<th>").append(HtmlPage.escape(c)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            h.append("<tr>");
            // numbers with their errors stay on one line; long text (evidence, settings) wraps
            r.forEach(c -> h.append(c.length() > 40 ? "<td class=\"text\">" : "<td>").append(HtmlPage.escape(c))
                    .append("</td>"));
            h.append("</tr>\n");
        }
        return h.append("</tbody>\n</table></div>\n").toString();
    }

    private static String escapeMarkdown(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
