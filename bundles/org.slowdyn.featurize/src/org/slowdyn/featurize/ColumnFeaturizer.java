package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.Npy;
import org.slowdyn.io.Table;
import org.slowdyn.io.TextTableReader;

/**
 * Selects feature columns by name, from in-memory series (for example simulated coordinates) and from text tables
 * (whitespace or CSV with a header, PLUMED COLVAR) and NumPy {@code .npy} arrays (frames x features, columns named
 * "0", "1", ...). Each input file is one trajectory. The frame interval comes from a
 * file's {@code time} column (which must be evenly spaced) unless the settings give one.
 */
public class ColumnFeaturizer implements Featurizer {
    public static final String ID = "featurize.columns";

    public static final Setting<List<String>> COLUMNS = Setting.textList("columns", List.of(), 0,
            "columns to keep, in this order; empty keeps every column except 'time'");
    public static final Setting<Double> FRAME_INTERVAL = Setting.real("frameInterval", 0.0, 0.0,
            TrajectoryFeaturizer.MAX_FRAME_INTERVAL, "ps", "time between frames of table files; 0 takes it from their 'time' column");
    public static final Setting<String> TIME_UNIT = Setting.text("timeUnit", "ps",
            "unit of the time column and of frameInterval for table files");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(COLUMNS, FRAME_INTERVAL, TIME_UNIT);

    private static final String TIME = "time";
    /** Relative tolerance on the spacing of a time column (PLUMED writes times rounded to a few digits). */
    private static final double SPACING_TOLERANCE = 1e-3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Columns";
    }

    @Override
    public String description() {
        return "Selects named columns from in-memory series, text tables (CSV, whitespace, PLUMED COLVAR) or .npy arrays";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
        List<FeatureSeries> result = new ArrayList<>();
        SubMonitor progress = SubMonitor.convert(monitor, "Selecting columns",
                input.series().size() + input.files().size());
        for (FeatureSeries series : input.series()) {
            result.add(select(series, settings.get(COLUMNS)));
            progress.split(1);
        }
        TextTableReader reader = new TextTableReader();
        for (Path file : input.files()) {
            progress.subTask(file.toString());
            Table table = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")
                    ? Npy.readTable(file) : reader.read(file);
            result.add(select(fromTable(table, settings), settings.get(COLUMNS)));
            progress.split(1);
        }
        if (result.isEmpty()) {
            throw new ConfigurationException(ID + ": the input has no trajectories");
        }
        return result;
    }

    static FeatureSeries fromTable(Table table, Settings settings) {
        int timeColumn = table.columns().indexOf(TIME);
        double interval = settings.get(FRAME_INTERVAL);
        if (interval == 0) {
            if (timeColumn < 0 || table.rows() < 2) {
                throw new ConfigurationException(table.source() + ": no 'time' column with two or more rows to take "
                        + "the frame interval from; set '" + FRAME_INTERVAL.name() + "' in the featurizer settings");
            }
            interval = table.get(1, timeColumn) - table.get(0, timeColumn);
            for (int i = 1; i < table.rows(); i++) {
                double step = table.get(i, timeColumn) - table.get(i - 1, timeColumn);
                if (!(Math.abs(step - interval) <= SPACING_TOLERANCE * Math.abs(interval))) {
                    throw new InputException(table.source() + ", data row " + (i + 1) + " (frame " + i + "): time "
                            + table.get(i, timeColumn)
                            + " breaks the even spacing " + interval + " of the time column (a restart or a gap?)");
                }
            }
            if (!(interval > 0)) {
                throw new InputException(table.source() + ": time column does not increase (spacing " + interval + ")");
            }
        }
        List<String> labels = new ArrayList<>(table.columns());
        double[] values = new double[table.rows() * labels.size()];
        for (int i = 0; i < table.rows(); i++) {
            for (int j = 0; j < labels.size(); j++) {
                values[i * labels.size() + j] = table.get(i, j);
            }
        }
        return FeatureSeries.wrap(values, labels, interval, settings.get(TIME_UNIT), table.source());
    }

    static FeatureSeries select(FeatureSeries series, List<String> wanted) {
        List<String> names = wanted;
        if (names.isEmpty()) {
            names = new ArrayList<>(series.labels());
            names.remove(TIME);
        }
        int[] columns = series.indicesOf(names, ID);
        if (columns.length == 0) {
            throw new ConfigurationException(ID + ": " + series.source() + " has no columns besides 'time'");
        }
        return series.selectColumns(columns);
    }
}
