package io.stepstream.maprun.service;

/**
 * The topics the map-run service reads and writes.
 *
 * @param commands map-run commands keyed by map run ARN (input)
 * @param status snapshots for DescribeMapRun, keyed by map run ARN
 * @param standardCommands STANDARD execution commands: STANDARD children and parents
 * @param expressCommands EXPRESS execution commands: EXPRESS children and parents
 * @param stateMachines the registry, read as a global store (the Map state's ItemSelector)
 */
public record MapRunTopics(String commands, String status, String standardCommands, String expressCommands,
    String stateMachines) {}
