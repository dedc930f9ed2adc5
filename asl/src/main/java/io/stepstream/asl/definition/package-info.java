/**
 * The compiled, immutable model of a state machine definition: states with resolved transitions,
 * pre-compiled paths, templates, Choice rules and Retry/Catch tables. Built once by
 * {@link io.stepstream.asl.definition.DefinitionCompiler}; the interpreter never re-parses ASL.
 */
package io.stepstream.asl.definition;
