package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fitted partition by nearest center (Voronoi cells, Euclidean distance over the chosen features; ties go to the
 * center listed first). Shared by the given-centers, k-means and regular-space partitions. Immutable.
 */
final class VoronoiAssignment implements FittedPartition {
    private final String partitionId;
    private final List<String> features;
    private final double[][] centers;
    private final List<String> notes;

    VoronoiAssignment(String partitionId, List<String> features, double[][] centers, List<String> notes) {
        this.partitionId = partitionId;
        this.features = List.copyOf(features);
        this.centers = centers;
        this.notes = List.copyOf(notes);
    }

    static VoronoiAssignment fromJson(String partitionId, JsonNode json) {
        List<String> features = FeatureColumns.labelsFromJson(json.path("features"));
        List<double[]> centers = new ArrayList<>();
        for (JsonNode p : json.path("centers")) {
            double[] point = new double[p.size()];
            for (int j = 0; j < point.length; j++) {
                point[j] = p.get(j).asDouble();
            }
            if (point.length != features.size()) {
                throw new ConfigurationException(partitionId + ": saved center " + centers.size() + " has "
                        + point.length + " coordinates, expected " + features.size());
            }
            centers.add(point);
        }
        if (features.isEmpty() || centers.isEmpty()) {
            throw new ConfigurationException(partitionId + ": saved partition has no features or no centers");
        }
        List<String> notes = new ArrayList<>();
        json.path("notes").forEach(n -> notes.add(n.asText()));
        return new VoronoiAssignment(partitionId, features, centers.toArray(new double[0][]), notes);
    }

    double[][] centers() {
        double[][] copy = new double[centers.length][];
        for (int k = 0; k < copy.length; k++) {
            copy[k] = centers[k].clone();
        }
        return copy;
    }

    @Override
    public String partitionId() {
        return partitionId;
    }

    @Override
    public int numberOfStates() {
        return centers.length;
    }

    @Override
    public List<String> stateLabels() {
        List<String> labels = new ArrayList<>();
        for (double[] c : centers) {
            StringBuilder b = new StringBuilder("(");
            for (int j = 0; j < c.length; j++) {
                b.append(j > 0 ? ", " : "").append(FeatureColumns.format(c[j]));
            }
            labels.add(b.append(')').toString());
        }
        return labels;
    }

    @Override
    public List<String> notes() {
        return notes;
    }

    @Override
    public StateSequence assign(FeatureSeries series) {
        int[] cols = series.indicesOf(features, partitionId);
        double[] points = Clustering.gather(List.of(series), cols);
        int[] states = new int[series.frames()];
        Clustering.assign(points, cols.length, Clustering.flatten(centers), centers.length, states, 0);
        return StateSequence.wrap(states, centers.length, series.frameInterval(), series.timeUnit(), series.source());
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("partition", partitionId);
        node.set("features", FeatureColumns.toJson(features));
        node.set("centers", FeatureColumns.matrixToJson(centers));
        ArrayNode n = node.putArray("notes");
        notes.forEach(n::add);
        return node;
    }
}
