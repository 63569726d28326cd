package dev.lenet.tf.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.DeviceSpec;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.RewriterConfig;

/** Resolves a requested {@link Device} to one TensorFlow can use, and builds session configs. */
public final class TfDevices {

  /** Whether the native library has GPU kernels (the {@code linux-x86_64-gpu} build). */
  public static final boolean GPU_BUILD = hasGpuKernels();

  private TfDevices() {}

  /**
   * The device to run on: {@code auto} becomes {@code gpu:0} when TensorFlow sees a GPU, else
   * {@code cpu}.
   *
   * <p>TensorFlow sizes its process-wide thread pools once, from the first session's config. With
   * the CPU-only native library this therefore creates no session (a probe with other threads would
   * leave training with two threads per op instead of one per tower, about 20% slower here). The
   * GPU build has to open one to see which GPUs CUDA offers: it is opened with {@code threads}, the
   * config the run will use, so the pools it sizes are the run's. For {@code auto} pass the config
   * of the CPU run it may fall back to.
   *
   * @param threads the session config the run will use (see {@link #config})
   * @throws TrainingException if a GPU was asked for and TensorFlow cannot use it, saying why
   */
  public static Device resolve(Device requested, ConfigProto threads) {
    return switch (requested.kind()) {
      case CPU -> Device.CPU;
      case AUTO -> GPU_BUILD && report(threads).has(Device.GPU) ? Device.GPU : Device.CPU;
      case GPU -> {
        TfGpuReport report = GPU_BUILD ? report(threads) : TfGpuReport.CPU_BUILD;
        Optional<String> problem = report.problem(requested);
        if (problem.isPresent()) {
          throw new TrainingException(problem.get());
        }
        yield requested;
      }
    };
  }

  /**
   * What TensorFlow reports about GPUs: the devices a session with {@code threads} gets, and
   * whether TensorFlow found the CUDA driver. Opens (and closes) a session, so call it only for the
   * GPU build.
   */
  static TfGpuReport report(ConfigProto threads) {
    List<String> gpus = new ArrayList<>();
    Optional<String> failure = Optional.empty();
    TF_Status status = TF_Status.newStatus();
    TF_Graph graph = tensorflow.TF_NewGraph();
    TF_SessionOptions options = tensorflow.TF_NewSessionOptions();
    try {
      byte[] config = threads.toByteArray();
      try (BytePointer bytes = new BytePointer(config)) {
        tensorflow.TF_SetConfig(options, bytes, config.length, status);
      }
      status.throwExceptionIfNotOK();
      TF_Session session = tensorflow.TF_NewSession(graph, options, status);
      status.throwExceptionIfNotOK();
      try {
        TF_DeviceList devices = tensorflow.TF_SessionListDevices(session, status);
        status.throwExceptionIfNotOK();
        try {
          for (int i = 0; i < tensorflow.TF_DeviceListCount(devices); i++) {
            String type = tensorflow.TF_DeviceListType(devices, i, status).getString();
            if (type.equals("GPU")) {
              gpus.add(tensorflow.TF_DeviceListName(devices, i, status).getString());
            }
          }
        } finally {
          tensorflow.TF_DeleteDeviceList(devices);
        }
      } finally {
        tensorflow.TF_CloseSession(session, status);
        tensorflow.TF_DeleteSession(session, status);
      }
    } catch (RuntimeException e) {
      failure = Optional.of(TfErrors.firstLine(e.getMessage()));
    } finally {
      tensorflow.TF_DeleteSessionOptions(options);
      tensorflow.TF_DeleteGraph(graph);
      status.delete();
    }
    return new TfGpuReport(true, gpus, cudaDriver(), failure);
  }

  /**
   * Where {@code libcuda.so.1} is mapped from, if TensorFlow loaded it: its CUDA stub opens the
   * driver library when it starts and logs only that it "could not find cuda drivers" otherwise.
   * The process's memory map is the one place outside its log that tells.
   */
  private static Optional<String> cudaDriver() {
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.filter(line -> line.contains("/libcuda.so"))
          .map(line -> line.substring(line.indexOf('/')))
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks TensorFlow's kernel registry, which needs no session (and starts no thread pool). Its C
   * API has no build-information call (Python's {@code tf.sysconfig.get_build_info()} is generated
   * into the Python package), but only a CUDA build registers kernels for the GPU device type, on
   * any host.
   */
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
   *
   * <p>On the CPU, Grappler (TensorFlow's graph optimizer, run once per kind of session call) is
   * off: the graph is written as the CPU should run it, with the one fusion that pays built in (the
   * blocked stages' matrix products with their bias and activation). Grappler took 45 ms to
   * optimize a training step's call and 120-190 ms for a call of four steps, raised peak memory by
   * 15-35 MB, and made no step faster (see docs/benchmarks.md). On a GPU it stays on: its layout
   * and fusion passes are made for it.
   */
  public static ConfigProto config(Device device, int intraOpThreads, int interOpThreads) {
    ConfigProto.Builder config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads)
            .setAllowSoftPlacement(true);
    if (device.kind() == Device.Kind.CPU) {
      config.setGraphOptions(
          GraphOptions.newBuilder()
              .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    return config.build();
  }
}
