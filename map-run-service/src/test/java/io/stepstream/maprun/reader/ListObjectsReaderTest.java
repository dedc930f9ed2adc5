package io.stepstream.maprun.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListObjectsReaderTest {

  @TempDir
  Path root;

  private ReaderFixture data;

  @BeforeEach
  void setUp() throws Exception {
    data = new ReaderFixture(root);
    for (String key : List.of("processData/images/a.jpg", "processData/images/b.jpg", "processData/c.json",
        "processDataMore/d.json", "other/e.txt")) {
      data.put(key, "content of " + key);
    }
  }

  private static JsonNode listing(String parameters) {
    return Json.parse("{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\", \"Parameters\": {\"Bucket\": \"data\""
        + parameters + "}}");
  }

  @Test
  void shouldGiveOneItemPerObjectShapedAsAwsGivesIt() throws Exception {
    List<JsonNode> items = data.readAllInAnyPageSize(listing(", \"Prefix\": \"processData/\""));

    assertThat(items).extracting(item -> item.path("Key").asText())
        .containsExactly("processData/c.json", "processData/images/a.jpg", "processData/images/b.jpg");
    JsonNode first = items.get(0);
    assertThat(first.properties()).extracting(java.util.Map.Entry::getKey)
        .containsExactly("Etag", "Key", "LastModified", "Size", "StorageClass");
    assertThat(first.path("Etag").asText()).matches("\"[0-9a-f]{32}\"");
    assertThat(first.path("Size").asLong()).isEqualTo("content of processData/c.json".length());
    assertThat(first.path("StorageClass").asText()).isEqualTo("STANDARD");
    assertThat(first.path("LastModified").isNumber()).isTrue();
    assertThat(first.path("LastModified").asDouble())
        .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
  }

  @Test
  void shouldListEveryKeyWithThePrefixWithoutTrailingSlash() throws Exception {
    assertThat(data.readAllInAnyPageSize(listing(", \"Prefix\": \"processData\"")))
        .extracting(item -> item.path("Key").asText())
        .containsExactly("processData/c.json", "processData/images/a.jpg", "processData/images/b.jpg",
            "processDataMore/d.json");
  }

  @Test
  void shouldHonourDelimiterAndStartAfter() throws Exception {
    assertThat(data.readAllInAnyPageSize(listing(", \"Prefix\": \"processData/\", \"Delimiter\": \"/\"")))
        .extracting(item -> item.path("Key").asText()).containsExactly("processData/c.json");
    assertThat(data.readAllInAnyPageSize(listing(", \"StartAfter\": \"processData/images/a.jpg\"")))
        .extracting(item -> item.path("Key").asText())
        .containsExactly("processData/images/b.jpg", "processDataMore/d.json");
  }

  @Test
  void shouldReadAnEmptyPrefixAsNoItems() throws Exception {
    assertThat(data.readAllInAnyPageSize(listing(", \"Prefix\": \"nothing/\""))).isEmpty();
  }

  @Test
  void shouldFailAMissingBucketWithS3sMessage() {
    JsonNode reader = Json.parse("{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\","
        + " \"Arguments\": {\"Bucket\": \"missing-bucket\"}}");

    assertThatThrownBy(() -> ItemReaders.read(data.store, reader, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageStartingWith("The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ");
  }
}
