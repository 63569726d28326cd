package dev.lenet.tf;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.BatchNorm;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.Dropout;
import dev.lenet.api.spec.Flatten;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.MaxPool2d;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Relu;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.spec.Sigmoid;
import java.util.Map;

/**
 * A deliberately naive forward pass in double precision and the book's (PyTorch) layouts, written
 * from the layer definitions, to check the TensorFlow graph against.
 */
final class ReferenceNet {

  private ReferenceNet() {}

  /** Logits for one image in CHW layout, in inference (running statistics, no dropout). */
  static double[] logits(ModelSpec spec, Map<String, double[]> w, double[] image) {
    return forward(spec, w, new double[][] {image}, false, Map.of())[0];
  }

  /**
   * Logits for a batch of CHW images. In training, batch normalization uses the batch's mean and
   * biased variance, and dropout layer {@code N} multiplies by {@code masks.get(N)} (one scaled
   * mask per example; vectors only).
   */
  static double[][] forward(
      ModelSpec spec,
      Map<String, double[]> w,
      double[][] batch,
      boolean training,
      Map<Integer, double[][]> masks) {
    double[][] xs = batch.clone();
    for (LayerInfo info : spec.layerInfos()) {
      if (info.layer() instanceof BatchNorm b) {
        xs = batchNorm(xs, info, b, w, training);
      } else if (info.layer() instanceof Dropout) {
        if (training) {
          double[][] m = masks.get(info.number());
          for (int n = 0; n < xs.length; n++) {
            double[] y = xs[n].clone();
            for (int i = 0; i < y.length; i++) {
              y[i] *= m[n][i];
            }
            xs[n] = y;
          }
        }
      } else {
        for (int n = 0; n < xs.length; n++) {
          xs[n] = layer(info, w, xs[n]);
        }
      }
    }
    return xs;
  }

  /**
   * The mean and biased variance of each channel (or feature) of {@code xs} over the batch (and
   * pixels): {@code [0]} means, {@code [1]} variances.
   */
  static double[][] batchStatistics(double[][] xs, Shape in) {
    int channels = in.isImage() ? in.channels() : in.dim(0);
    int pixels = in.isImage() ? in.height() * in.width() : 1;
    double[] mean = new double[channels];
    double[] var = new double[channels];
    double count = (double) xs.length * pixels;
    for (double[] x : xs) {
      for (int i = 0; i < x.length; i++) {
        mean[i / pixels] += x[i] / count;
      }
    }
    for (double[] x : xs) {
      for (int i = 0; i < x.length; i++) {
        double d = x[i] - mean[i / pixels];
        var[i / pixels] += d * d / count;
      }
    }
    return new double[][] {mean, var};
  }

  private static double[][] batchNorm(
      double[][] xs, LayerInfo info, BatchNorm b, Map<String, double[]> w, boolean training) {
    String p = "layer" + info.number();
    Shape in = info.inputShape();
    int pixels = in.isImage() ? in.height() * in.width() : 1;
    double[][] stats =
        training
            ? batchStatistics(xs, in)
            : new double[][] {w.get(p + ".running_mean"), w.get(p + ".running_var")};
    double[] gamma = w.get(p + ".weight");
    double[] beta = w.get(p + ".bias");
    double[][] ys = new double[xs.length][];
    for (int n = 0; n < xs.length; n++) {
      double[] y = new double[xs[n].length];
      for (int i = 0; i < y.length; i++) {
        int c = i / pixels;
        y[i] = (xs[n][i] - stats[0][c]) / Math.sqrt(stats[1][c] + b.epsilon()) * gamma[c] + beta[c];
      }
      ys[n] = y;
    }
    return ys;
  }

