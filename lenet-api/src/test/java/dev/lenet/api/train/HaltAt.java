package dev.lenet.api.train;

/**
 * The crash tests' checkpoint hook: halts the JVM at once, with exit status 137 as after {@code
 * kill -9}, when writing the checkpoint after {@code epoch} reaches {@code stage}. No shutdown
 * hooks or finally blocks run, as in a power cut. Test code only; a worker JVM takes it as an
 * argument written by {@link #toString()} ({@code RENAMED:2}) and read by {@link #parse}.
 */
public record HaltAt(CheckpointHook.Stage stage, int epoch) implements CheckpointHook {

  /** The exit status of a halted JVM, the same as after {@code kill -9}. */
  public static final int STATUS = 137;

  public static HaltAt parse(String point) {
    int colon = point.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected STAGE:EPOCH, found " + point);
    }
    return new HaltAt(
        CheckpointHook.Stage.valueOf(point.substring(0, colon)),
        Integer.parseInt(point.substring(colon + 1)));
  }

  @Override
  public void reached(CheckpointHook.Stage stage, int epoch) {
    if (stage == this.stage && epoch == this.epoch) {
      Runtime.getRuntime().halt(STATUS);
    }
  }

  @Override
  public String toString() {
    return stage + ":" + epoch;
  }
}
