package dev.lenet.tf;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Reads TensorBoard event files back as TensorBoard would: TFRecord framing with both masked CRC32C
 * checked (computed here independently of the writer), then each record parsed as an {@code Event}.
 */
public final class EventFiles {

  private EventFiles() {}

  /** The event files in {@code dir}, in the order TensorBoard reads them (by name). */
  public static List<Path> in(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().contains("tfevents")).sorted().toList();
    }
  }

  /** Every event in {@code file}; fails on a bad length, a bad CRC or a truncated record. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      if (b.remaining() < 12) {
        throw new IOException(file + ": truncated header at " + b.position());
      }
      int start = b.position();
      long length = b.getLong();
      int lengthCrc = b.getInt();
      if (lengthCrc != masked(b.array(), start, 8)) {
        throw new IOException(file + ": bad length CRC at " + start);
      }
      if (length < 0 || length > b.remaining() - 4) {
        throw new IOException(file + ": truncated record at " + start);
      }
      byte[] data = new byte[(int) length];
      b.get(data);
      if (b.getInt() != masked(data, 0, data.length)) {
        throw new IOException(file + ": bad data CRC at " + start);
      }
      try {
        events.add(Event.parseFrom(data));
      } catch (InvalidProtocolBufferException e) {
        throw new IOException(file + ": record at " + start + " is not an Event", e);
      }
    }
    return events;
  }

  /** The simple values of an event's summary, by tag. */
  public static Map<String, Float> scalars(Event e) {
    Map<String, Float> values = new LinkedHashMap<>();
    for (Summary.Value v : e.getSummary().getValueList()) {
      values.put(v.getTag(), v.getSimpleValue());
    }
    return values;
  }

  /**
   * The scalars of every file in {@code dir} by step, as TensorBoard shows them: files in name
   * order, and a session start at step s drops what earlier records had from step s on.
   */
  public static java.util.SortedMap<Long, Map<String, Float>> scalarsByStep(Path dir)
      throws IOException {
    java.util.SortedMap<Long, Map<String, Float>> steps = new java.util.TreeMap<>();
    for (Path file : in(dir)) {
      for (Event e : read(file)) {
        if (e.hasSessionLog()
            && e.getSessionLog().getStatus()
                == org.tensorflow.proto.SessionLog.SessionStatus.START) {
          steps.tailMap(e.getStep()).clear();
        } else if (e.hasSummary()) {
          steps.put(e.getStep(), scalars(e));
        }
      }
    }
    return steps;
  }

  // Written out as TensorFlow's crc32c.h does, not by calling the writer's helper.
  private static int masked(byte[] bytes, int offset, int length) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, offset, length);
    long c = crc.getValue();
    long rotated = ((c >>> 15) | (c << 17)) & 0xffffffffL;
    return (int) ((rotated + 0xa282ead8L) & 0xffffffffL);
  }
}
