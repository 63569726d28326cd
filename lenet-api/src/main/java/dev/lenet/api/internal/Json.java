package dev.lenet.api.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.lenet.api.spec.Layer;
import dev.lenet.api.train.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How lenet's files map to JSON, in one place, so that the domain types carry no Jackson
 * annotations: a layer is an object with a {@code type} named after its record ({@code Conv2d} is
 * {@code conv2d}), found by walking the sealed {@link Layer} hierarchy, so a new layer kind needs
 * no list here; a {@link Device} is its text ({@code cpu}, {@code gpu:1}). Not part of the API.
 */
public final class Json {

  private Json() {}

  /** A mapper builder that knows lenet's types; callers add their strictness settings. */
  public static JsonMapper.Builder builder() {
    SimpleModule module = new SimpleModule("lenet");
    module.setMixInAnnotation(Layer.class, LayerTyping.class);
    for (Class<?> kind : layerKinds()) {
      module.registerSubtypes(new NamedType(kind, typeName(kind)));
    }
    module.addSerializer(Device.class, new DeviceWriter());
    module.addDeserializer(Device.class, new DeviceReader());
    return JsonMapper.builder().addModule(module).enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Every concrete layer record, from the sealed hierarchy. */
  public static List<Class<?>> layerKinds() {
    List<Class<?>> out = new ArrayList<>();
    collect(Layer.class, out);
    return List.copyOf(out);
  }

  /** A layer kind's JSON type name: its simple name with a lower-case first letter. */
  public static String typeName(Class<?> kind) {
    String name = kind.getSimpleName();
    return name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
  }

  private static void collect(Class<?> type, List<Class<?>> out) {
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        collect(sub, out);
      }
    } else {
      out.add(type);
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  private interface LayerTyping {}

  private static final class DeviceWriter extends JsonSerializer<Device> {
    @Override
    public void serialize(Device value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class DeviceReader extends JsonDeserializer<Device> {
    @Override
    public Device deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Device.parse(p.getValueAsString());
    }
  }
}
