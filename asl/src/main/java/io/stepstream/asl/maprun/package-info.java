/**
 * The pure part of Distributed Map, shared by the interpreter, the map-run service and the in-memory
 * driver: names and ARNs of map runs and their children, finding a map run's processor in a
 * definition, ItemSelector over one item, ItemBatcher, and the tolerated-failure rule. No I/O.
 */
package io.stepstream.asl.maprun;
