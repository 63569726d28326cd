package dev.lenet.tf;

import dev.lenet.api.train.Device;
import dev.lenet.tf.runtime.TfDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.tensorflow.TensorFlow;

/**
 * In a fresh JVM, loads TensorFlow, resolves {@code auto} and prints the device and how many native
 * threads TensorFlow started meanwhile (threads not started by Java keep the process's name, {@code
 * java}): {@code DeviceWorker}. For {@link TfDevicesTest}.
 */
public final class DeviceWorker {
  private DeviceWorker() {}

  public static void main(String[] args) throws IOException {
    TensorFlow.version();
    long before = nativeThreads();
    Device device = TfDevices.resolve(Device.AUTO, TfDevices.config(Device.CPU, 1, 2));
    System.out.println("device " + device);
    System.out.println("new native threads " + (nativeThreads() - before));
  }

  private static long nativeThreads() throws IOException {
    long n = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        if (Files.readString(task.resolve("comm")).strip().equals("java")) {
          n++;
        }
      }
    }
    return n;
  }
}
