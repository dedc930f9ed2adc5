package io.stepstream.server.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.stepstream.asl.tracing.FinishedSpan;
import io.stepstream.asl.tracing.SpanSink;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exports execution spans over OTLP/HTTP (protobuf) to a collector, through the OpenTelemetry SDK's
 * {@link BatchSpanProcessor}: {@link #accept} only queues (a full queue drops, as the SDK does), a
 * background thread of the SDK sends batches. The spans are built from history events, not recorded
 * by a tracer, so each is handed to the processor as an ended span with the ids and times the events
 * gave it. Created only when an OTLP endpoint is configured. Thread-safe.
 */
public final class OtlpSpanSink implements SpanSink, AutoCloseable {

  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.stepstream");

  private final BatchSpanProcessor processor;
  private final Resource resource;

  /**
   * @param endpoint the collector's OTLP/HTTP endpoint: its base ({@code http://collector:4318}, to
   *     which {@code /v1/traces} is added) or the full traces URL
   * @param serviceName the {@code service.name} of the spans' resource
   */
  public OtlpSpanSink(URI endpoint, String serviceName) {
    this(OtlpHttpSpanExporter.builder().setEndpoint(tracesUrl(endpoint)).setTimeout(Duration.ofSeconds(10)).build(),
        serviceName, Duration.ofMillis(500));
  }

  OtlpSpanSink(SpanExporter exporter, String serviceName, Duration scheduleDelay) {
    this.resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
    this.processor = BatchSpanProcessor.builder(exporter).setScheduleDelay(scheduleDelay).setMaxQueueSize(16_384)
        .build();
  }

  /** {@code /v1/traces} under a base URL; a URL that has a path already is taken as it is. */
  static String tracesUrl(URI endpoint) {
    String text = endpoint.toString();
    String path = endpoint.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/v1/traces";
    }
    return text;
  }

  @Override
  public void accept(List<FinishedSpan> spans) {
    for (FinishedSpan span : spans) {
      processor.onEnd(new Ended(data(span, resource)));
    }
  }

  /** Sends what is queued, waiting at most a few seconds. */
  public void flush() {
    processor.forceFlush().join(10, TimeUnit.SECONDS);
  }

  /** Sends what is queued (waiting at most 10 s) and stops the exporter. */
  @Override
  public void close() {
    processor.shutdown().join(10, TimeUnit.SECONDS);
  }

  static SpanData data(FinishedSpan span, Resource resource) {
    SpanContext context = SpanContext.create(span.traceId(), span.spanId(), TraceFlags.getSampled(),
        TraceState.getDefault());
    SpanContext parent = span.parentSpanId().isEmpty() ? SpanContext.getInvalid()
        : SpanContext.createFromRemoteParent(span.traceId(), span.parentSpanId(), TraceFlags.getSampled(),
            TraceState.getDefault());
    AttributesBuilder attributes = Attributes.builder();
    for (Map.Entry<String, String> attribute : span.attributes().entrySet()) {
      attributes.put(attribute.getKey(), attribute.getValue());
    }
    SpanKind kind = switch (span.kind()) {
      case EXECUTION -> SpanKind.SERVER;
      case STATE -> SpanKind.INTERNAL;
      case TASK -> SpanKind.CLIENT;
    };
    StatusData status = span.error() ? StatusData.create(StatusCode.ERROR, span.statusMessage()) : StatusData.unset();
    return new Data(span.name(), kind, context, parent, status, TimeUnit.MILLISECONDS.toNanos(span.startMs()),
        TimeUnit.MILLISECONDS.toNanos(span.endMs()), attributes.build(), resource);
  }

  /** A span that ended with these values. */
  @SuppressWarnings("deprecation") // InstrumentationLibraryInfo: still abstract in the SDK's interfaces
  private record Data(String getName, SpanKind getKind, SpanContext getSpanContext, SpanContext getParentSpanContext,
      StatusData getStatus, long getStartEpochNanos, long getEndEpochNanos, Attributes getAttributes,
      Resource getResource) implements SpanData {

    @Override
    public List<EventData> getEvents() {
      return List.of();
    }

    @Override
    public List<LinkData> getLinks() {
      return List.of();
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public int getTotalRecordedEvents() {
      return 0;
    }

    @Override
    public int getTotalRecordedLinks() {
      return 0;
    }

    @Override
    public int getTotalAttributeCount() {
      return getAttributes.size();
    }

    @Override
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return InstrumentationLibraryInfo.create(SCOPE.getName(), null);
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }
  }

  /** The processor's view of an ended span. */
  @SuppressWarnings("deprecation")
  private record Ended(SpanData data) implements ReadableSpan {

    @Override
    public SpanContext getSpanContext() {
      return data.getSpanContext();
    }

    @Override
    public SpanContext getParentSpanContext() {
      return data.getParentSpanContext();
    }

    @Override
    public String getName() {
      return data.getName();
    }

    @Override
    public SpanData toSpanData() {
      return data;
    }

    @Override
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return data.getInstrumentationLibraryInfo();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public long getLatencyNanos() {
      return data.getEndEpochNanos() - data.getStartEpochNanos();
    }

    @Override
    public SpanKind getKind() {
      return data.getKind();
    }

    @Override
    public <T> T getAttribute(AttributeKey<T> key) {
      return data.getAttributes().get(key);
    }

    @Override
    public Attributes getAttributes() {
      return data.getAttributes();
    }
  }
}
