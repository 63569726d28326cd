package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a {@code :predict} request body with Jackson's streaming parser, straight into the float
 * batch: {@code {"instances": ...}} (row format) or {@code {"inputs": ...}} (columnar), and an
 * optional {@code signature_name}. No tree of the body is built; only a value a message must quote
 * is read as one.
 *
 * <p>The faults and their order are those of reading the whole body as a tree first and checking it
 * after: JSON syntax errors (and a second value after the object) first, with the line and column;
 * then a body that is not an object, an unknown field, a signature other than the model's, both or
 * neither format, and last what is wrong with the images (see {@link ImageTensors}). A member named
 * twice counts with its last value, as in a tree.
 */
final class PredictBody {

  private static final String FIELDS =
      "; a predict request has \"instances\" or \"inputs\" and may have \"signature_name\"";

  private final ObjectMapper json;
  private final ObjectReader nodes;

  /**
   * @param json the server's mapper: its parser features (non-numeric numbers, the fast double
   *     parser) are the ones bodies are read with
   */
  PredictBody(ObjectMapper json) {
    this.json = json;
    this.nodes = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A body's images and whether they came in the row format (else columnar). */
  record Request(boolean rows, ImageTensors.Batch batch) {}

  /** The images of a predict body, for a model whose input {@code images} reads. */
  Request read(byte[] body, ImageTensors images) {
    try (JsonParser p = json.createParser(body)) {
      return read(p, images);
    } catch (JsonProcessingException e) {
      throw parseError(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an array in memory
    }
  }

  /**
   * Checks that {@code body} is one JSON value, for requests refused for another reason: a syntax
   * error is reported first, as for a predict request.
   */
  void checkSyntax(byte[] body) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != null) {
        p.skipChildren();
        noTrailingTokens(p);
      }
    } catch (JsonProcessingException e) {
      throw parseError(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree reader the images' messages quote values with. */
  ImageTensors.JsonNodes nodes() {
    return nodes::readTree;
  }

  private Request read(JsonParser p, ImageTensors images) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      if (t != null) {
        p.skipChildren();
        noTrailingTokens(p);
      }
      throw ApiException.badRequest(
          "the request body must be a JSON object with \"instances\" or \"inputs\"");
    }
    String unknown = null;
    JsonNode wrongSignature = null;
    ImageTensors.Outcome instances = null;
    ImageTensors.Outcome inputs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      t = p.nextToken();
      switch (field) {
        case "instances":
          instances = images.fromInstances(p);
          break;
        case "inputs":
          inputs = images.fromInputs(p);
          break;
        case "signature_name":
          if (t == JsonToken.VALUE_STRING) {
            String name = p.getText();
            wrongSignature =
                name.isEmpty() || name.equals(ServedModel.SIGNATURE)
                    ? null
                    : TextNode.valueOf(name);
          } else {
            wrongSignature = nodes.readTree(p);
          }
          break;
        default:
          if (unknown == null) {
            unknown = field;
          }
          p.skipChildren();
      }
    }
    noTrailingTokens(p);
    if (unknown != null) {
      throw ApiException.badRequest("unknown field \"" + unknown + "\"" + FIELDS);
    }
    if (wrongSignature != null) {
      throw ApiException.badRequest(
          "Serving signature name: "
              + wrongSignature
              + " not found in signature def; this model has only \""
              + ServedModel.SIGNATURE
              + "\"");
    }
    boolean rows = instances != null;
    if (rows == (inputs != null)) {
      throw ApiException.badRequest(
          rows
              ? "the request has both \"instances\" and \"inputs\"; send one of them"
              : "the request has neither \"instances\" (row format) nor \"inputs\" (columnar"
                  + " format)");
    }
    return new Request(rows, (rows ? instances : inputs).batchOrThrow());
  }

  /** Refuses a second value after the body's, with the message a tree reader gives. */
  private static void noTrailingTokens(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != null) {
      throw MismatchedInputException.from(
          p,
          JsonNode.class,
          "Trailing token (of type "
              + t
              + ") found after value (bound as `"
              + JsonNode.class.getName()
              + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
    }
  }

  /** A body that is not JSON: 400 with what the parser says and where. */
  static ApiException parseError(JsonProcessingException e) {
    var at = e.getLocation();
    return ApiException.badRequest(
        "JSON Parse error: "
            + e.getOriginalMessage()
            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
  }
}
