package org.slowdyn.app.report;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One part of a report, rendered three ways from the same values: its fields of the JSON report, its Markdown (with
 * its own heading) and its HTML (with its plots). A report is a list of sections; adding a measure is adding one.
 */
public interface ReportSection {
    /** Adds this section's fields to the report's JSON object. */
    void json(ObjectNode root);

    /** This section as Markdown, from its heading on; empty when it has nothing to say. */
    String markdown();

    /** This section as HTML, with its plots. */
    void html(HtmlPage page);
}
