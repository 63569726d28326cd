package dev.lenet.api.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * One image of 8-bit gray samples ({@code (H, W)} row-major) encoded in the ways a user's files
 * come: 8- and 16-bit gray, RGB, palette, with alpha, enlarged; and hand-made PNG bytes.
 */
public final class TestImages {

  private TestImages() {}

  /** 8-bit gray, as a data set's image would be saved. */
  public static BufferedImage gray8(byte[] gray, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = image.getRaster();
    for (int i = 0; i < gray.length; i++) {
      r.setSample(i % width, i / width, 0, gray[i] & 0xFF);
    }
    return image;
  }

  /** 16-bit gray: each value {@code v} stored as {@code 257 v}, its exact 16-bit equivalent. */
  public static BufferedImage gray16(byte[] gray, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = image.getRaster();
    for (int i = 0; i < gray.length; i++) {
      r.setSample(i % width, i / width, 0, (gray[i] & 0xFF) * 257);
    }
    return image;
  }

  /** 8-bit RGB with R = G = B. */
  public static BufferedImage rgb8(byte[] gray, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    setEqualBands(image.getRaster(), gray, width, 1);
    return image;
  }

  /** 16-bit RGB with R = G = B = {@code 257 v}. */
  public static BufferedImage rgb16(byte[] gray, int width, int height) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            new int[] {16, 16, 16},
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    BufferedImage image =
        new BufferedImage(cm, cm.createCompatibleWritableRaster(width, height), false, null);
    setEqualBands(image.getRaster(), gray, width, 257);
    return image;
  }

  /** 8-bit RGBA, opaque. */
  public static BufferedImage rgbaOpaque(byte[] gray, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_4BYTE_ABGR);
    setEqualBands(image.getRaster(), gray, width, 1);
    for (int i = 0; i < gray.length; i++) {
      image.getRaster().setSample(i % width, i / width, 3, 255);
    }
    return image;
  }

  /** Gray with an alpha channel, opaque. */
  public static BufferedImage grayAlphaOpaque(byte[] gray, int width, int height) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            new int[] {8, 8},
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    BufferedImage image =
        new BufferedImage(cm, cm.createCompatibleWritableRaster(width, height), false, null);
    for (int i = 0; i < gray.length; i++) {
      image.getRaster().setSample(i % width, i / width, 0, gray[i] & 0xFF);
      image.getRaster().setSample(i % width, i / width, 1, 255);
    }
    return image;
  }

  /**
   * A palette image whose index order is reversed (index {@code 255 - v} holds gray {@code v}), so
   * that only a reader that looks colours up in the map gets the values back.
   */
  public static BufferedImage palette(byte[] gray, int width, int height) {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) {
      levels[i] = (byte) (255 - i);
    }
    IndexColorModel cm = new IndexColorModel(8, 256, levels, levels, levels);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, cm);
    for (int i = 0; i < gray.length; i++) {
      image.getRaster().setSample(i % width, i / width, 0, 255 - (gray[i] & 0xFF));
    }
    return image;
  }

  /** {@code image} enlarged {@code k} times by repeating each pixel in a k x k block. */
  public static BufferedImage replicated(BufferedImage image, int k) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out =
        new BufferedImage(
            image.getColorModel(),
            image.getColorModel().createCompatibleWritableRaster(w * k, h * k),
            image.isAlphaPremultiplied(),
            null);
    int bands = image.getRaster().getNumBands();
    for (int y = 0; y < h * k; y++) {
      for (int x = 0; x < w * k; x++) {
        for (int b = 0; b < bands; b++) {
          out.getRaster().setSample(x, y, b, image.getRaster().getSample(x / k, y / k, b));
        }
      }
    }
    return out;
  }

  private static void setEqualBands(WritableRaster r, byte[] gray, int width, int scale) {
    for (int i = 0; i < gray.length; i++) {
      for (int b = 0; b < 3; b++) {
        r.setSample(i % width, i / width, b, (gray[i] & 0xFF) * scale);
      }
    }
  }

  /** {@code image} encoded as {@code format} ("png", "bmp", ...). */
  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer for " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A PNG made by hand: the signature, an IHDR declaring {@code width x height} 8-bit gray pixels,
   * one IDAT chunk holding {@code idat} and IEND, each chunk with its correct CRC. A few bytes of
   * IDAT cannot fill a large image: only a reader that decodes (or allocates) first gets far.
   */
  public static byte[] png(int width, int height, byte[] idat) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** {@code raw} compressed as a zlib stream, as an IDAT chunk holds it. */
  public static byte[] zlib(byte[] raw) {
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    byte[] buffer = new byte[raw.length + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    return java.util.Arrays.copyOf(buffer, n);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
