package io.cachelens.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.report.AuditJsonReader;
import io.cachelens.it.agent.scenario.BadInputTraffic;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.redis.RedisServerExtension;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys that are binary, empty, 1 MB long, not UTF-8, hash-tagged or oddly delimited, a 1 MB value,
 * and strings that cannot be encoded, through Jedis and Lettuce: the service gets exactly the
 * replies it gets without the agent, and the audit is valid JSON with exact counts.
 */
class BadInputTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  @Test
  void theServiceGetsTheSameRepliesAndTheAuditIsValidJsonWithExactCounts() throws Exception {
    AgentJvm.Result without = service().withoutAgent().run().requireSuccess();
    AgentJvm.Result with =
        service()
            .systemProperty("cachelens.report.dir", reports.toString())
            .systemProperty("otel.service.name", "bad-input")
            .run()
            .requireSuccess();

    String transcript = transcript(without);
    assertThat(transcript(with)).as("replies under the agent").isEqualTo(transcript);
    int cases = BadInputTraffic.CASES.size();
    assertThat(transcript).endsWith(" commands=" + (12 * cases + 16));
    assertThat(with.stderr()).doesNotContain("Exception");
    assertThat(AgentSafetyTest.agentLines(with.stderr()))
        .singleElement()
        .asString()
        .startsWith("[cachelens] audit written to ");

    byte[] bytes = Files.readAllBytes(reports.resolve("bad-input.json"));
    String json =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
    Map<String, Object> audit = JsonReader.parseObject(json);
    AuditJsonReader.parse(json);
    assertThat(Files.readString(reports.resolve("bad-input.md"))).contains("huge:*");
    assertThat(Files.readString(reports.resolve("bad-input.html"))).contains("huge:*");

    Map<String, Object> totals = object(audit, "totals");
    assertThat(totals.get("commands")).isEqualTo(12L * cases + 16);
    assertThat(totals.get("errors")).isEqualTo(2L);
    assertThat(totals.get("connectionsOpened")).isEqualTo(3L);
    assertThat(totals.get("connectionsClosed")).isEqualTo(3L);

    Map<String, List<Long>> commands = new TreeMap<>();
    for (Map<String, Object> command : array(audit, "commands")) {
      commands.put(
          (String) command.get("name"),
          List.of((Long) command.get("count"), (Long) command.get("errors")));
    }
    long perKind = 4L * cases + 4;
    assertThat(commands)
        .isEqualTo(
            Map.of(
                "SET", List.of(perKind, 0L),
                "GET", List.of(perKind, 0L),
                "DEL", List.of(perKind, 0L),
                "STRLEN", List.of(2L, 0L),
                "LLEN", List.of(2L, 2L)));

    assertThat(prefixes(audit)).isEqualTo(expectedPrefixes());

    Map<String, Object> big = finding(audit, "BIG_VALUE", "blob:*");
    assertThat(big.get("severity")).isEqualTo("critical");
    Map<String, Object> evidence = object(big, "evidence");
    assertThat(evidence.get("bigWrites")).isEqualTo(2L);
    assertThat(evidence.get("maxWriteBytes")).isEqualTo((long) BadInputTraffic.BLOB_BYTES);
    assertThat(evidence.get("bigReplies")).isEqualTo(2L);
    assertThat(evidence.get("maxReplyBytes")).isEqualTo((long) BadInputTraffic.BLOB_BYTES);
    Map<String, Object> noTtl = finding(audit, "NO_TTL_WRITES", "*");
    long binaryCases = BadInputTraffic.CASES.stream().filter(c -> c.prefix().equals("*")).count();
    assertThat(object(noTtl, "evidence").get("writesWithoutTtl")).isEqualTo(4 * binaryCases);
    for (Map<String, Object> finding : array(audit, "findings")) {
      // Slow commands depend on the machine; nothing else may fire on this traffic.
      assertThat(finding.get("rule")).isIn("NO_TTL_WRITES", "BIG_VALUE", "SLOW_COMMAND");
    }
  }

  /**
   * Per prefix: reads, writes, writesWithTtl, writesWithoutTtl, writesWithTtlLater, bytesWritten,
   * from the README's rules (each case's expected prefix is written next to its key).
   */
  private static Map<String, List<Long>> expectedPrefixes() {
    Map<String, List<Long>> expected = new TreeMap<>();
    for (int i = 0; i < BadInputTraffic.CASES.size(); i++) {
      // Per client: SET, GET, DEL, then the same pipelined; every SET is plain.
      long valueBytes = BadInputTraffic.value(i).length;
      expected.merge(
          BadInputTraffic.CASES.get(i).prefix(),
          List.of(4L, 8L, 0L, 4L, 0L, 4 * valueBytes),
          BadInputTest::add);
    }
    // Per client: SET, GET, STRLEN, LLEN (failed), DEL.
    expected.put("blob:*", List.of(6L, 4L, 0L, 2L, 0L, 2L * BadInputTraffic.BLOB_BYTES));
    // Both clients send the lone surrogate as '?'.
    expected.put("?:x", List.of(2L, 4L, 0L, 2L, 0L, 2L));
    return expected;
  }

  private static List<Long> add(List<Long> a, List<Long> b) {
    List<Long> sum = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      sum.add(a.get(i) + b.get(i));
    }
    return sum;
  }

  private static Map<String, List<Long>> prefixes(Map<String, Object> audit) {
    Map<String, List<Long>> prefixes = new TreeMap<>();
    for (Map<String, Object> prefix : array(audit, "prefixes")) {
      List<Long> counts = new ArrayList<>();
      for (String name :
          List.of(
              "reads",
              "writes",
              "writesWithTtl",
              "writesWithoutTtl",
              "writesWithTtlLater",
              "bytesWritten")) {
        counts.add((Long) prefix.get(name));
      }
      assertThat(prefixes.put((String) prefix.get("prefix"), counts))
          .as("prefix %s listed once", prefix.get("prefix"))
          .isNull();
    }
    return prefixes;
  }

  private AgentJvm.Builder service() {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary("jedis-5.2.0"));
    classpath.addAll(Classpaths.clientLibrary("lettuce-6.5.5"));
    return AgentJvm.builder()
        .mainClass(BadInputTraffic.class.getName())
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()));
  }

  private static String transcript(AgentJvm.Result result) {
    for (String line : result.stdout().split("\\R")) {
      if (line.startsWith(BadInputTraffic.TRANSCRIPT + " ")) {
        return line;
      }
    }
    throw new AssertionError("no transcript line\n" + result);
  }

  private static Map<String, Object> finding(
      Map<String, Object> audit, String rule, String prefix) {
    for (Map<String, Object> finding : array(audit, "findings")) {
      if (rule.equals(finding.get("rule")) && prefix.equals(finding.get("prefix"))) {
        return finding;
      }
    }
    throw new AssertionError(
        "no " + rule + " finding on " + prefix + " in " + audit.get("findings"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> array(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.get(key);
  }
}
