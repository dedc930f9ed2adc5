/** JSON parsing and printing as Step Functions does it: numbers keep their form, large integers stay exact. */
package io.stepstream.asl.json;
