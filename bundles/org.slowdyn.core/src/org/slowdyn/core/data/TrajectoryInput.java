package org.slowdyn.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a featurizer starts from: trajectories already in memory (for example simulated coordinates), trajectory or
 * table files, or both, with an optional topology file. Files are separate trajectories unless a featurizer's
 * settings say otherwise.
 */
public final class TrajectoryInput {
    private final List<FeatureSeries> series;
    private final List<Path> files;
    private final Path topology;

    private TrajectoryInput(List<FeatureSeries> series, List<Path> files, Path topology) {
        this.series = List.copyOf(series);
        this.files = List.copyOf(files);
        this.topology = topology;
    }

    public static TrajectoryInput ofSeries(List<FeatureSeries> series) {
        return new TrajectoryInput(series, List.of(), null);
    }

    public static TrajectoryInput ofFiles(List<Path> files, Path topology) {
        return new TrajectoryInput(List.of(), files, topology);
    }

    public List<FeatureSeries> series() {
        return series;
    }

    public List<Path> files() {
        return files;
    }

    public Optional<Path> topology() {
        return Optional.ofNullable(topology);
    }

    @Override
    public String toString() {
        return "TrajectoryInput[" + series.size() + " in-memory series, files " + files
                + (topology == null ? "" : ", topology " + topology) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrajectoryInput && ((TrajectoryInput) o).series.equals(series)
                && ((TrajectoryInput) o).files.equals(files) && Objects.equals(((TrajectoryInput) o).topology, topology);
    }

    @Override
    public int hashCode() {
        return Objects.hash(series, files, topology);
    }
}
