package dev.lenet.api.train;

/** How weights are updated from gradients. The learning rate comes from {@link TrainingConfig}. */
public enum Optimizer {
  /** Plain gradient descent {@code w -= lr * g}, the book's choice. */
  SGD,
  /** Gradient descent with momentum 0.9 ({@link #MOMENTUM_DEFAULT}). */
  MOMENTUM,
  /** Adam with beta1 0.9, beta2 0.999, epsilon 1e-8 (use a learning rate near 0.001). */
  ADAM;

  /** The momentum coefficient used by {@link #MOMENTUM}. */
  public static final float MOMENTUM_DEFAULT = 0.9f;
}
