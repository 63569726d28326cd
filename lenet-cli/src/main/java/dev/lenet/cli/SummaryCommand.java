package dev.lenet.cli;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet summary}: the spec's table and the book's shape printout. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Print the network's layers, shapes and parameter counts.",
      "A Keras-style table, then the book's per-layer output shapes for a batch of one."
    })
final class SummaryCommand implements Callable<Integer> {

  @Spec CommandSpec command;

  @Option(
      names = "--net",
      paramLabel = "NAME",
      description = "classic, batchnorm or modern (default: classic, the book's LeNet).")
  Net net;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description = "A spec JSON file instead of a ready-made net.")
  Path spec;

  @Option(names = "--json", description = "Print the spec as JSON instead.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    if (net != null && spec != null) {
      throw new UserError("--net and --spec name two networks; give one");
    }
    ModelSpec model = spec != null ? SpecJson.read(spec) : (net == null ? Net.CLASSIC : net).spec();
    if (json) {
      out.println(SpecJson.write(model));
      return 0;
    }
    out.print(model.summary());
    out.println();
    out.println("Output shapes for an input of shape " + model.input().withBatch(1) + ":");
    out.print(model.shapePrintout());
    return 0;
  }
}
