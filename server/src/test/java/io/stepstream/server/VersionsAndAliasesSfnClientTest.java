package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.ConflictException;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineAliasResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.ListStateMachineVersionsResponse;
import software.amazon.awssdk.services.sfn.model.PublishStateMachineVersionResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineVersionListItem;
import software.amazon.awssdk.services.sfn.model.UpdateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Versions and aliases through the AWS SDK against {@code dev} mode: every operation, its main
 * errors, and executions started by version and alias ARN.
 */
class VersionsAndAliasesSfnClientTest {

  static final String ROLE = SfnTestClients.ROLE;

  @RegisterExtension
  static final DevServer SERVER = DevServer.start(2, SfnTestClients::clientWithoutRetries);

  /** A definition whose output says which one ran. */
  static String returning(String value) {
    return "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":{\"v\":\"" + value + "\"},\"End\":true}}}";
  }

  static RoutingConfigurationListItem route(String versionArn, int weight) {
    return RoutingConfigurationListItem.builder().stateMachineVersionArn(versionArn).weight(weight).build();
  }

  @Test
  void shouldPublishVersionsOnCreateUpdateAndPublishAndDescribeEach() {
    CreateStateMachineResponse created = SERVER.sfn().createStateMachine(b -> b.name("published").definition(returning("1"))
        .roleArn(ROLE).publish(true).versionDescription("first"));
    String machine = created.stateMachineArn();
    assertThat(created.stateMachineVersionArn()).isEqualTo(machine + ":1");

    DescribeStateMachineResponse v1 = SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":1"));
    assertThat(v1.stateMachineArn()).isEqualTo(machine + ":1");
    assertThat(v1.definition()).isEqualTo(returning("1"));
    assertThat(v1.description()).isEqualTo("first");
    assertThat(v1.revisionId()).isNull();

