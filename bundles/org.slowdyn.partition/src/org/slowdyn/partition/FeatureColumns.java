package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.data.FeatureSeries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The feature columns a partition works on, found by label in each series. */
final class FeatureColumns {
    private FeatureColumns() {
    }

    /** The labels to use: the given ones, or every column of the first series when none are given. */
    static List<String> choose(List<String> requested, List<FeatureSeries> data, String context) {
        if (data.isEmpty()) {
            throw new ConfigurationException(context + ": no trajectories to fit on");
        }
        return requested.isEmpty() ? data.get(0).labels() : requested;
    }

    static ArrayNode toJson(List<String> labels) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        labels.forEach(a::add);
        return a;
    }

    /** A matrix as a JSON array of rows. */
    static ArrayNode matrixToJson(double[][] m) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (double[] row : m) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return a;
    }

    static List<String> labelsFromJson(JsonNode node) {
        List<String> labels = new ArrayList<>();
        node.forEach(n -> labels.add(n.asText()));
        return labels;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
