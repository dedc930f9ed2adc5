/** JSONPath data flow: paths, payload templates, and the scope a state's expressions are evaluated in. */
package io.stepstream.asl.dataflow;
