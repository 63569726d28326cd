package dev.lenet.tf.runtime;

/**
 * Settings of TensorFlow's own that decide which kernels exist, read in this one place.
 *
 * <p>{@code TF_ENABLE_ONEDNN_OPTS}: TensorFlow 2.18's CPU build rewrites convolutions to oneDNN's
 * kernels unless this is {@code 0}. Only oneDNN's convolution input gradient accepts channels-first
 * ({@code NCHW}) data on the CPU, so the backend asks here before it uses that layout. The kernel
 * registry cannot answer this: oneDNN's kernels are registered whether or not the rewrite is on.
 */
public final class TfNative {

  private TfNative() {}

  /** Whether TensorFlow runs oneDNN's CPU kernels in this process (its default). */
  public static boolean oneDnn() {
    return !"0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS"));
  }
}
