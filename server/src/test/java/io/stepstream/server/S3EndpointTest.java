package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.S3MockApplication;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.worker.TaskHandlers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * {@code dev --s3-endpoint}: Distributed Map reads a listing from, and writes its results to, a real
 * S3-compatible server (Adobe S3Mock, started in this JVM) through the AWS SDK, with the standard
 * credential chain (here the {@code aws.accessKeyId} system properties).
 */
class S3EndpointTest {

  @TempDir
  static Path dataDir;
  static S3MockApplication s3Mock;
  static S3Client s3;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  @SuppressWarnings("removal") // S3Mock 4.x's port getter
  static void start() throws Exception {
    Map<String, Object> properties = new HashMap<>();
    properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
    properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, Files.createDirectories(dataDir.resolve("s3")).toString());
    properties.put(S3MockApplication.PROP_SILENT, true);
    s3Mock = S3MockApplication.start(properties);
    URI endpoint = URI.create("http://localhost:" + s3Mock.getHttpPort());
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    s3.createBucket(b -> b.bucket("uploads"));
    s3.createBucket(b -> b.bucket("reports"));
    for (int i = 0; i < 50; i++) {
      String key = String.format("2026/12/doc-%02d.txt", i);
      s3.putObject(b -> b.bucket("uploads").key(key), RequestBody.fromString("document " + i));
    }
    dev = DevMode.start(dataDir.resolve("dev"), "127.0.0.1", 0, 2, Arns.defaults(), TaskHandlers.none(), endpoint);
    sfn = ExecutionsSfnClientTest.client(dev.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (s3Mock != null) {
      s3Mock.stop();
    }
  }

  @Test
  void shouldReadAListingFromS3AndWriteTheResultsThere() {
    String machine = sfn.createStateMachine(b -> b.name("s3-docs").type(StateMachineType.STANDARD).roleArn(ROLE)
        .definition("""
            {"StartAt": "Docs", "States": {"Docs": {"Type": "Map", "MaxConcurrency": 4,
              "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                             "Parameters": {"Bucket": "uploads", "Prefix": "2026/12/"}},
              "ItemBatcher": {"MaxItemsPerBatch": 10},
              "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                               "Parameters": {"Bucket": "reports", "Prefix": "docs"}},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Count", "States": {"Count": {"Type": "Pass",
                  "Parameters": {"keys.$": "$.Items[*].Key"}, "End": true}}},
              "End": true}}}""")).stateMachineArn();
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    JsonNode output = Json.parse(awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED).output());

    String manifestKey = output.path("ResultWriterDetails").path("Key").asText();
    assertThat(output.path("ResultWriterDetails").path("Bucket").asText()).isEqualTo("reports");
    JsonNode manifest = Json.parse(s3.getObjectAsBytes(b -> b.bucket("reports").key(manifestKey)).asUtf8String());
    assertThat(manifest.path("MapRunArn").asText()).isEqualTo(output.path("MapRunArn").asText());
    String succeededKey = manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Key").asText();
    JsonNode succeeded = Json.parse(s3.getObjectAsBytes(b -> b.bucket("reports").key(succeededKey)).asUtf8String());
    assertThat(succeeded).hasSize(5);
    assertThat(succeeded.toString()).contains("2026/12/doc-00.txt", "2026/12/doc-49.txt");
    String mapRunArn = output.path("MapRunArn").asText();
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).itemCounts().succeeded()).isEqualTo(50);
  }

  @Test
  void shouldFailWithTheStoresErrorWhenTheBucketIsMissing() {
    String machine = sfn.createStateMachine(b -> b.name("s3-missing").type(StateMachineType.STANDARD).roleArn(ROLE)
        .definition("""
            {"StartAt": "Docs", "States": {"Docs": {"Type": "Map",
              "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                             "Parameters": {"Bucket": "no-such-bucket", "Key": "items.jsonl"}},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
              "End": true}}}""")).stateMachineArn();
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    DescribeExecutionResponse failed = awaitStatus(sfn, arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.ItemReaderFailed");
    assertThat(failed.cause()).contains("The specified bucket does not exist", "Status Code: 404");
  }
}
