package io.stepstream.server;

import java.nio.file.Path;
import java.time.Clock;

import io.stepstream.gateway.auth.AccessKeys;
import io.stepstream.gateway.auth.SigV4Verifier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Whether the API checks SigV4 request signatures, and against which access keys. A picocli mixin
 * shared by {@code run} (on by default) and {@code dev} (off by default).
 */
final class AuthenticationOptions {

  @Option(names = "--authentication", negatable = true,
      description = "Check the AWS Signature Version 4 of every API request against the keys of --credentials-file "
          + "(default: on for run; on for dev only with --credentials-file). GET /health and GET /metrics stay open.")
  Boolean enabled;

  @Option(names = "--credentials-file", paramLabel = "FILE",
      description = "Access keys the API accepts, in the AWS shared-credentials format: one [profile] per key with "
          + "aws_access_key_id and aws_secret_access_key.")
  Path credentialsFile;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The verifier the API uses, or null when authentication is off.
   *
   * @param onByDefault the command's default when neither {@code --authentication} nor
   *     {@code --no-authentication} is given (a credentials file then turns it on too)
   * @param region the region requests must be signed for
   * @throws ParameterException when authentication is on without a usable credentials file
   */
  SigV4Verifier verifier(boolean onByDefault, String region, Clock clock) {
    boolean on = enabled != null ? enabled : onByDefault || credentialsFile != null;
    if (!on) {
      return null;
    }
    if (credentialsFile == null) {
      throw new ParameterException(command.commandLine(), "Authentication is on: give the access keys with "
          + "--credentials-file FILE, or turn it off with --no-authentication");
    }
    try {
      return new SigV4Verifier(AccessKeys.load(credentialsFile), region, SigV4Verifier.DEFAULT_MAX_SKEW, clock);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e, null, credentialsFile.toString());
    }
  }
}
