/**
 * JSONata data flow for states with {@code QueryLanguage: JSONata}: compiled expressions and field
 * templates, the Step Functions bindings and functions, and AWS's error texts.
 */
package io.stepstream.asl.jsonata;
