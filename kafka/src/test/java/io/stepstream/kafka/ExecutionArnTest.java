package io.stepstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ExecutionArnTest {

  private static final String MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:orders";

  @Test
  void shouldBuildAndReadBothKinds() {
    ExecutionArn standard = ExecutionArn.standard(MACHINE, "first");
    assertThat(standard.value()).isEqualTo("arn:aws:states:eu-west-1:111122223333:execution:orders:first");
    assertThat(ExecutionArn.parse(standard.value())).contains(standard);

    ExecutionArn express = ExecutionArn.express(MACHINE, "quick", "0f0f");
    assertThat(express.value()).isEqualTo("arn:aws:states:eu-west-1:111122223333:express:orders:quick:0f0f");
    assertThat(ExecutionArn.parse(express.value())).hasValueSatisfying(arn -> {
      assertThat(arn.express()).isTrue();
      assertThat(arn.name()).isEqualTo("quick");
      assertThat(arn.stateMachineArn()).isEqualTo(MACHINE);
    });
    assertThat(ExecutionArn.isExpress(express.value())).isTrue();
    assertThat(ExecutionArn.isExpress(standard.value())).isFalse();
  }

  @Test
  void shouldRefuseWhatIsNotAnExecutionArn() {
    assertThat(ExecutionArn.parse(MACHINE)).isEmpty();
    assertThat(ExecutionArn.parse("arn:aws:states:eu-west-1:111122223333:execution:orders:")).isEmpty();
    assertThat(ExecutionArn.parse("arn:aws:lambda:eu-west-1:111122223333:execution:orders:x")).isEmpty();
    assertThat(ExecutionArn.parse("not an arn")).isEmpty();
    assertThat(ExecutionArn.parse(null)).isEmpty();
  }

  @Test
  void shouldPartitionAsTheProducerDoesForTheSameKey() {
    for (int i = 0; i < 200; i++) {
      String arn = ExecutionArn.standard(MACHINE, "e-" + i).value();
      for (int partitions : new int[] {1, 2, 6, 12}) {
        assertThat(ExecutionArn.partition(arn, partitions))
            .isEqualTo(BuiltInPartitioner.partitionForKey(arn.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }
}
