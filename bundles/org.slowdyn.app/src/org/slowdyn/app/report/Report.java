package org.slowdyn.app.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.slowdyn.core.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A titled list of sections, written as {@code NAME.json}, {@code NAME.md} and a self-contained {@code NAME.html}. */
public final class Report {
    private final String title;
    private final String format;
    private final List<ReportSection> sections;

    /** @param format the JSON's {@code format} field, e.g. "slowdyn-report v2" */
    public Report(String title, String format, List<ReportSection> sections) {
        this.title = title;
        this.format = format;
        this.sections = List.copyOf(sections);
    }

    public ObjectNode json() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("format", format);
        sections.forEach(s -> s.json(root));
        return root;
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        sections.forEach(s -> md.append(s.markdown()));
        return md.toString();
    }

    public String html() {
        HtmlPage page = new HtmlPage(title);
        sections.forEach(s -> s.html(page));
        return page.html();
    }

    /** Writes the three files into the folder, each atomically. */
    public void write(Path folder, String name) throws IOException {
        AtomicFiles.writeString(folder.resolve(name + ".json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()));
        AtomicFiles.writeString(folder.resolve(name + ".md"), markdown());
        AtomicFiles.writeString(folder.resolve(name + ".html"), html());
    }
}
