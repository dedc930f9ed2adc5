package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A Map state: its item processor (a nested state machine), where items come from (ItemsPath, Items or
 * an ItemReader), how they are shaped (ItemSelector, ItemBatcher), concurrency, tolerated failures,
 * Label and ResultWriter.
 */
final class MapStateChecker {

  private static final Set<String> PROCESSOR_CONFIG = Set.of("Mode", "ExecutionType");
  private static final Set<String> ITEM_READER = Set.of("Resource", "ReaderConfig", "Parameters", "Arguments");
  private static final Set<String> ITEM_BATCHER = Set.of("MaxItemsPerBatch", "MaxItemsPerBatchPath",
      "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput");
  private static final Set<String> RESULT_WRITER = Set.of("Resource", "Parameters", "Arguments", "WriterConfig");
  private static final long MAX_INT = Integer.MAX_VALUE;
  private static final int MAX_LABEL_LENGTH = 40;

  private MapStateChecker() {}

  static void check(StateContext state, StateMachineChecker machine) {
    Fields fields = state.fields();
    processor(fields, machine);
    items(state);
    fields.exclusive("MaxConcurrency", "MaxConcurrencyPath");
    fields.exclusive("ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    fields.exclusive("ToleratedFailureCount", "ToleratedFailureCountPath");
    DataFlowChecker.integerOrJsonata(state, "MaxConcurrency", 0, MAX_INT);
    DataFlowChecker.numberOrJsonata(state, "ToleratedFailurePercentage", 0, 100);
    DataFlowChecker.integerOrJsonata(state, "ToleratedFailureCount", 0, MAX_INT);
    if (!state.isJsonata()) {
      DataFlowChecker.definitePath(fields, "MaxConcurrencyPath");
      DataFlowChecker.definitePath(fields, "ToleratedFailurePercentagePath");
      DataFlowChecker.definitePath(fields, "ToleratedFailureCountPath");
    }
    String label = fields.string("Label");
    if (label != null && (label.isEmpty() || label.length() > MAX_LABEL_LENGTH)) {
      state.findings().schema("Label length must be between 1 and " + MAX_LABEL_LENGTH, fields.at("Label"));
    }
    Fields reader = part(fields, "ItemReader", ITEM_READER, state.language());
    if (reader != null) {
      reader.require("Resource");
      reader.string("Resource");
      reader.objectField("ReaderConfig");
    }
    Fields batcher = part(fields, "ItemBatcher", ITEM_BATCHER, state.language());
    if (batcher != null) {
      for (String field : new String[] {"MaxItemsPerBatch", "MaxInputBytesPerBatch"}) {
        DataFlowChecker.integerOrJsonata(new StateContext(state.name(), state.type(), batcher, state.language()),
            field, 1, MAX_INT);
        if (!state.isJsonata()) {
          DataFlowChecker.definitePath(batcher, field + "Path");
        }
      }
      batcher.exclusive("MaxItemsPerBatch", "MaxItemsPerBatchPath");
      batcher.exclusive("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
    }
    Fields writer = part(fields, "ResultWriter", RESULT_WRITER, state.language());
    if (writer != null) {
      writer.string("Resource");
      writer.objectField("WriterConfig");
    }
  }

  private static void processor(Fields fields, StateMachineChecker machine) {
    if (!fields.has("ItemProcessor") && !fields.has("Iterator")) {
      fields.require("ItemProcessor");
      return;
    }
    fields.exclusive("ItemProcessor", "Iterator");
    for (String field : new String[] {"ItemProcessor", "Iterator"}) {
      ObjectNode processor = fields.objectField(field);
      if (processor == null) {
        continue;
      }
      ObjectNode config = new Fields(processor, fields.at(field), fields.findings()).objectField("ProcessorConfig");
      if (config != null) {
        Fields configFields = new Fields(config, Pointer.child(fields.at(field), "ProcessorConfig"), fields.findings());
        configFields.allowOnly(PROCESSOR_CONFIG);
        configFields.oneOf("Mode", "INLINE", "DISTRIBUTED");
        configFields.oneOf("ExecutionType", "STANDARD", "EXPRESS");
      }
      machine.checkNested(processor, fields.at(field), StateFields.PROCESSOR);
    }
  }

  private static void items(StateContext state) {
    Fields fields = state.fields();
    fields.exclusive("ItemSelector", "Parameters");
    if (state.isJsonata()) {
      JsonNode items = fields.get("Items");
      if (items != null) {
        if (items.isTextual()) {
          DataFlowChecker.jsonataString(state, "Items");
        } else if (items.isArray()) {
          DataFlowChecker.jsonataValue(items, fields.at("Items"), state.findings());
        } else {
          fields.typeMismatch("Items", "Array");
        }
      }
      if (fields.has("ItemSelector")) {
        DataFlowChecker.jsonataValue(fields.get("ItemSelector"), fields.at("ItemSelector"), state.findings());
      }
    } else {
      DataFlowChecker.definitePath(fields, "ItemsPath");
      DataFlowChecker.template(fields, "ItemSelector");
    }
  }

  /**
   * One optional configuration object of the Map state (ItemReader, ItemBatcher, ResultWriter): its
   * fields, and Parameters or Arguments in the state's query language. Null when absent or not an object.
   */
  private static Fields part(Fields state, String field, Set<String> allowed, QueryLanguage language) {
    ObjectNode node = state.objectField(field);
    if (node == null) {
      return null;
    }
    Fields part = new Fields(node, state.at(field), state.findings());
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        part.notSupported(name);
      } else if (language == QueryLanguage.JSONATA && (name.equals("Parameters") || name.endsWith("Path"))
          || language == QueryLanguage.JSONPATH && name.equals("Arguments")) {
        part.wrongLanguage(name, language);
      }
    }
    if (language == QueryLanguage.JSONATA) {
      if (part.has("Arguments")) {
        DataFlowChecker.jsonataValue(part.get("Arguments"), part.at("Arguments"), part.findings());
      }
    } else {
      DataFlowChecker.template(part, "Parameters");
    }
    return part;
  }
}
