package dev.lenet.tf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a fresh JVM with this test run's class path. */
final class Subprocess {

  private Subprocess() {}

  static Process start(Path log, Class<?> main, List<String> jvmFlags, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-cp", cp));
    command.addAll(jvmFlags);
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.redirectOutput(log.toFile()).start();
  }
}
