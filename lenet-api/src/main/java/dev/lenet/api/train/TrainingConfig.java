package dev.lenet.api.train;

/**
 * Everything that decides how a model trains. The defaults are the book's recipe: 10 epochs, batch
 * 256, plain SGD with learning rate 0.9, Xavier-uniform weights.
 *
 * @param epochs passes over the training set, > 0
 * @param batchSize examples per step, > 0
 * @param learningRate step size, finite and > 0
 * @param optimizer how steps are taken
 * @param weightInit how weights start
 * @param seed seeds weight initialization and the per-epoch shuffle
 * @param device where to run
 * @param intraOpThreads threads inside one operation; 0 lets the backend choose (all cores). A
 *     backend that runs parts of a step side by side shares these among them (the TensorFlow
 *     backend does on the CPU), so that {@code threads(n)} uses n cores
 * @param interOpThreads operations run side by side; 0 lets the backend choose
 * @param maxLoss the largest mean loss of one batch that training accepts: a batch whose mean loss
 *     is above it, or not finite, stops training with a {@link TrainingException} (the run has
 *     diverged, usually from too large a learning rate). {@link #AUTO_MAX_LOSS} (0) derives it from
 *     the number of classes, see {@link #maxLoss(int)}; {@code Double.POSITIVE_INFINITY} stops only
 *     on a loss that is not finite. 0 or > 0, never NaN. Files written before this field existed
 *     read as 0
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    double learningRate,
    Optimizer optimizer,
    WeightInit weightInit,
    long seed,
    Device device,
    int intraOpThreads,
    int interOpThreads,
    double maxLoss) {

  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final double DEFAULT_LEARNING_RATE = 0.9;
  public static final Optimizer DEFAULT_OPTIMIZER = Optimizer.SGD;
  public static final WeightInit DEFAULT_WEIGHT_INIT = WeightInit.XAVIER_UNIFORM;
  public static final long DEFAULT_SEED = 0;
  public static final Device DEFAULT_DEVICE = Device.AUTO;

  /** 0: the backend's choice, which is every core. */
  public static final int DEFAULT_THREADS = 0;

  /** {@link #maxLoss}'s value for "derive the bound from the class count". */
  public static final double AUTO_MAX_LOSS = 0;

  /**
   * The automatic {@link #maxLoss} is this many times {@code ln(classes)}, the cross-entropy of a
   * network that guesses uniformly (a fresh network starts near it): 115 for ten classes.
   */
  public static final double DIVERGENCE_FACTOR = 50;

  public TrainingConfig {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be > 0, found " + epochs);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, found " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and > 0, found " + learningRate);
    }
    if (optimizer == null || weightInit == null || device == null) {
      throw new IllegalArgumentException("optimizer, weight init and device must be set");
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "thread counts must be >= 0 (0 = backend default), found intra-op "
              + intraOpThreads
              + ", inter-op "
              + interOpThreads);
    }
    if (!(maxLoss >= 0)) {
      throw new IllegalArgumentException(
          "max loss must be > 0, or 0 for the automatic bound, found " + maxLoss);
    }
  }

  /**
   * The bound on a batch's mean loss for a network scoring {@code classes} classes: {@link
   * #maxLoss} if set, else {@link #DIVERGENCE_FACTOR} x {@code ln(classes)} (at least two classes
   * counted), 115.13 for ten classes.
   */
  public double maxLoss(int classes) {
    return maxLoss != AUTO_MAX_LOSS ? maxLoss : DIVERGENCE_FACTOR * Math.log(Math.max(2, classes));
  }

  /** The book's recipe. */
  public static TrainingConfig book() {
    return builder().build();
  }

  /** A builder starting from the book's recipe. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .epochs(epochs)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .optimizer(optimizer)
        .weightInit(weightInit)
        .seed(seed)
        .device(device)
        .intraOpThreads(intraOpThreads)
        .interOpThreads(interOpThreads)
        .maxLoss(maxLoss);
  }

  /** Builds a {@link TrainingConfig}; unset values are the book's. */
  public static final class Builder {
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private Optimizer optimizer = DEFAULT_OPTIMIZER;
    private WeightInit weightInit = DEFAULT_WEIGHT_INIT;
    private long seed = DEFAULT_SEED;
    private Device device = DEFAULT_DEVICE;
    private int intraOpThreads = DEFAULT_THREADS;
    private int interOpThreads = DEFAULT_THREADS;
    private double maxLoss = AUTO_MAX_LOSS;

    private Builder() {}

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    public Builder weightInit(WeightInit weightInit) {
      this.weightInit = weightInit;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** Sets intra-op and inter-op threads together: {@code threads(1)} is fully sequential. */
    public Builder threads(int threads) {
      this.intraOpThreads = threads;
      this.interOpThreads = threads;
      return this;
    }

    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    public Builder interOpThreads(int threads) {
      this.interOpThreads = threads;
      return this;
    }

    /**
     * The largest mean loss of one batch before training stops as diverged; {@link #AUTO_MAX_LOSS}
     * (the default) for {@link #DIVERGENCE_FACTOR} x {@code ln(classes)}.
     */
    public Builder maxLoss(double maxLoss) {
      this.maxLoss = maxLoss;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the bad value
     */
    public TrainingConfig build() {
      return new TrainingConfig(
          epochs,
          batchSize,
          learningRate,
          optimizer,
          weightInit,
          seed,
          device,
          intraOpThreads,
          interOpThreads,
          maxLoss);
    }
  }
}