  /** One layer that treats each example on its own. */
  static double[] layer(LayerInfo info, Map<String, double[]> w, double[] x) {
    Shape in = info.inputShape();
    Shape out = info.outputShape();
    String p = "layer" + info.number();
    if (info.layer() instanceof Conv2d c) {
      x = conv(x, in, out, c, w.get(p + ".weight"), w.get(p + ".bias"));
    } else if (info.layer() instanceof AvgPool2d a) {
      x =
          pool(
              x,
              in,
              out,
              a.kernelHeight(),
              a.kernelWidth(),
              a.strideHeight(),
              a.strideWidth(),
              false);
    } else if (info.layer() instanceof MaxPool2d m) {
      x =
          pool(
              x,
              in,
              out,
              m.kernelHeight(),
              m.kernelWidth(),
              m.strideHeight(),
              m.strideWidth(),
              true);
    } else if (info.layer() instanceof Activation a) {
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] =
            a instanceof Sigmoid
                ? 1 / (1 + Math.exp(-x[i]))
                : a instanceof Relu ? Math.max(0, x[i]) : Math.tanh(x[i]);
      }
      x = y;
    } else if (info.layer() instanceof Flatten) {
      // CHW is already channel-major.
    } else if (info.layer() instanceof Dense d) {
      double[] weight = w.get(p + ".weight");
      double[] bias = w.get(p + ".bias");
      double[] y = new double[d.units()];
      for (int o = 0; o < d.units(); o++) {
        double s = bias[o];
        for (int i = 0; i < x.length; i++) {
          s += weight[o * x.length + i] * x[i];
        }
        y[o] = s;
      }
      x = y;
    } else {
      throw new IllegalStateException("no reference for " + info.layer().describe());
    }
    return x;
  }

  private static double[] conv(
      double[] x, Shape in, Shape out, Conv2d c, double[] weight, double[] bias) {
    int ci = in.channels();
    int h = in.height();
    int wd = in.width();
    int kh = c.kernelHeight();
    int kw = c.kernelWidth();
    double[] y = new double[(int) out.size()];
    for (int o = 0; o < out.channels(); o++) {
      for (int r = 0; r < out.height(); r++) {
        for (int q = 0; q < out.width(); q++) {
          double s = bias[o];
          for (int i = 0; i < ci; i++) {
            for (int a = 0; a < kh; a++) {
              for (int b = 0; b < kw; b++) {
                int yy = r * c.strideHeight() + a - c.paddingHeight();
                int xx = q * c.strideWidth() + b - c.paddingWidth();
                if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                  s += weight[((o * ci + i) * kh + a) * kw + b] * x[(i * h + yy) * wd + xx];
                }
              }
            }
          }
          y[(o * out.height() + r) * out.width() + q] = s;
        }
      }
    }
    return y;
  }

  private static double[] pool(
      double[] x, Shape in, Shape out, int kh, int kw, int sh, int sw, boolean max) {
    double[] y = new double[(int) out.size()];
    for (int ch = 0; ch < out.channels(); ch++) {
      for (int r = 0; r < out.height(); r++) {
        for (int q = 0; q < out.width(); q++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              double v = x[(ch * in.height() + r * sh + a) * in.width() + q * sw + b];
              acc = max ? Math.max(acc, v) : acc + v;
            }
          }
          y[(ch * out.height() + r) * out.width() + q] = max ? acc : acc / (kh * kw);
        }
      }
    }
    return y;
  }

  /** Softmax of {@code logits}. */
  static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /**
   * Mean cross-entropy over images (CHW each, back to back) with labels, as training computes it
   * (batch statistics, the given dropout masks).
   */
  static double meanLoss(
      ModelSpec spec,
      Map<String, double[]> w,
      double[] images,
      int[] labels,
      Map<Integer, double[][]> masks) {
    int size = (int) spec.input().size();
    double[][] batch = new double[labels.length][];
    for (int n = 0; n < labels.length; n++) {
      batch[n] = java.util.Arrays.copyOfRange(images, n * size, (n + 1) * size);
    }
    double[][] logits = forward(spec, w, batch, true, masks);
    double total = 0;
    for (int n = 0; n < labels.length; n++) {
      double[] p = softmax(logits[n]);
      total -= Math.log(p[labels[n]]);
    }
    return total / labels.length;
  }
}