    UpdateStateMachineResponse updated = SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine)
        .definition(returning("2")).publish(true).versionDescription("second"));
    assertThat(updated.stateMachineVersionArn()).isEqualTo(machine + ":2");
    assertThat(updated.revisionId()).isNotBlank();
    DescribeStateMachineResponse v2 = SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":2"));
    assertThat(v2.definition()).isEqualTo(returning("2"));
    assertThat(v2.revisionId()).isEqualTo(updated.revisionId());
    assertThat(SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":1")).definition()).isEqualTo(returning("1"));

    // The same settings again make no revision, so publishing returns the version of the current one.
    UpdateStateMachineResponse again = SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine)
        .definition(returning("2")).publish(true));
    assertThat(again.stateMachineVersionArn()).isEqualTo(machine + ":2");
    assertThat(again.revisionId()).isEqualTo(updated.revisionId());
    PublishStateMachineVersionResponse republished = SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine));
    assertThat(republished.stateMachineVersionArn()).isEqualTo(machine + ":2");

    String revision3 = SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("3"))).revisionId();
    assertThatThrownBy(() -> SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine)
        .revisionId(updated.revisionId())))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("Failed to publish the State Machine version for revision " + updated.revisionId()
            + ". The current State Machine revision is " + revision3 + ".");
    PublishStateMachineVersionResponse v3 = SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine)
        .revisionId(revision3).description("third"));
    assertThat(v3.stateMachineVersionArn()).isEqualTo(machine + ":3");
  }

  @Test
  void shouldRefuseBadVersionRequests() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("refusing").definition(returning("1")).roleArn(ROLE))
        .stateMachineArn();
    assertThatThrownBy(() -> SERVER.sfn().createStateMachine(b -> b.name("no-publish").definition(returning("1")).roleArn(ROLE)
        .versionDescription("orphan")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Version description can only be set when publish is true");
    assertThatThrownBy(() -> SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine + "-missing")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine)
        .description("d".repeat(257))))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":7")))
        .isInstanceOf(StateMachineDoesNotExistException.class)
        .hasMessageContaining("State Machine Does Not Exist: '" + machine + ":7'");
    assertThatThrownBy(() -> SERVER.sfn().deleteStateMachineVersion(b -> b.stateMachineVersionArn(machine)))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine + ":1").definition(returning("x"))))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SERVER.sfn().listStateMachineVersions(b -> b.stateMachineArn(machine).maxResults(1001)))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void shouldListVersionsNewestFirstInPagesAndNeverReuseADeletedNumber() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("listed-versions").definition(returning("0")).roleArn(ROLE))
        .stateMachineArn();
    for (int i = 1; i <= 5; i++) {
      String value = Integer.toString(i);
      SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning(value)).publish(true));
    }
    List<String> listed = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListStateMachineVersionsResponse page = SERVER.sfn().listStateMachineVersions(b -> b.stateMachineArn(machine)
          .maxResults(2).nextToken(next));
      assertThat(page.stateMachineVersions()).hasSizeLessThanOrEqualTo(2);
      page.stateMachineVersions().stream().map(StateMachineVersionListItem::stateMachineVersionArn).forEach(listed::add);
      token = page.nextToken();
    } while (token != null);
    assertThat(listed).containsExactly(machine + ":5", machine + ":4", machine + ":3", machine + ":2", machine + ":1");

    SERVER.sfn().deleteStateMachineVersion(b -> b.stateMachineVersionArn(machine + ":5"));
    SERVER.sfn().deleteStateMachineVersion(b -> b.stateMachineVersionArn(machine + ":5"));
    assertThatThrownBy(() -> SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":5")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> SERVER.sfn().startExecution(b -> b.stateMachineArn(machine + ":5")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    // The current revision's version was deleted: publishing it again makes version 6, not 5.
    assertThat(SERVER.sfn().publishStateMachineVersion(b -> b.stateMachineArn(machine)).stateMachineVersionArn())
        .isEqualTo(machine + ":6");
    assertThat(SERVER.sfn().listStateMachineVersions(b -> b.stateMachineArn(machine)).stateMachineVersions())
        .extracting(StateMachineVersionListItem::stateMachineVersionArn)
        .containsExactly(machine + ":6", machine + ":4", machine + ":3", machine + ":2", machine + ":1");
  }

  @Test
  void shouldCreateDescribeUpdateListAndDeleteAliases() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("aliased").definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("2")).publish(true));
    String v1 = machine + ":1";
    String v2 = machine + ":2";

    var created = SERVER.sfn().createStateMachineAlias(b -> b.name("live").description("canary")
        .routingConfiguration(route(v1, 90), route(v2, 10)));
    String alias = created.stateMachineAliasArn();
    assertThat(alias).isEqualTo(machine + ":live");
    // The same request again is the same alias; another routing under the name is a conflict.
    assertThat(SERVER.sfn().createStateMachineAlias(b -> b.name("live").description("canary")
        .routingConfiguration(route(v1, 90), route(v2, 10))).creationDate()).isEqualTo(created.creationDate());
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("live").description("canary")
        .routingConfiguration(route(v1, 50), route(v2, 50))))
        .isInstanceOf(ConflictException.class);

    DescribeStateMachineAliasResponse described = SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    assertThat(described.name()).isEqualTo("live");
    assertThat(described.description()).isEqualTo("canary");
    assertThat(described.routingConfiguration()).containsExactly(route(v1, 90), route(v2, 10));
    assertThat(described.creationDate()).isEqualTo(created.creationDate());

    assertThatThrownBy(() -> SERVER.sfn().deleteStateMachineVersion(b -> b.stateMachineVersionArn(v2)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("Current list of aliases referencing this version: [live]");

    SERVER.sfn().updateStateMachineAlias(b -> b.stateMachineAliasArn(alias).routingConfiguration(route(v1, 100)));
    DescribeStateMachineAliasResponse moved = SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    assertThat(moved.routingConfiguration()).containsExactly(route(v1, 100));
    assertThat(moved.description()).isEqualTo("canary");
    SERVER.sfn().updateStateMachineAlias(b -> b.stateMachineAliasArn(alias).description("all on one"));
    assertThat(SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(alias)).description()).isEqualTo("all on one");

    SERVER.sfn().createStateMachineAlias(b -> b.name("next").routingConfiguration(route(v2, 100)));
    assertThat(SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine)).stateMachineAliases())
        .extracting(a -> a.stateMachineAliasArn()).containsExactly(alias, machine + ":next");
    assertThat(SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(v2)).stateMachineAliases())
        .extracting(a -> a.stateMachineAliasArn()).containsExactly(machine + ":next");
    var firstPage = SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine).maxResults(1));
    assertThat(firstPage.stateMachineAliases()).extracting(a -> a.stateMachineAliasArn()).containsExactly(alias);
    assertThat(SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine).nextToken(firstPage.nextToken()))
        .stateMachineAliases()).extracting(a -> a.stateMachineAliasArn()).containsExactly(machine + ":next");

    SERVER.sfn().deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    SERVER.sfn().deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    assertThatThrownBy(() -> SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(alias)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> SERVER.sfn().updateStateMachineAlias(b -> b.stateMachineAliasArn(alias).description("gone")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Request references a resource that does not exist.");
    // No alias routes to version 1 any more: it may go.
    SERVER.sfn().deleteStateMachineVersion(b -> b.stateMachineVersionArn(v1));
  }

  @Test
  void shouldRefuseBadAliasRequests() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("alias-errors").definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("2")).publish(true));
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("3")).publish(true));
    String v1 = machine + ":1";
    String v2 = machine + ":2";

    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(v1, 70),
        route(v2, 29))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Sum of routing configuration weights must equal 100. Received: [70, 29]");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(v1, 50),
        route(v2, 30), route(machine + ":3", 20))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Member must have length less than or equal to 2");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(v1, 50),
        route(v1, 50))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Routing configuration must contain distinct state machine version ARNs");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(machine, 100))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Routing configuration must contain state machine version ARNs. Received: [" + machine + "]");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(v1, 101))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at 'routingConfiguration.1.member.weight'");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("123").routingConfiguration(route(v1, 100))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Value '123' at 'name' failed to satisfy constraint");
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("a").routingConfiguration(route(machine + ":9", 100))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(v1)))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> SERVER.sfn().updateStateMachineAlias(b -> b.stateMachineAliasArn(machine + ":none")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine + "-missing")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThat(SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine)).stateMachineAliases()).isEmpty();
  }

  @Test
  void shouldRefuseTheAliasAfterTheQuota() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("many-aliases").definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    for (int i = 0; i < 100; i++) {
      String name = "a" + i;
      SERVER.sfn().createStateMachineAlias(b -> b.name(name).routingConfiguration(route(machine + ":1", 100)));
    }
    assertThatThrownBy(() -> SERVER.sfn().createStateMachineAlias(b -> b.name("one-too-many")
        .routingConfiguration(route(machine + ":1", 100))))
        .isInstanceOf(ServiceQuotaExceededException.class);
  }

  @Test
  void shouldStartExecutionsByVersionAndAliasAndRecordWhichOnTheExecution() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("started").definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("2")).publish(true));
    // The state machine moves on; versions 1 and 2 keep their definitions.
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("latest")));
    String alias = SERVER.sfn().createStateMachineAlias(b -> b.name("stable").routingConfiguration(route(machine + ":1", 100)))
        .stateMachineAliasArn();

    String byVersion = SERVER.sfn().startExecution(b -> b.stateMachineArn(machine + ":2").name("by-version")).executionArn();
    String byAlias = SERVER.sfn().startExecution(b -> b.stateMachineArn(alias).name("by-alias")).executionArn();
    String unqualified = SERVER.sfn().startExecution(b -> b.stateMachineArn(machine).name("unqualified")).executionArn();
    assertThat(byVersion).isEqualTo(machine.replace(":stateMachine:", ":execution:") + ":by-version");

    DescribeExecutionResponse version = HistorySfnClientTest.awaitDone(SERVER.sfn(), byVersion);
    assertThat(version.output()).isEqualTo("{\"v\":\"2\"}");
    assertThat(version.stateMachineArn()).isEqualTo(machine);
    assertThat(version.stateMachineVersionArn()).isEqualTo(machine + ":2");
    assertThat(version.stateMachineAliasArn()).isNull();
    DescribeExecutionResponse aliased = HistorySfnClientTest.awaitDone(SERVER.sfn(), byAlias);
    assertThat(aliased.output()).isEqualTo("{\"v\":\"1\"}");
    assertThat(aliased.stateMachineVersionArn()).isEqualTo(machine + ":1");
    assertThat(aliased.stateMachineAliasArn()).isEqualTo(alias);
    var started = SERVER.sfn().getExecutionHistory(b -> b.executionArn(byAlias)).events().getFirst()
        .executionStartedEventDetails();
    assertThat(started.stateMachineVersionArn()).isEqualTo(machine + ":1");
    assertThat(started.stateMachineAliasArn()).isEqualTo(alias);
    DescribeExecutionResponse latest = HistorySfnClientTest.awaitDone(SERVER.sfn(), unqualified);
    assertThat(latest.output()).isEqualTo("{\"v\":\"latest\"}");
    assertThat(latest.stateMachineVersionArn()).isNull();
    assertThat(SERVER.sfn().describeStateMachineForExecution(b -> b.executionArn(byVersion)).definition())
        .isEqualTo(returning("2"));

    assertThat(SERVER.sfn().listExecutions(b -> b.stateMachineArn(machine)).executions())
        .extracting(ExecutionListItem::executionArn).containsExactlyInAnyOrder(byVersion, byAlias, unqualified);
    assertThat(SERVER.sfn().listExecutions(b -> b.stateMachineArn(machine + ":1")).executions())
        .extracting(ExecutionListItem::executionArn).containsExactly(byAlias);
    List<ExecutionListItem> throughAlias = SERVER.sfn().listExecutions(b -> b.stateMachineArn(alias)).executions();
    assertThat(throughAlias).extracting(ExecutionListItem::executionArn).containsExactly(byAlias);
    assertThat(throughAlias.getFirst().stateMachineVersionArn()).isEqualTo(machine + ":1");
    assertThat(throughAlias.getFirst().stateMachineAliasArn()).isEqualTo(alias);
    assertThatThrownBy(() -> SERVER.sfn().listExecutions(b -> b.stateMachineArn(machine + ":9")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> SERVER.sfn().startExecution(b -> b.stateMachineArn(machine + ":nope")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void shouldSplitAliasStartsNinetyTenBetweenTwoVersions() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("canary").type(StateMachineType.EXPRESS)
        .definition(returning("1")).roleArn(ROLE).publish(true)).stateMachineArn();
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("2")).publish(true));
    String alias = SERVER.sfn().createStateMachineAlias(b -> b.name("canary")
        .routingConfiguration(route(machine + ":1", 90), route(machine + ":2", 10))).stateMachineAliasArn();

    Map<String, Integer> runs = new HashMap<>();
    int starts = 500;
    for (int i = 0; i < starts; i++) {
      String output = SERVER.sfn().startSyncExecution(b -> b.stateMachineArn(alias).input("{}")).output();
      runs.merge(output, 1, Integer::sum);
    }

    // Each start draws its version at random, as on AWS. Version 2 gets 50 of 500 on average
    // (standard deviation 6.7); the band [15, 110] reaches more than five deviations below and nine
    // above, so a correct router fails it about once in ten million runs, while a router ignoring
    // the weights (250), always taking one version (0 or 500) or swapping them (450) fails every time.
    // The exact split of the draws is StateMachineVersionsTest's.
    assertThat(runs.keySet()).containsExactlyInAnyOrder("{\"v\":\"1\"}", "{\"v\":\"2\"}");
    assertThat(runs.get("{\"v\":\"2\"}")).isBetween(15, 110);
    assertThat(runs.get("{\"v\":\"1\"}") + runs.get("{\"v\":\"2\"}")).isEqualTo(starts);
  }

  @Test
  void shouldDeleteVersionsAndAliasesWithTheStateMachine() {
    String machine = SERVER.sfn().createStateMachine(b -> b.name("deleted-with").definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    String alias = SERVER.sfn().createStateMachineAlias(b -> b.name("prod").routingConfiguration(route(machine + ":1", 100)))
        .stateMachineAliasArn();

    SERVER.sfn().deleteStateMachine(b -> b.stateMachineArn(machine));

    assertThatThrownBy(() -> SERVER.sfn().describeStateMachine(b -> b.stateMachineArn(machine + ":1")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> SERVER.sfn().describeStateMachineAlias(b -> b.stateMachineAliasArn(alias)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> SERVER.sfn().startExecution(b -> b.stateMachineArn(alias)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    SERVER.sfn().createStateMachine(b -> b.name("deleted-with").definition(returning("again")).roleArn(ROLE));
    assertThat(SERVER.sfn().listStateMachineVersions(b -> b.stateMachineArn(machine)).stateMachineVersions()).isEmpty();
    assertThat(SERVER.sfn().listStateMachineAliases(b -> b.stateMachineArn(machine)).stateMachineAliases()).isEmpty();
  }

  /**
   * A STANDARD parent whose one Task starts {@code target} with {@code .sync:2} and keeps the child's
   * ARN and output; a Map over {@code $.runs} when {@code runs} is above 1, one child per item, one
   * at a time so that the history, and so each task's idempotency key, is the same on every run.
   */
  static String nestedParent(String name, String target, int runs) {
    String task = """
        {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
          "Parameters": {"StateMachineArn": "%s", "Input": {}},
          "ResultSelector": {"arn.$": "$.ExecutionArn", "output.$": "$.Output"}, "End": true}""".formatted(target);
    String definition = runs <= 1 ? """
        {"StartAt": "Start", "States": {"Start": %s}}""".formatted(task) : """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.runs", "MaxConcurrency": 1,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Start", "States": {"Start": %s}},
          "End": true}}}""".formatted(task);
    return SERVER.sfn().createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
  }

  /**
   * Runs a parent to its end and returns its description. The execution is named "run": with its
   * state machine's name, that makes every task's idempotency key, and so each child's name and
   * alias draw, the same on every run of a test.
   */
  static DescribeExecutionResponse runParent(String parent, String input) {
    String arn = SERVER.sfn().startExecution(b -> b.stateMachineArn(parent).name("run").input(input)).executionArn();
    return HistorySfnClientTest.awaitDone(SERVER.sfn(), arn);
  }

  /** A state machine with versions 1 and 2 returning "1" and "2", and a current revision returning "latest". */
  static String versionedChild(String name) {
    String machine = SERVER.sfn().createStateMachine(b -> b.name(name).definition(returning("1")).roleArn(ROLE)
        .publish(true)).stateMachineArn();
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("2")).publish(true));
    SERVER.sfn().updateStateMachine(b -> b.stateMachineArn(machine).definition(returning("latest")));
    return machine;
  }

  @Test
  void shouldRunANestedChildStartedByVersionArnOnThatVersionAndRecordIt() {
    String child = versionedChild("nested-by-version");
    String parent = nestedParent("parent-by-version", child + ":1", 1);

    DescribeExecutionResponse done = runParent(parent, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode output = Json.parse(done.output());
    assertThat(output.at("/output/v").asText()).isEqualTo("1");
    String childArn = output.at("/arn").asText();
    // Named after the state machine, not the version, as on AWS.
    assertThat(childArn).startsWith(child.replace(":stateMachine:", ":execution:") + ":");
    assertThat(childArn.split(":")).hasSize(8);
    DescribeExecutionResponse described = SERVER.sfn().describeExecution(b -> b.executionArn(childArn));
    assertThat(described.stateMachineArn()).isEqualTo(child);
    assertThat(described.stateMachineVersionArn()).isEqualTo(child + ":1");
    assertThat(described.stateMachineAliasArn()).isNull();
    assertThat(SERVER.sfn().describeStateMachineForExecution(b -> b.executionArn(childArn)).definition())
        .isEqualTo(returning("1"));
  }

  @Test
  void shouldRunANestedChildStartedByAliasArnOnTheVersionItRoutesToAndRecordBoth() {
    String child = versionedChild("nested-by-alias");
    String alias = SERVER.sfn().createStateMachineAlias(b -> b.name("live").routingConfiguration(route(child + ":2", 100)))
        .stateMachineAliasArn();
    String parent = nestedParent("parent-by-alias", alias, 1);

    DescribeExecutionResponse done = runParent(parent, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode output = Json.parse(done.output());
    assertThat(output.at("/output/v").asText()).isEqualTo("2");
    String childArn = output.at("/arn").asText();
    assertThat(childArn).startsWith(child.replace(":stateMachine:", ":execution:") + ":");
    DescribeExecutionResponse described = SERVER.sfn().describeExecution(b -> b.executionArn(childArn));
    assertThat(described.stateMachineArn()).isEqualTo(child);
    assertThat(described.stateMachineVersionArn()).isEqualTo(child + ":2");
    assertThat(described.stateMachineAliasArn()).isEqualTo(alias);
    assertThat(SERVER.sfn().listExecutions(b -> b.stateMachineArn(alias)).executions())
        .extracting(ExecutionListItem::executionArn).containsExactly(childArn);
  }

  @Test
  void shouldSplitNestedChildrenOfASplitAliasBetweenItsVersionsEachRecordingTheVersionItRan() {
    String child = versionedChild("nested-split");
    String alias = SERVER.sfn().createStateMachineAlias(b -> b.name("half")
        .routingConfiguration(route(child + ":1", 50), route(child + ":2", 50))).stateMachineAliasArn();
    String parent = nestedParent("parent-split", alias, 20);

    DescribeExecutionResponse done = runParent(parent, "{\"runs\": [" + "0,".repeat(19) + "0]}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    Map<String, Integer> versions = new HashMap<>();
    for (JsonNode run : Json.parse(done.output())) {
      String childArn = run.at("/arn").asText();
      DescribeExecutionResponse described = SERVER.sfn().describeExecution(b -> b.executionArn(childArn));
      String ran = run.at("/output/v").asText();
      assertThat(ran).isIn("1", "2");
      assertThat(described.stateMachineVersionArn()).isEqualTo(child + ":" + ran);
      assertThat(described.stateMachineAliasArn()).isEqualTo(alias);
      versions.merge(ran, 1, Integer::sum);
    }
    // Each child's draw is a function of its task (the parent's ARN, the state's event, the attempt),
    // and the children run one at a time, so this split of 20 draws is the same on every run.
    assertThat(versions.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    assertThat(versions.keySet()).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void shouldFailTheParentsTaskWhenTheNestedVersionOrAliasDoesNotExist() {
    String child = versionedChild("nested-missing");

    for (String missing : List.of(child + ":9", child + ":nope")) {
      String parent = nestedParent("parent-missing-" + (missing.endsWith("9") ? "version" : "alias"), missing, 1);

      DescribeExecutionResponse done = runParent(parent, "{}");

      assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(done.error()).isEqualTo("StepFunctions.StateMachineDoesNotExistException");
      assertThat(done.cause()).contains("State Machine Does Not Exist: '" + missing + "'");
    }
    assertThat(SERVER.sfn().listExecutions(b -> b.stateMachineArn(child)).executions()).isEmpty();
  }
}
