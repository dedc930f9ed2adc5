package io.stepstream.worker.examples;

import io.stepstream.worker.TaskFailure;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The example worker of the README: the handlers of an order saga (reserve stock, charge the
 * card, ship; and the compensations release and refund), plus {@code greet}.
 *
 * <p>Run it next to {@code stepstream dev}: {@code java -cp stepstream.jar
 * io.stepstream.worker.examples.OrderSaga localhost:9092}. To make the saga's error paths easy to
 * try, an order can ask for trouble: {@code "throttle": n} makes the first n charge attempts fail
 * with {@code Payment.Throttled}, {@code "shippingDown": true} makes shipping fail with
 * {@code Shipping.Unavailable}.
 */
public final class OrderSaga {

  /** An order as the state machine passes it to each step. */
  public record Order(String orderId, String item, int quantity, long amountCents, int throttle, boolean shippingDown) {}

  /** What a step did. */
  public record Receipt(String orderId, String step, String reference) {}

  /** A greeting's input and output. */
  public record Greeting(String name) {}

  private OrderSaga() {}

  /**
   * The saga's handlers: {@code reserve}, {@code charge}, {@code ship}, {@code release},
   * {@code refund} and {@code greet}; each side effect is written to the ledger with its idempotency key.
   */
  public static TaskHandlers handlers(Ledger ledger) {
    return TaskHandlers.builder()
        .register("reserve", Order.class, (order, context) -> {
          ledger.record("reserve", order.orderId(), context.idempotencyKey());
          return new Receipt(order.orderId(), "reserve", "R-" + order.orderId());
        })
        .register("charge", Order.class, (order, context) -> {
          if (context.attempt() <= order.throttle()) {
            throw new TaskFailure("Payment.Throttled", "attempt " + context.attempt() + " throttled");
          }
          ledger.record("charge", order.orderId(), context.idempotencyKey());
          return new Receipt(order.orderId(), "charge", "C-" + order.orderId());
        })
        .register("ship", Order.class, (order, context) -> {
          if (order.shippingDown()) {
            throw new TaskFailure("Shipping.Unavailable", "no carrier for " + order.orderId());
          }
          ledger.record("ship", order.orderId(), context.idempotencyKey());
          return new Receipt(order.orderId(), "ship", "S-" + order.orderId());
        })
        .register("refund", Order.class, (order, context) -> {
          ledger.record("refund", order.orderId(), context.idempotencyKey());
          return new Receipt(order.orderId(), "refund", "F-" + order.orderId());
        })
        .register("release", Order.class, (order, context) -> {
          ledger.record("release", order.orderId(), context.idempotencyKey());
          return new Receipt(order.orderId(), "release", "L-" + order.orderId());
        })
        .register("greet", Greeting.class, (greeting, context) -> new Greeting("Hello, " + greeting.name() + "!"))
        .concurrency("charge", 64)
        .build();
  }

  /** The side effects the handlers had, in the order they happened. Thread-safe. */
  public static final class Ledger {
    /** One side effect. */
    public record Entry(String step, String orderId, String idempotencyKey) {}

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    void record(String step, String orderId, String idempotencyKey) {
      entries.add(new Entry(step, orderId, idempotencyKey));
    }

    /** Every side effect so far. */
    public List<Entry> entries() {
      return List.copyOf(entries);
    }

    /** The steps done for one order, in order. */
    public List<String> steps(String orderId) {
      return entries.stream().filter(e -> e.orderId().equals(orderId)).map(Entry::step).toList();
    }
  }

  /**
   * Runs the example worker against a cluster until the process is stopped.
   *
   * @param args {@code [bootstrap servers]}, default {@code localhost:9092}
   */
  public static void main(String[] args) throws InterruptedException {
    String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
    Ledger ledger = new Ledger();
    WorkerService worker = WorkerService.start(WorkerConfig.of(bootstrap, "order-saga"), handlers(ledger));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
