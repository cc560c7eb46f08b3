package org.slowdyn.app.report;

/**
 * One self-contained HTML page: styles in the head, plots as inline SVG, no script and no external resource, so it
 * opens in any browser from a file or an e-mail attachment.
 */
public final class HtmlPage {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
    }

    public HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append(" id=\"").append(anchor(text)).append("\">").append(escape(text))
                .append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlPage list(Iterable<String> items) {
        body.append("<ul>\n");
        items.forEach(i -> body.append("<li>").append(escape(i)).append("</li>\n"));
        body.append("</ul>\n");
        return this;
    }

    public HtmlPage table(Table t) {
        body.append(t.html());
        return this;
    }

    /** A chart with a caption; a chart without points is replaced by a line that says so. */
    public HtmlPage chart(Chart chart, String caption) {
        body.append("<figure>\n");
        if (chart.points() == 0) {
            body.append("<p class=\"empty\">(no data to plot)</p>\n");
        } else {
            body.append(chart.svg(760, 400)).append('\n');
        }
        body.append("<figcaption>").append(escape(caption)).append("</figcaption>\n</figure>\n");
        return this;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n"
                + "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;"
                + "padding:0 1em;color:#222;line-height:1.45}\n"
                + "div.table{overflow-x:auto;margin:0.8em 0}\ntable{border-collapse:collapse;font-size:0.85em}\n"
                + "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right}\ntd{white-space:nowrap}\ntd.text{white-space:normal;min-width:22em;text-align:left}\n"
                + "th{background:#f2f2f2}\ntd:first-child,th:first-child{text-align:left}\n"
                + "figure{margin:1em 0}\nfigcaption{font-size:0.85em;color:#555}\n"
                + "h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:1.6em}\n"
                + ".empty{color:#999}\n.verdict-reproduced{color:#0a7a2f}\n.verdict-failed{color:#b00020}\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String anchor(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
