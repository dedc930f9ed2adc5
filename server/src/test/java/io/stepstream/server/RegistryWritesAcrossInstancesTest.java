package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.clientWithoutRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.Roles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineAliasResponse;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineAliasListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineVersionListItem;

/**
 * Registry mutations sent at the same time to two gateway instances on one broker: each one is
 * decided on every write before it, wherever that write was made, as on one instance (issue 16).
 * The clients never retry, so every answer is the first one a user would get.
 */
class RegistryWritesAcrossInstancesTest {

  /** Writes per instance in each test: enough for both instances' writes to interleave many times. */
  private static final int WRITES = 15;

  @TempDir
  static Path dataDir;

  private static TestCluster cluster;
  private static SfnClient a;
  private static SfnClient b;

  @BeforeAll
  static void startTwoGateways() throws Exception {
    cluster = new TestCluster(dataDir, 1);
    Roles first = cluster.start("a", List.of("gateway"));
    Roles second = cluster.start("b", List.of("gateway"));
    a = clientWithoutRetries(first.find(GatewayRole.class).endpoint());
    b = clientWithoutRetries(second.find(GatewayRole.class).endpoint());
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
      b.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String returning(String value) {
    return VersionsAndAliasesSfnClientTest.returning(value);
  }

  @Test
  void shouldPublishEveryVersionOnceWhenTwoInstancesPublishAtOnce() throws Exception {
    String machine = a.createStateMachine(r -> r.name("contended").definition(returning("start")).roleArn(ROLE))
        .stateMachineArn();
    // Version ARN -> the definition its UpdateStateMachine wrote; a version ARN handed out twice fails put.
    Map<String, String> published = new ConcurrentHashMap<>();
    List<String> handedOutTwice = new ArrayList<>();
    inParallel(client -> {
      String side = client == a ? "a" : "b";
      for (int i = 0; i < WRITES; i++) {
        String definition = returning(side + i);
        String version = client.updateStateMachine(r -> r.stateMachineArn(machine).definition(definition).publish(true))
            .stateMachineVersionArn();
        if (published.putIfAbsent(version, definition) != null) {
          synchronized (handedOutTwice) {
            handedOutTwice.add(version);
          }
        }
        // Publishing the current revision again returns the version already published from it.
        String again = client.publishStateMachineVersion(r -> r.stateMachineArn(machine)).stateMachineVersionArn();
        assertThat(again).startsWith(machine + ":");
      }
      return null;
    });

    assertThat(handedOutTwice).as("version ARNs answered twice").isEmpty();
    assertThat(published).hasSize(2 * WRITES);
    for (SfnClient client : List.of(a, b)) {
      var page = client.listStateMachineVersions(r -> r.stateMachineArn(machine).maxResults(1000));
      assertThat(page.nextToken()).isNull();
      assertThat(page.stateMachineVersions()).extracting(StateMachineVersionListItem::stateMachineVersionArn)
          .containsExactlyInAnyOrderElementsOf(published.keySet());
    }
    published.forEach((version, definition) -> assertThat(
        b.describeStateMachine(r -> r.stateMachineArn(version)).definition()).as(version).isEqualTo(definition));
  }

  @Test
  void shouldKeepEveryAliasAndTheLastRoutingWhenTwoInstancesChangeAliasesAtOnce() throws Exception {
    String machine = a.createStateMachine(r -> r.name("aliased").definition(returning("0")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    String v2 = a.updateStateMachine(r -> r.stateMachineArn(machine).definition(returning("1")).publish(true))
        .stateMachineVersionArn();
    String v1 = machine + ":1";
    String alias = a.createStateMachineAlias(r -> r.name("live").routingConfiguration(route(v1, 100)))
        .stateMachineAliasArn();
    // The routing each side writes last: the alias must end with one of them.
    Map<String, List<RoutingConfigurationListItem>> lastWritten = new ConcurrentHashMap<>();
    inParallel(client -> {
      String side = client == a ? "a" : "b";
      for (int i = 0; i < WRITES; i++) {
        int weight = client == a ? i + 1 : 99 - i;
        List<RoutingConfigurationListItem> routing = List.of(route(v1, weight).get(0), route(v2, 100 - weight).get(0));
        client.updateStateMachineAlias(r -> r.stateMachineAliasArn(alias).routingConfiguration(routing));
        lastWritten.put(side, routing);
        int n = i;
        client.createStateMachineAlias(r -> r.name(side + "-" + n).routingConfiguration(route(v2, 100)));
      }
      return null;
    });

    for (SfnClient client : List.of(a, b)) {
      DescribeStateMachineAliasResponse described = client.describeStateMachineAlias(r -> r.stateMachineAliasArn(alias));
      assertThat(described.routingConfiguration()).isIn(lastWritten.values());
      var page = client.listStateMachineAliases(r -> r.stateMachineArn(machine).maxResults(1000));
      assertThat(page.nextToken()).isNull();
      assertThat(page.stateMachineAliases()).extracting(StateMachineAliasListItem::stateMachineAliasArn)
          .as("aliases listed").hasSize(1 + 2 * WRITES).doesNotHaveDuplicates().contains(alias);
    }
  }

  @Test
  void shouldCreateAStateMachineOnceWhenTwoInstancesCreateItAtOnce() throws Exception {
    for (int i = 0; i < WRITES; i++) {
      String name = "raced-" + i;
      List<Object> answers = inParallel(client -> {
        String definition = returning(client == a ? "a" : "b");
        try {
          return client.createStateMachine(r -> r.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
        } catch (StateMachineAlreadyExistsException e) {
          return e;
        }
      });
      assertThat(answers).as(name).filteredOn(String.class::isInstance).hasSize(1);
      assertThat(answers).as(name).filteredOn(StateMachineAlreadyExistsException.class::isInstance).hasSize(1);
      String winner = answers.get(0) instanceof String ? "a" : "b";
      String arn = (String) answers.stream().filter(String.class::isInstance).findFirst().orElseThrow();
      for (SfnClient client : List.of(a, b)) {
        assertThat(client.describeStateMachine(r -> r.stateMachineArn(arn)).definition()).isEqualTo(returning(winner));
      }

      // The same request on both: AWS's idempotency answers both with the one state machine.
      String same = "same-" + i;
      List<Object> both = inParallel(client -> client.createStateMachine(r -> r.name(same).definition(returning("same"))
          .roleArn(ROLE)).stateMachineArn());
      assertThat(both.get(0)).isEqualTo(both.get(1));
    }
  }

  private static List<RoutingConfigurationListItem> route(String version, int weight) {
    return List.of(VersionsAndAliasesSfnClientTest.route(version, weight));
  }

  private interface Side {
    Object run(SfnClient client) throws Exception;
  }

  /** Runs {@code side} with client a and with client b at the same moment; returns a's answer, then b's. */
  private static List<Object> inParallel(Side side) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> answers = new ArrayList<>();
      for (SfnClient client : List.of(a, b)) {
        Callable<Object> task = () -> {
          start.await();
          return side.run(client);
        };
        answers.add(threads.submit(task));
      }
      List<Object> results = new ArrayList<>();
      for (Future<Object> answer : answers) {
        results.add(answer.get());
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }
}
