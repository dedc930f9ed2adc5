/**
 * The Choice state's rules for the JSONPath query language: compiled once from a definition's
 * {@code Choices}, then evaluated against each state input.
 */
package io.stepstream.asl.choice;
