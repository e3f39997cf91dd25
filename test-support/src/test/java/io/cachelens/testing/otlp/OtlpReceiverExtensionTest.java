package io.cachelens.testing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtlpReceiverExtensionTest {

  @RegisterExtension static OtlpReceiverExtension otlp = new OtlpReceiverExtension();

  @Test
  void receivesExportsAndStartsEachTestEmpty() throws Exception {
    exportOneSpan();
  }

  @Test
  void receivesExportsAndStartsEachTestEmptyAgain(OtlpReceiver injected) throws Exception {
    assertThat(injected).isSameAs(otlp.receiver());
    exportOneSpan();
  }

  private static void exportOneSpan() throws Exception {
    assertThat(otlp.spans()).isEmpty();
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(otlp.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            OtlpReceiverTest.traceRequest("GET").toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(otlp.awaitSpans(s -> true, 1, Duration.ofSeconds(5))).hasSize(1);
  }
}
