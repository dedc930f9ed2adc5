package io.stepstream.asl.maprun;

import io.stepstream.asl.definition.State;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * How AWS names what a Distributed Map creates, in one place.
 *
 * <ul>
 *   <li>map run: {@code arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<uuid>};
 *   <li>its children's state machine: {@code arn:aws:states:<region>:<account>:stateMachine:<machine>/<label>};
 *   <li>a child: {@code ...:execution:<machine>/<label>:<uuid>} (STANDARD) or
 *       {@code ...:express:<machine>/<label>:<uuid>:<uuid>} (EXPRESS).
 * </ul>
 *
 * The label is the Map state's {@code Label}, or a UUID derived from the state's name (AWS generates
 * one when none is given). Every id is derived from its parent's, so a repeated step (a redelivered
 * command, a replay) names the same map run and the same children.
 */
public final class MapRunNames {

  private MapRunNames() {}

  /** The Map state's label: its Label field, or a UUID derived from its name. */
  public static String label(State.Map map) {
    return label(map.label(), map.name());
  }

  /** The label of a Map state named {@code stateName} whose Label field is {@code label} (or null). */
  public static String label(String label, String stateName) {
    return label != null ? label : uuid("label:" + stateName);
  }

  /** The map run ARN of a Map state of {@code stateMachineArn} started with {@code id}. */
  public static String mapRunArn(String stateMachineArn, String label, String id) {
    int at = stateMachineArn.indexOf(":stateMachine:");
    return stateMachineArn.substring(0, at) + ":mapRun:" + stateMachineArn.substring(at + ":stateMachine:".length())
        + "/" + label + ":" + id;
  }

  /** The state machine ARN of the children of a map run. */
  public static String processorArn(String mapRunArn) {
    int at = mapRunArn.indexOf(":mapRun:");
    String rest = mapRunArn.substring(at + ":mapRun:".length());
    return mapRunArn.substring(0, at) + ":stateMachine:" + rest.substring(0, rest.lastIndexOf(':'));
  }

  /** The id part of a map run ARN (the last part: the folder ResultWriter writes into). */
  public static String mapRunId(String mapRunArn) {
    return mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1);
  }

  /** Whether a text has the shape of a map run ARN. */
  public static boolean isMapRunArn(String text) {
    if (text == null) {
      return false;
    }
    String[] parts = text.split(":", -1);
    return parts.length == 8 && "arn".equals(parts[0]) && "states".equals(parts[2]) && "mapRun".equals(parts[5])
        && parts[6].indexOf('/') > 0 && !parts[7].isEmpty();
  }

  /** The name of child {@code index} of a map run. */
  public static String childName(String mapRunArn, long index) {
    return uuid("child:" + mapRunArn + "#" + index);
  }

  /** The ARN of child {@code index} of a map run. */
  public static String childArn(String mapRunArn, long index, boolean express) {
    String processor = processorArn(mapRunArn);
    String name = childName(mapRunArn, index);
    return express
        ? processor.replace(":stateMachine:", ":express:") + ":" + name + ":" + uuid("express:" + mapRunArn + "#" + index)
        : processor.replace(":stateMachine:", ":execution:") + ":" + name;
  }

  /** A name-based UUID (deterministic). */
  public static String uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
