package io.stepstream.maprun.reader;

import static io.stepstream.maprun.reader.ReaderFixture.getObject;
import static io.stepstream.maprun.reader.ReaderFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryReaderTest {

  private static final JsonNode MANIFEST = getObject("inventory/manifest.json", "{\"InputType\": \"MANIFEST\"}");

  @TempDir
  Path root;

  private ReaderFixture data;

  @BeforeEach
  void setUp() throws Exception {
    data = new ReaderFixture(root);
    Files.createDirectories(root.resolve("inventory-bucket"));
  }

  private void manifest(String... dataFiles) throws Exception {
    StringBuilder files = new StringBuilder();
    for (String file : dataFiles) {
      files.append(files.isEmpty() ? "" : ",").append("{\"key\": \"").append(file)
          .append("\", \"size\": 7300, \"MD5checksum\": \"a7ff4a1d4164c3cd55851055ec8f6b20\"}");
    }
    data.put("inventory/manifest.json", """
        {
          "sourceBucket": "source-bucket",
          "destinationBucket": "arn:aws:s3:::inventory-bucket",
          "version": "2016-11-30",
          "creationTimestamp": "1668560400000",
          "fileFormat": "CSV",
          "fileSchema": "Bucket, Key, Size, LastModifiedDate",
          "files": [%s]
        }
        """.formatted(files));
  }

  private void gzipFile(String key, String csv) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    data.store.put("inventory-bucket", key, bytes.toByteArray());
  }

  @Test
  void shouldGiveEveryRowOfEveryListedFileNamedByTheSchema() throws Exception {
    gzipFile("data/1.csv.gz", """
        "source-bucket","csvDataset/","0","2022-11-16T00:27:19.000Z"
        "source-bucket","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"
        """);
    gzipFile("data/2.csv.gz", "");
    gzipFile("data/3.csv.gz", """
        "source-bucket","imageDataset/n02085620_10074.jpg","27034","2022-11-15T20:02:16.000Z"
        """);
    manifest("data/1.csv.gz", "data/2.csv.gz", "data/3.csv.gz");

    assertThat(data.readAllInAnyPageSize(MANIFEST)).isEqualTo(json(
        "{\"Bucket\": \"source-bucket\", \"Key\": \"csvDataset/\", \"Size\": \"0\","
            + " \"LastModifiedDate\": \"2022-11-16T00:27:19.000Z\"}",
        "{\"Bucket\": \"source-bucket\", \"Key\": \"csvDataset/titles.csv\", \"Size\": \"3399671\","
            + " \"LastModifiedDate\": \"2022-11-16T00:29:32.000Z\"}",
        "{\"Bucket\": \"source-bucket\", \"Key\": \"imageDataset/n02085620_10074.jpg\", \"Size\": \"27034\","
            + " \"LastModifiedDate\": \"2022-11-15T20:02:16.000Z\"}"));
  }

  @Test
  void shouldAcceptManifestTypeS3InventoryAndEndOnTrailingEmptyFiles() throws Exception {
    gzipFile("data/1.csv.gz", "\"b\",\"k1\",\"1\",\"d\"\n\"b\",\"k2\",\"2\",\"d\"\n");
    gzipFile("data/2.csv.gz", "");
    manifest("data/1.csv.gz", "data/2.csv.gz");
    JsonNode reader = getObject("inventory/manifest.json", "{\"ManifestType\": \"S3_INVENTORY\"}");

    ItemPage page = ItemReaders.read(data.store, reader, null, 2);

    assertThat(page.items()).extracting(item -> item.path("Key").asText()).containsExactly("k1", "k2");
    assertThat(page.exhausted()).isTrue();
  }

  @Test
  void shouldFailAMissingDataFileWithS3sMessage() throws Exception {
    manifest("data/missing.csv.gz");

    assertThatThrownBy(() -> ItemReaders.read(data.store, MANIFEST, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageStartingWith("The specified key does not exist. (Service: S3, Status Code: 404");
  }

  @Test
  void shouldRefuseReportsThatAreNotCsv() throws Exception {
    data.put("inventory/manifest.json", "{\"fileFormat\": \"ORC\", \"fileSchema\": \"Bucket, Key\", \"files\": []}");

    assertThatThrownBy(() -> ItemReaders.read(data.store, MANIFEST, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageContaining("only CSV inventory reports can be read");
  }
}
