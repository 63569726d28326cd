package dev.lenet.cli;

import dev.lenet.api.data.DatasetException;
import dev.lenet.api.image.ImageException;
import dev.lenet.api.spec.SpecFormatException;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.DirectoryInUseException;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.TrainingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lenet} command line: train, summary, evaluate, predict, bench, serve.
 *
 * <p>Exit status: 0 on success, 2 for anything the user can fix (a bad flag, a missing or corrupt
 * file, an unknown model directory), printed as one message without a stack trace; 1 for internal
 * failures. {@code --verbose} adds stack traces.
 */
@Command(
    name = "lenet",
    mixinStandardHelpOptions = true,
    versionProvider = Lenet.Version.class,
    description = "Train, evaluate and use LeNet on Fashion-MNIST and MNIST with TensorFlow Java.",
    subcommands = {
      TrainCommand.class,
      SummaryCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      HelpCommand.class
    })
public final class Lenet implements Runnable {

  /** Exit status for errors the user can fix. */
  public static final int USER_ERROR = 2;

  /** Exit status for internal failures. */
  public static final int INTERNAL_ERROR = 1;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  /** Whether standard output is a terminal (progress bars) or a log (a line per epoch). */
  final boolean terminal;

  /**
   * Told about every checkpoint write of {@code train}: {@link CheckpointHook#NONE} but in tests.
   */
  final CheckpointHook checkpointHook;

  /**
   * The environment the commands read: only {@code LENET_DATA}, {@code XDG_CACHE_HOME} and {@code
   * HOME}, by the data loader (see {@link DataOptions}). The process's, but a test's own map in
   * tests, so no test has to change the JVM's environment.
   */
  final Map<String, String> environment;

  Lenet(boolean terminal, CheckpointHook checkpointHook, Map<String, String> environment) {
    this.terminal = terminal;
    this.checkpointHook = checkpointHook;
    this.environment = Map.copyOf(environment);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "a command is needed: train, summary, evaluate, predict, bench or serve");
  }

  public static void main(String[] args) {
    // A command line opens no window: headless AWT (XChart's charts, image decoding) never looks
    // for a display (no Dock icon on macOS, no X connection over ssh). Set here, in the program's
    // entry point, unless the user set it; library code sets no system property.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err, System.console() != null));
  }

  /** Runs the command line with the given streams and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
    return run(args, out, err, terminal, CheckpointHook.NONE);
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter, boolean)}, for crash tests. */
  static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      boolean terminal,
      CheckpointHook checkpointHook) {
    return run(args, out, err, terminal, checkpointHook, System.getenv());
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter, boolean)}, with a given environment. */
  static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      boolean terminal,
      CheckpointHook checkpointHook,
      Map<String, String> environment) {
    boolean verbose =
        Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    CommandLine cli = new CommandLine(new Lenet(terminal, checkpointHook, environment));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          String command = e.getCommandLine().getCommandName();
          err.println(
              "lenet: "
                  + e.getMessage()
                  + " (see '"
                  + ("lenet".equals(command) ? "lenet" : "lenet " + command)
                  + " --help')");
          if (verbose) {
            e.printStackTrace(err);
          }
          return USER_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int status = isUserError(e) ? USER_ERROR : INTERNAL_ERROR;
          if (status == USER_ERROR) {
            err.println("lenet: " + e.getMessage());
          } else {
            err.println(
                "lenet: internal error: "
                    + e
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
          }
          if (verbose) {
            e.printStackTrace(err);
          }
          return status;
        });
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  static boolean isUserError(Throwable e) {
    return e instanceof UserError
        || e instanceof DatasetException
        || e instanceof ImageException
        || e instanceof ModelFormatException
        || e instanceof SpecFormatException
        || e instanceof TrainingException
        || e instanceof DirectoryInUseException
        || e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException;
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lenet " + dev.lenet.api.Lenet.VERSION};
    }
  }
}
