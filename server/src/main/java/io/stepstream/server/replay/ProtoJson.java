package io.stepstream.server.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as JSON, for people: fields under their proto3 JSON names (lowerCamelCase),
 * fields at their default value left out, enums by name, maps as objects, 64-bit integers as numbers.
 * (protobuf-java-util's JsonFormat would bring Guava and Gson into the executable for this one use.)
 */
public final class ProtoJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ProtoJson() {}

  /** The message as a JSON object. */
  public static ObjectNode toJson(Message message) {
    ObjectNode object = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      Object value = field.getValue();
      if (descriptor.isMapField()) {
        ObjectNode map = object.putObject(descriptor.getJsonName());
        for (Object entry : (List<?>) value) {
          Message pair = (Message) entry;
          FieldDescriptor keyField = pair.getDescriptorForType().findFieldByName("key");
          FieldDescriptor valueField = pair.getDescriptorForType().findFieldByName("value");
          map.set(String.valueOf(pair.getField(keyField)), scalar(valueField, pair.getField(valueField)));
        }
      } else if (descriptor.isRepeated()) {
        ArrayNode array = object.putArray(descriptor.getJsonName());
        for (Object element : (List<?>) value) {
          array.add(scalar(descriptor, element));
        }
      } else {
        object.set(descriptor.getJsonName(), scalar(descriptor, value));
      }
    }
    return object;
  }

  private static JsonNode scalar(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case MESSAGE -> value instanceof MapEntry<?, ?> ? NODES.textNode(value.toString()) : toJson((Message) value);
      case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
      case INT -> NODES.numberNode((Integer) value);
      case LONG -> NODES.numberNode((Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case STRING -> NODES.textNode((String) value);
      case BYTE_STRING -> NODES.binaryNode(((com.google.protobuf.ByteString) value).toByteArray());
    };
  }
}
