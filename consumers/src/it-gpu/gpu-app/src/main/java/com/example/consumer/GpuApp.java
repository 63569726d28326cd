package com.example.consumer;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;

/** The book's LeNet trained on the GPU: the same code as on the CPU, another native jar. */
public final class GpuApp {

  public static void main(String[] args) {
    TrainingConfig config = TrainingConfig.builder().device(Device.GPU).build();
    try (TrainedModel model = new TfTrainer().train(LeNet.classic(), FashionMnist.load(), config)) {
      System.out.println(model.evaluate(FashionMnist.load().test()).accuracy());
    }
  }
}
