package io.stepstream.server.bench;

import io.stepstream.kafka.ExecutionArn;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.registry.KafkaStateMachineRegistry;
import io.stepstream.proto.Command;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.WorkflowType;
import io.stepstream.server.DevMode;
import io.stepstream.kafka.Topics;
import io.stepstream.worker.TaskHandlers;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of a 3-task workflow through workers, in dev mode (embedded broker, coordinator, one
 * worker): writes N StartExecution commands as the gateway would, then counts completions.
 * Not a test: run it from the fat jar,
 * {@code java -cp server/target/stepstream.jar io.stepstream.server.bench.WorkerThroughput [executions] [STANDARD|EXPRESS] [partitions]}.
 */
public final class WorkerThroughput {

  private WorkerThroughput() {}

  public static void main(String[] args) throws Exception {
    int executions = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    WorkflowType type = args.length > 1 ? WorkflowType.valueOf(args[1]) : WorkflowType.STANDARD;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path dataDir = Files.createTempDirectory("stepstream-bench");
    TaskHandlers handlers = TaskHandlers.builder()
        .register("step", JsonNode.class, (input, context) -> Json.object().put("n", input.path("n").asInt() + 1))
        .build();
    Topics topics = Topics.defaults();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, partitions, Arns.defaults(), handlers)) {
      Properties kafka = new Properties();
      kafka.put("bootstrap.servers", dev.bootstrapServers());
      String machineArn = Arns.defaults().stateMachine("three-tasks");
      try (KafkaStateMachineRegistry registry = KafkaStateMachineRegistry.open(topics.stateMachines(), kafka,
          Duration.ofSeconds(30))) {
        registry.put(StateMachineRecord.newBuilder().setArn(machineArn).setName("three-tasks").setType(type)
            .setRevision(1).setRevisionId("1").setRoleArn("arn:aws:iam::123456789012:role/bench")
            .setDefinition("""
                {"StartAt": "A", "States": {
                  "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:step", "Next": "B"},
                  "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:step", "Next": "C"},
                  "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:step", "End": true}}}""")
            .build()).get();
      }
      Thread.sleep(2_000); // the coordinator's global store catches up with the registry
      try (KafkaConsumer<String, byte[]> completions = completions(kafka, topics.completions());
          KafkaProducer<String, byte[]> producer = producer(kafka)) {
        String commandsTopic = type == WorkflowType.EXPRESS ? topics.expressCommands() : topics.standardCommands();
        long start = System.nanoTime();
        for (int i = 0; i < executions; i++) {
          String name = "run-" + i;
          String arn = (type == WorkflowType.EXPRESS ? ExecutionArn.express(machineArn, name, Integer.toString(i))
              : ExecutionArn.standard(machineArn, name)).value();
          Command command = Command.newBuilder().setTimeMs(System.currentTimeMillis()).setExecutionArn(arn)
              .setStartExecution(StartExecution.newBuilder().setName(name).setStateMachineArn(machineArn)
                  .setStateMachineRevision(1).setType(type).setInput("{\"n\": 0}").setSeed(i)).build();
          producer.send(new ProducerRecord<>(commandsTopic, arn, command.toByteArray()));
        }
        producer.flush();
        int done = 0;
        int succeeded = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (done < executions && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, byte[]> record : completions.poll(Duration.ofMillis(100))) {
            done++;
            if (ReportCompletion.parseFrom(record.value()).getStatus() == io.stepstream.proto.ExecutionStatus.SUCCEEDED) {
              succeeded++;
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s, %d partitions: %d executions (%d succeeded, %d tasks) in %.1f s = %.0f executions/s, %.0f tasks/s%n",
            type, partitions, done, succeeded, done * 3, seconds, done / seconds, done * 3 / seconds);
      }
    }
  }

  private static KafkaConsumer<String, byte[]> completions(Properties kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private static KafkaProducer<String, byte[]> producer(Properties kafka) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }
}
