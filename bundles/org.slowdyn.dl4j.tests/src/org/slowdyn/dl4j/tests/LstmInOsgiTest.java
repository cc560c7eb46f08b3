package org.slowdyn.dl4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Proves that the embedded DL4J/ND4J native CPU backend loads and trains inside the OSGi framework: a tiny
 * embedding + LSTM language model learns the deterministic cycle 0,1,2,3,0,1,... and its loss falls.
 */
class LstmInOsgiTest {

    @Test
    void tinyLstmTrainsInsideTheFramework() {
        Bundle bundle = FrameworkUtil.getBundle(Nd4j.class);
        assertNotNull(bundle, "ND4J must be loaded from an OSGi bundle");
        assertEquals("org.slowdyn.dl4j", bundle.getSymbolicName());

        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
        int vocabulary = 4, batch = 8, length = 20;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(8).outputDataFormat(RNNFormat.NCW)
                        .build())
                .layer(new LSTM.Builder().nIn(8).nOut(16).activation(Activation.TANH).dataFormat(RNNFormat.NCW)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(16)
                        .nOut(vocabulary).dataFormat(RNNFormat.NCW).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        INDArray input = Nd4j.zeros(batch, 1, length);
        INDArray labels = Nd4j.zeros(batch, vocabulary, length);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                int token = (b + t) % vocabulary;
                input.putScalar(new int[] { b, 0, t }, token);
                labels.putScalar(new int[] { b, (token + 1) % vocabulary, t }, 1.0);
            }
        }
        net.fit(input, labels);
        double first = net.score();
        for (int i = 0; i < 60; i++) {
            net.fit(input, labels);
        }
        double last = net.score();
        // Uniform guessing over 4 tokens costs ln 4 = 1.386 nats per step; the cycle is fully predictable.
        assertTrue(first > 1.0, "initial loss " + first + " should be near ln 4");
        assertTrue(last < 0.5 * first, "loss should fall: first " + first + ", after 60 steps " + last);
    }
}
