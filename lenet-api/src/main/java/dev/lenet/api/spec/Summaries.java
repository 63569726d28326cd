package dev.lenet.api.spec;

import java.util.List;
import java.util.Locale;

/** Text renderings of a spec: a Keras-style table and the book's shape printout. */
final class Summaries {

  private Summaries() {}

  static String table(ModelSpec spec) {
    List<LayerInfo> infos = spec.layerInfos();
    int nameWidth = "Layer".length();
    int shapeWidth = "Output shape".length();
    for (LayerInfo info : infos) {
      nameWidth = Math.max(nameWidth, info.layer().describe().length());
      shapeWidth = Math.max(shapeWidth, tuple(info.outputShape()).length());
    }
    String row = "%3s  %-" + nameWidth + "s  %-" + shapeWidth + "s  %10s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, row, "#", "Layer", "Output shape", "Params"));
    String rule = "=".repeat(3 + 2 + nameWidth + 2 + shapeWidth + 2 + 10);
    out.append(rule).append('\n');
    out.append(
        String.format(Locale.ROOT, row, "", "Input", tuple(spec.input()), "").stripTrailing());
    out.append('\n');
    for (LayerInfo info : infos) {
      out.append(
          String.format(
              Locale.ROOT,
              row,
              info.number(),
              info.layer().describe(),
              tuple(info.outputShape()),
              String.format(Locale.ROOT, "%,d", info.parameters())));
    }
    out.append(rule).append('\n');
    out.append(String.format(Locale.ROOT, "Total params: %,d%n", spec.parameterCount()));
    return out.toString();
  }

  static String bookPrintout(ModelSpec spec) {
    StringBuilder out = new StringBuilder();
    for (LayerInfo info : spec.layerInfos()) {
      out.append(info.layer().bookName(info.inputShape()))
          .append(" output shape: ")
          .append(info.outputShape().withBatch(1))
          .append('\n');
    }
    return out.toString();
  }

  private static String tuple(Shape shape) {
    return "(" + String.join(", ", shape.dims().stream().map(String::valueOf).toList()) + ")";
  }
}
