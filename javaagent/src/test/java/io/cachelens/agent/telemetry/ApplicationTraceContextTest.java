package io.cachelens.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class ApplicationTraceContextTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  @Test
  void readsTheSampledSpanCurrentInTheServicesApi() {
    ApplicationTraceContext reader = new ApplicationTraceContext();
    assertThat(reader.current(getClass())).isNull();

    Span service =
        Span.wrap(
            SpanContext.create(
                TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    Scope scope = Context.current().with(service).makeCurrent();
    try {
      SpanContext parent = reader.current(getClass());
      assertThat(parent).isNotNull();
      assertThat(parent.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
      assertThat(reader.current()).as("through the last resolved API").isNotNull();
    } finally {
      scope.close();
    }
    assertThat(reader.current(getClass())).isNull();
  }

  @Test
  void ignoresUnsampledSpans() {
    Span service =
        Span.wrap(
            SpanContext.create(
                TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault()));
    Scope scope = Context.current().with(service).makeCurrent();
    try {
      assertThat(new ApplicationTraceContext().current(getClass())).isNull();
    } finally {
      scope.close();
    }
  }

  @Test
  void aClassLoaderWithoutTheApiGivesNothing() {
    assertThat(new ApplicationTraceContext().current(String.class)).isNull();
  }
}
