package dev.lenet.cli;

import dev.lenet.api.train.Evaluation;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of training (the book's three curves) and of a confusion matrix, via XChart. */
final class Charts {

  private Charts() {}

  /**
   * The book's plot: train loss and train accuracy (a point every fifth of an epoch) and test
   * accuracy (a point per epoch) against epochs, on one chart. Written atomically, so a viewer that
   * reloads it never sees half a file.
   */
  static void curves(Curves curves, int epochs, String title, Path png) throws IOException {
    XYChart chart =
        new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax((double) Math.max(1, epochs));
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisDecimalPattern("0.#");
    chart.getStyler().setYAxisDecimalPattern("0.0#");
    if (!curves.trainX().isEmpty()) {
      series(chart, "train loss", curves.trainX(), curves.trainLoss(), new Color(31, 119, 180));
      series(chart, "train acc", curves.trainX(), curves.trainAccuracy(), new Color(214, 39, 40))
          .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    }
    if (!curves.testX().isEmpty()) {
      series(chart, "test acc", curves.testX(), curves.testAccuracy(), new Color(44, 160, 44))
          .setMarker(SeriesMarkers.CIRCLE);
    }
    write(png, path -> BitmapEncoder.saveBitmap(chart, path, BitmapFormat.PNG));
  }

  private static XYSeries series(
      XYChart chart, String name, List<Double> x, List<Double> y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setMarkerColor(color);
    return s;
  }

  /** A heat map of the confusion matrix, class names on both axes. */
  static void confusion(Evaluation eval, Path png) throws IOException {
    int k = eval.classes();
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(720 + 20 * k)
            .height(620 + 20 * k)
            .title(
                String.format(java.util.Locale.ROOT, "confusion (accuracy %.4f)", eval.accuracy()))
            .xAxisTitle("predicted")
            .yAxisTitle("actual")
            .build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart
        .getStyler()
        .setRangeColors(
            new Color[] {
              new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)
            });
    chart.getStyler().setXAxisLabelRotation(45);
    List<String> names = eval.classNames();
    List<Number[]> cells = new ArrayList<>();
    for (int actual = 0; actual < k; actual++) {
      for (int predicted = 0; predicted < k; predicted++) {
        // HeatMapChart puts y index 0 at the bottom; draw the first class at the top.
        cells.add(
            new Number[] {predicted, k - 1 - actual, eval.confusion().get(actual).get(predicted)});
      }
    }
    List<String> reversed = new ArrayList<>(names);
    java.util.Collections.reverse(reversed);
    chart.addSeries("count", names, reversed, cells);
    write(png, path -> BitmapEncoder.saveBitmap(chart, path, BitmapFormat.PNG));
  }

  private interface Writer {
    void write(String pathWithoutExtension) throws IOException;
  }

  private static void write(Path png, Writer writer) throws IOException {
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    // XChart appends ".png" to the name it is given.
    writer.write(tmp.toString());
    Files.move(
        Path.of(tmp + ".png"),
        png,
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
