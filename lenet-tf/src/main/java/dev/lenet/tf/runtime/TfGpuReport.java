package dev.lenet.tf.runtime;

import dev.lenet.api.train.Device;
import java.util.List;
import java.util.Optional;

/**
 * What TensorFlow reports about GPUs in this process, and the one place that turns it into a
 * decision and, when the GPU asked for cannot be used, a message saying why. A pure value, so that
 * every case can be tested without a GPU or the GPU build's native library; {@link TfDevices}
 * gathers it.
 *
 * @param gpuBuild whether the native library has GPU kernels: TensorFlow's kernel registry lists
 *     them only in the {@code linux-x86_64-gpu} build, whatever the host has
 * @param gpus the GPU devices TensorFlow created for a session, in index order (their names, such
 *     as {@code /job:localhost/replica:0/task:0/device:GPU:0}); empty when it created none
 * @param cudaDriver where the CUDA driver library ({@code libcuda.so.1}) was loaded from, after
 *     TensorFlow tried to start CUDA; empty when it is not in the process, that is when TensorFlow
 *     could not find it
 * @param failure the first line of TensorFlow's error when it could not list its devices, if any
 */
public record TfGpuReport(
    boolean gpuBuild, List<String> gpus, Optional<String> cudaDriver, Optional<String> failure) {

  /** What the CPU-only native library reports: no GPU kernels, so no need to ask further. */
  public static final TfGpuReport CPU_BUILD =
      new TfGpuReport(false, List.of(), Optional.empty(), Optional.empty());

  private static final String HOST_NEEDS = "CUDA 12 and cuDNN 9";
  private static final String OR_CPU = " Or run on --device cpu (or auto).";

  public TfGpuReport {
    gpus = List.copyOf(gpus);
  }

  /** Whether {@code device} (a GPU) can be used: TensorFlow created a GPU device of its index. */
  public boolean has(Device device) {
    return device.kind() == Device.Kind.GPU && device.index() < gpus.size();
  }

  /**
   * Why {@code requested} (a GPU) cannot be used, as one message for the user, or empty if it can.
   * The message says which native library this is (GPU or CPU-only), what TensorFlow found, and
   * what to do.
   */
  public Optional<String> problem(Device requested) {
    if (has(requested)) {
      return Optional.empty();
    }
    String asked = "device " + requested + " was requested but ";
    if (!gpuBuild) {
      return Optional.of(
          asked
              + "TensorFlow sees no such GPU. This build uses the CPU-only native library; for a"
              + " GPU build the host needs "
              + HOST_NEEDS
              + " and the project must be built with the 'gpu' Maven profile (mvn -Pgpu ...,"
              + " which uses org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64-gpu)."
              + OR_CPU);
    }
    if (failure.isPresent()) {
      return Optional.of(
          asked
              + "TensorFlow could not list its devices: "
              + failure.get()
              + ". This is a GPU build (TensorFlow's CUDA kernels are present)."
              + OR_CPU);
    }
    if (!gpus.isEmpty()) {
      String seen =
          gpus.size() == 1
              ? "one GPU, gpu:0"
              : gpus.size() + " GPUs, gpu:0 to gpu:" + (gpus.size() - 1);
      return Optional.of(
          asked + "TensorFlow sees only " + seen + ". Ask for one of those." + OR_CPU);
    }
    String noGpu =
        asked
            + "TensorFlow found no usable GPU. This is a GPU build (TensorFlow's CUDA kernels are"
            + " present), ";
    if (cudaDriver.isEmpty()) {
      return Optional.of(
          noGpu
              + "but the CUDA driver library libcuda.so.1 could not be loaded, so CUDA did not"
              + " start (TensorFlow logs \"failed call to cuInit\"): this host has no NVIDIA"
              + " driver, or it is not on the library path. A GPU run needs the NVIDIA driver with "
              + HOST_NEEDS
              + "."
              + OR_CPU);
    }
    return Optional.of(
        noGpu
            + "and the CUDA driver is loaded ("
            + cudaDriver.get()
            + "), but CUDA reported no device it can use (no GPU, or a driver too old for CUDA"
            + " 12). TensorFlow logs CUDA's error on its \"failed call to cuInit\" line (the"
            + " lenet command shows it with TF_CPP_MIN_LOG_LEVEL=0), and nvidia-smi shows what"
            + " the driver sees."
            + OR_CPU);
  }
}
