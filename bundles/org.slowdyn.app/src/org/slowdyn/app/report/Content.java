package org.slowdyn.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The readable part of a section, written once: a heading, paragraphs, lists, tables and charts, in order. Markdown
 * shows everything but the charts (it points to the HTML for them); HTML shows everything.
 */
public final class Content {
    private sealed interface Item permits Heading, Text, Bullets, TableItem, ChartItem {
    }

    private record Heading(String text) implements Item {
    }

    private record Text(String text) implements Item {
    }

    private record Bullets(List<String> items) implements Item {
    }

    private record TableItem(Table table) implements Item {
    }

    private record ChartItem(Supplier<Chart> chart, String caption) implements Item {
    }

    private final List<Item> items = new ArrayList<>();

    public Content heading(String text) {
        items.add(new Heading(text));
        return this;
    }

    public Content paragraph(String text) {
        items.add(new Text(text));
        return this;
    }

    public Content bullets(List<String> list) {
        if (!list.isEmpty()) {
            items.add(new Bullets(List.copyOf(list)));
        }
        return this;
    }

    public Content table(Table t) {
        items.add(new TableItem(t));
        return this;
    }

    /** A chart, drawn only for the HTML. */
    public Content chart(Supplier<Chart> chart, String caption) {
        items.add(new ChartItem(chart, caption));
        return this;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        for (Item i : items) {
            if (i instanceof Heading h) {
                md.append("## ").append(h.text()).append("\n\n");
            } else if (i instanceof Text t) {
                md.append(t.text()).append("\n\n");
            } else if (i instanceof Bullets b) {
                b.items().forEach(x -> md.append("- ").append(x).append('\n'));
                md.append('\n');
            } else if (i instanceof TableItem t) {
                md.append(t.table().markdown());
            } else if (i instanceof ChartItem c) {
                md.append("(Plot in the HTML report: ").append(c.caption()).append(")\n\n");
            }
        }
        return md.toString();
    }

    public void html(HtmlPage page) {
        for (Item i : items) {
            if (i instanceof Heading h) {
                page.heading(2, h.text());
            } else if (i instanceof Text t) {
                page.paragraph(t.text());
            } else if (i instanceof Bullets b) {
                page.list(b.items());
            } else if (i instanceof TableItem t) {
                page.table(t.table());
            } else if (i instanceof ChartItem c) {
                page.chart(c.chart().get(), c.caption());
            }
        }
    }
}
