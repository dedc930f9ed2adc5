package io.stepstream.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(StepFunctionsExtension.class)} on a test class gives each test
 * method (or constructor) that declares a {@link Workflows} parameter a fresh one. Nothing is started:
 * workflows run in-process, in the test's thread.
 */
public final class StepFunctionsExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Workflows.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new Workflows();
  }
}
