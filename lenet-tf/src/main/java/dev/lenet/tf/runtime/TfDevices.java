package dev.lenet.tf.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainingException;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.KernelList;
import org.tensorflow.types.TFloat32;

/** Resolves a requested {@link Device} to one TensorFlow can use, and builds session configs. */
public final class TfDevices {

  /** Whether the native library has GPU kernels (the {@code linux-x86_64-gpu} build). */
  public static final boolean GPU_BUILD = hasGpuKernels();

  private TfDevices() {}

  /**
   * The device to run on: {@code auto} becomes {@code gpu:0} when TensorFlow sees a GPU, else
   * {@code cpu}.
   *
   * <p>With the CPU-only native library this creates no session: TensorFlow sizes its thread pools
   * once per process, from the first session's config, so a probing session with default threads
   * would leave training with two threads per op instead of one per tower (about 20% slower here).
   * Only a GPU build probes with a session.
   *
   * @throws TrainingException if a GPU was asked for and TensorFlow sees none
   */
  public static Device resolve(Device requested) {
    return switch (requested.kind()) {
      case CPU -> Device.CPU;
      case AUTO -> GPU_BUILD && gpuAvailable(0) ? Device.GPU : Device.CPU;
      case GPU -> {
        if (!GPU_BUILD || !gpuAvailable(requested.index())) {
          throw new TrainingException(
              "device "
                  + requested
                  + " was requested but TensorFlow sees no such GPU. This build uses the CPU-only"
                  + " native library; for a GPU build the host needs CUDA 12 and cuDNN 9 and the"
                  + " project must be built with the 'gpu' Maven profile (mvn -Pgpu ..., which uses"
                  + " org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64-gpu). Or run on"
                  + " --device cpu (or auto).");
        }
        yield requested;
      }
    };
  }

  /** Asks TensorFlow's kernel registry, which needs no session (and starts no thread pool). */
  private static boolean hasGpuKernels() {
    TF_Status status = TF_Status.newStatus();
    try {
      TF_Buffer kernels = tensorflow.TF_GetRegisteredKernelsForOp("MatMul", status);
      try {
        status.throwExceptionIfNotOK();
        return KernelList.parseFrom(kernels.copyData()).getKernelList().stream()
            .anyMatch(k -> k.getDeviceType().equals("GPU"));
      } finally {
        kernels.delete();
      }
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      return true; // cannot tell: let a session probe
    } finally {
      status.delete();
    }
  }

  /** The device spec to place a graph's operations with. */
  public static DeviceSpec spec(Device device) {
    DeviceSpec.Builder b = DeviceSpec.newBuilder();
    if (device.kind() == Device.Kind.GPU) {
      b.deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(device.index());
    } else {
      b.deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(0);
    }
    return b.build();
  }

  /**
   * A session config: thread pools (0 = TensorFlow's default, every core), and soft placement so
   * that ops without a GPU kernel fall back to the CPU.
   */
  public static ConfigProto config(int intraOpThreads, int interOpThreads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(true)
        .build();
  }

  /** Whether an op pinned to GPU {@code index} can run, without soft placement. */
  private static boolean gpuAvailable(int index) {
    try (Graph g = new Graph()) {
      Ops tf =
          Ops.create(g)
              .withDevice(
                  DeviceSpec.newBuilder()
                      .deviceType(DeviceSpec.DeviceType.GPU)
                      .deviceIndex(index)
                      .build());
      Placeholder<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      Operand<TFloat32> y = tf.math.add(x, x);
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session s = new Session(g, strict);
          TFloat32 one = TFloat32.scalarOf(1f);
          Result r = s.runner().feed(x, one).fetch(y).run()) {
        return r.size() == 1;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
