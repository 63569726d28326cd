package dev.lenet.cli;

import dev.lenet.serve.LenetServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lenet serve}: trained models behind TensorFlow Serving's REST API, until stopped.
 *
 * <p>It runs until the process is told to stop (Ctrl-C, SIGTERM), then lets requests in flight
 * finish, releases the port and returns 0; in tests, interrupting the calling thread stops it the
 * same way.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve trained models over HTTP with TensorFlow Serving's REST API.",
      "POST /v1/models/NAME:predict as TensorFlow Serving answers it; runs until Ctrl-C or SIGTERM."
    })
final class ServeCommand implements Callable<Integer> {

  /** The name a model given without one is served as. */
  static final String DEFAULT_NAME = "lenet";

  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");

  @Spec CommandSpec command;

  @Option(
      names = "--model",
      paramLabel = "[NAME=]DIR",
      required = true,
      description = {
        "A model to serve: a run directory from 'lenet train' or the model directory inside it,"
            + " served as NAME (default: "
            + DEFAULT_NAME
            + "). Repeat for several models."
      })
  List<String> models = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for"
              + " every interface).")
  String host = LenetServer.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The port (default: ${DEFAULT-VALUE}, TensorFlow Serving's; 0 = any free one).")
  int port = LenetServer.DEFAULT_PORT;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    Map<String, Path> named = modelsByName();
    LenetServer.Builder builder = LenetServer.builder().host(host).port(port);
    named.forEach(builder::model);
    try (LenetServer server = builder.build().start()) {
      out.println(
          "lenet serve: serving "
              + describe(named)
              + " at http://"
              + (host.contains(":") ? "[" + host + "]" : host)
              + ":"
              + server.port()
              + "/ (Ctrl-C to stop)");
      out.flush();
      if (!awaitShutdown(server, out)) {
        return 0; // the JVM is shutting down: the hook closed the server and said so
      }
    }
    // Interrupted: the server is closed now; keep the interrupt for the caller.
    out.println("lenet serve: stopped");
    Thread.currentThread().interrupt();
    return 0;
  }

  /** The {@code --model} values as names to model directories, names checked unique. */
  private Map<String, Path> modelsByName() {
    Map<String, Path> named = new LinkedHashMap<>();
    for (String value : models) {
      var m = NAMED.matcher(value);
      String name = m.matches() ? m.group(1) : DEFAULT_NAME;
      Path dir = ModelOption.modelDirectory(Path.of(m.matches() ? m.group(2) : value));
      if (named.putIfAbsent(name, dir) != null) {
        throw new UserError(
            "two models are named '"
                + name
                + "' ("
                + named.get(name)
                + " and "
                + dir
                + "); give each its own name with --model NAME=DIR");
      }
    }
    return named;
  }

  private static String describe(Map<String, Path> named) {
    List<String> parts = new ArrayList<>();
    named.forEach((name, dir) -> parts.add(name + " (" + dir + ")"));
    return String.join(", ", parts);
  }

  /**
   * Waits until the JVM shuts down (Ctrl-C, SIGTERM: a shutdown hook closes the server, letting
   * requests in flight finish) or this thread is interrupted.
   *
   * @return true if interrupted (the caller closes the server), false after the hook closed it
   */
  private static boolean awaitShutdown(LenetServer server, PrintWriter out) {
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              out.println("lenet serve: stopped");
              out.flush();
              closed.countDown();
            },
            "lenet-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
      return false;
    } catch (InterruptedException e) {
      return true;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it closes the server.
      }
    }
  }
}
