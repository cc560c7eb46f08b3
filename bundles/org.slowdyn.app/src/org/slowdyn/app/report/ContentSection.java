package org.slowdyn.app.report;

/** A section whose Markdown and HTML come from one {@link Content}, built on first use. */
public abstract class ContentSection implements ReportSection {
    private Content content;

    /** Fills the section's readable content. */
    protected abstract void content(Content c);

    private Content built() {
        if (content == null) {
            content = new Content();
            content(content);
        }
        return content;
    }

    @Override
    public String markdown() {
        return built().markdown();
    }

    @Override
    public void html(HtmlPage page) {
        built().html(page);
    }
}
