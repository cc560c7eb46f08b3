package org.slowdyn.spark;

import org.slowdyn.core.StageRegistry;
import org.slowdyn.featurize.ColumnFeaturizer;
import org.slowdyn.featurize.CombinedFeaturizer;
import org.slowdyn.featurize.ContactFeaturizer;
import org.slowdyn.featurize.DistanceFeaturizer;
import org.slowdyn.featurize.PcaFeaturizer;
import org.slowdyn.featurize.RmsdFeaturizer;
import org.slowdyn.featurize.TicaFeaturizer;
import org.slowdyn.featurize.TorsionFeaturizer;
import org.slowdyn.partition.KMeansPartition;
import org.slowdyn.partition.MetastablePartition;
import org.slowdyn.partition.NearestCentersPartition;
import org.slowdyn.partition.RegularSpacePartition;
import org.slowdyn.partition.UniformGridPartition;
import org.slowdyn.recrossing.CoreSetMilestoning;
import org.slowdyn.recrossing.MinimumDwellFilter;
import org.slowdyn.recrossing.NoRecrossingFilter;
import org.slowdyn.recrossing.PeakAndStepFilter;
import org.slowdyn.train.markov.MarkovChainTrainer;

/**
 * The built-in stages on a plain classpath (no OSGi on Spark): every featurizer, partition and recrossing filter, and
 * the Markov trainer. The neural trainers stay on one node: they read the discrete trajectories this job writes.
 */
public final class ClasspathStages {
    private ClasspathStages() {
    }

    public static StageRegistry registry() {
        return StageRegistry.of(new ColumnFeaturizer(), new TorsionFeaturizer(), new DistanceFeaturizer(),
                new ContactFeaturizer(), new RmsdFeaturizer(), new PcaFeaturizer(), new TicaFeaturizer(),
                new CombinedFeaturizer(), new KMeansPartition(), new RegularSpacePartition(),
                new UniformGridPartition(), new NearestCentersPartition(), new MetastablePartition(),
                new NoRecrossingFilter(), new CoreSetMilestoning(), new PeakAndStepFilter(), new MinimumDwellFilter(),
                new MarkovChainTrainer());
    }
}
