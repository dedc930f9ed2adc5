package io.stepstream.gateway.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The access keys the API accepts: access key id to secret access key. Immutable and thread-safe.
 *
 * <p>They are read from a file in the AWS shared-credentials format (the format of
 * {@code ~/.aws/credentials}), one profile per key; profile names are labels only:
 * <pre>
 * [ci]
 * aws_access_key_id = AKIASTEPSTREAMCI0001
 * aws_secret_access_key = ...
 * </pre>
 * The AWS SDK's own parser reads it, so what the CLI reads, Stepstream reads.
 */
public final class AccessKeys {

  private final Map<String, String> secrets;

  private AccessKeys(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** Keys given in code (tests, embedding). */
  public static AccessKeys of(Map<String, String> secretsById) {
    if (secretsById.isEmpty()) {
      throw new IllegalArgumentException("No access keys");
    }
    return new AccessKeys(secretsById);
  }

  /**
   * Reads a shared-credentials file.
   *
   * @throws IllegalArgumentException if the file is missing, holds no key, a profile lacks
   *     {@code aws_access_key_id} or {@code aws_secret_access_key}, or two profiles share an id
   */
  public static AccessKeys load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Credentials file not found: " + file);
    }
    ProfileFile profiles = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build();
    Map<String, String> secrets = new HashMap<>();
    for (Profile profile : profiles.profiles().values()) {
      String id = required(profile, "aws_access_key_id", file);
      String secret = required(profile, "aws_secret_access_key", file);
      if (secrets.put(id, secret) != null) {
        throw new IllegalArgumentException("Access key " + id + " appears twice in " + file);
      }
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("No access keys in " + file);
    }
    return new AccessKeys(secrets);
  }

  private static String required(Profile profile, String property, Path file) {
    return profile.property(property).filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalArgumentException(
        "Profile [" + profile.name() + "] of " + file + " has no " + property));
  }

  /** The secret of an access key id, or empty for an unknown one. */
  public Optional<String> secret(String accessKeyId) {
    return Optional.ofNullable(secrets.get(accessKeyId));
  }

  /** How many keys there are. */
  public int size() {
    return secrets.size();
  }
}
