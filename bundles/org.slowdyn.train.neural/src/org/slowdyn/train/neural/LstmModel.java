package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.settings.Settings;

/**
 * A trained LSTM language model. Generation runs on {@link LstmSampler} over the network's weights; saved as the DL4J
 * network and {@code model.json}.
 */
public final class LstmModel extends SequenceModel {
    private final MultiLayerNetwork network;
    private final LstmSampler sampler;

    LstmModel(MultiLayerNetwork network, int vocabulary, Settings settings, double frameInterval, String timeUnit,
            TrainingLog log) {
        super(LstmTrainer.ID, vocabulary, settings, frameInterval, timeUnit, log);
        this.network = network;
        this.sampler = sampler(network, settings.get(LstmTrainer.LAYERS));
    }

    /** The sampler over the weights of an embedding + LSTM layers + output network as {@link LstmTrainer} builds it. */
    static LstmSampler sampler(MultiLayerNetwork net, int layers) {
        Map<String, INDArray> p = net.paramTable();
        float[][][] input = new float[layers][][], recurrent = new float[layers][][];
        float[][] bias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            input[l] = matrix(p.get((l + 1) + "_W"));
            recurrent[l] = matrix(p.get((l + 1) + "_RW"));
            bias[l] = vector(p.get((l + 1) + "_b"));
        }
        return new LstmSampler(matrix(p.get("0_W")), input, recurrent, bias, matrix(p.get((layers + 1) + "_W")),
                vector(p.get((layers + 1) + "_b")));
    }

    private static float[][] matrix(INDArray a) {
        return a.castTo(DataType.FLOAT).toFloatMatrix();
    }

    private static float[] vector(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The DL4J network (for inspection and tests). */
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    protected LstmSampler sampler() {
        return sampler;
    }

    @Override
    protected void saveNetwork(Path file) throws IOException {
        ModelSerializer.writeModel(network, file.toFile(), false);
    }

    @Override
    protected float[] parameterValues() {
        return network.params().castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Builds the network model.json describes and fills in parameters.bin (network.zip is never read). */
    static LstmModel load(Path directory) throws IOException {
        Description d = description(directory, LstmTrainer.ID, LstmTrainer.SCHEMA);
        float[] values = readParameters(d);
        Dl4jSetup.init();
        MultiLayerNetwork net = LstmTrainer.network(d.vocabulary(), d.settings(), 0);
        checkParameterCount(d, (int) net.numParams());
        net.setParams(org.nd4j.linalg.factory.Nd4j.create(values, new long[] { 1, values.length }, 'c'));
        return new LstmModel(net, d.vocabulary(), d.settings(), d.frameInterval(), d.timeUnit(), d.log());
    }
}
