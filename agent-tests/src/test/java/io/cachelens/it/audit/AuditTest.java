package io.cachelens.it.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.json.JsonReader;
import io.cachelens.it.audit.scenario.AuditTraffic;
import io.cachelens.it.audit.scenario.LettuceAuditTraffic;
import io.cachelens.testing.jvm.AgentJvm;
import io.cachelens.testing.jvm.Classpaths;
import io.cachelens.testing.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit the agent writes for services that reproduce the write-ups, with exact counts. */
class AuditTest {
  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  @TempDir Path reports;

  @Test
  void aConnectionPerRequestIsChurnNamedByItsCallSiteAndExpireRightAfterIncrIsATtl()
      throws Exception {
    Map<String, Object> audit = run("churn");

    Map<String, Object> connections = object(audit, "connections");
    assertThat(connections.get("opened")).isEqualTo((long) AuditTraffic.CHECKS);
    assertThat(connections.get("closed")).isEqualTo((long) AuditTraffic.CHECKS);
    assertThat(connections.get("commandsPerConnectionP50")).isEqualTo(2L);
    List<Map<String, Object>> sites = array(connections, "callSites");
    assertThat(sites).isNotEmpty();
    assertThat((String) sites.get(0).get("site")).matches(site("limit"));

    Map<String, Object> churn = finding(audit, "CONNECTION_CHURN", null).orElseThrow();
    assertThat(strings(churn, "callSites")).singleElement().asString().matches(site("limit"));
    assertThat(object(churn, "evidence").get("opened")).isEqualTo((long) AuditTraffic.CHECKS);

    Map<String, Object> rateLimit = prefix(audit, "ratelimit:*");
    assertThat(rateLimit.get("writesWithoutTtl")).isEqualTo(0L);
    assertThat(rateLimit.get("writesWithTtlLater")).isEqualTo((long) AuditTraffic.CHECKS);
    assertThat(finding(audit, "NO_TTL_WRITES", "ratelimit:*")).isEmpty();
  }

  @Test
  void aPooledServiceIsNotFlaggedForChurn() throws Exception {
    Map<String, Object> audit = run("pooled");

    assertThat((long) object(audit, "connections").get("opened")).isLessThanOrEqualTo(2L);
    assertThat(finding(audit, "CONNECTION_CHURN", null)).isEmpty();
    assertThat(prefix(audit, "ratelimit:*").get("writesWithoutTtl")).isEqualTo(0L);
  }

  @Test
  void lettuceConnectionsOpenedPerRequestAreNamedByTheCodeThatAskedForThem() throws Exception {
    Map<String, Object> audit = runLettuce("churn");

    Map<String, Object> connections = object(audit, "connections");
    assertThat(connections.get("opened")).isEqualTo((long) LettuceAuditTraffic.CHECKS);
    assertThat(connections.get("closed")).isEqualTo((long) LettuceAuditTraffic.CHECKS);
    List<Map<String, Object>> sites = array(connections, "callSites");
    assertThat(sites)
        .singleElement()
        .satisfies(
            site -> {
              assertThat((String) site.get("site")).matches(lettuceSite("check"));
              assertThat(site.get("count")).isEqualTo((long) LettuceAuditTraffic.CHECKS);
            });

    Map<String, Object> churn = finding(audit, "CONNECTION_CHURN", null).orElseThrow();
    assertThat(strings(churn, "callSites"))
        .singleElement()
        .asString()
        .matches(lettuceSite("check"));
    assertThat(prefix(audit, "ratelimit:*").get("writesWithoutTtl")).isEqualTo(0L);
  }

  @Test
  void anNPlusOneLoopOnLettucesSyncApiIsAStormNamedByItsLoop() throws Exception {
    Map<String, Object> audit = runLettuce("storm");

    Map<String, Object> storm = finding(audit, "ROUND_TRIP_STORM", "product:*").orElseThrow();
    assertThat(strings(storm, "callSites"))
        .singleElement()
        .asString()
        .matches(lettuceSite("readProductsOneByOne"));
    Map<String, Object> evidence = object(storm, "evidence");
    // The loop's GETs, less those around a pause longer than the gap (a cold JVM, a busy
    // machine), which may split the loop in two bursts; the MGET that follows is not part of it.
    assertThat((long) evidence.get("bursts")).isBetween(1L, 2L);
    assertThat((long) evidence.get("commandsInBursts"))
        .isBetween(20L, (long) LettuceAuditTraffic.PRODUCTS);
    assertThat((long) evidence.get("longestBurst"))
        .isBetween(20L, (long) evidence.get("commandsInBursts"));
  }

  @Test
  void aSlowLettuceCommandIsNamedByTheLineThatWaitedForIt() throws Exception {
    Map<String, Object> audit = runLettuce("slow");

    Map<String, Object> slow = finding(audit, "SLOW_COMMAND", "queue:jobs").orElseThrow();
    assertThat(object(slow, "evidence").get("command")).isEqualTo("BLPOP");
    assertThat(object(slow, "evidence").get("count")).isEqualTo((long) LettuceAuditTraffic.POLLS);
    assertThat(strings(slow, "callSites"))
        .singleElement()
        .asString()
        .matches(lettuceSite("pollJobs"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void writesThatFindTheirKeyTakenOrAreRefusedWriteNothingAndANegativeExpireDeletes(String client)
      throws Exception {
    Map<String, Object> audit =
        client.equals("jedis") ? run("conditional") : runLettuce("conditional");

    // SETNX: ten sent, one wrote its key (without TTL), nine found it taken.
    assertPrefix(audit, "flag:*", 10, 0, 1);
    // SET NX EX: one wrote with a TTL, nine found the lock taken.
    assertPrefix(audit, "lock:*", 10, 1, 0);
    // INCR, EXPIRE -5 (a delete, rescuing nothing), INCR of a fresh key: two left without TTL.
    assertPrefix(audit, "counter:*", 3, 0, 2);
    assertThat(prefix(audit, "counter:*").get("writesWithTtlLater")).isEqualTo(0L);
    // EXPIRE NX replying 0 found the TTL another writer set: the INCR before it is kept.
    assertThat(prefix(audit, "quota:*").get("writesWithoutTtl")).isEqualTo(0L);
    assertThat(prefix(audit, "quota:*").get("writesWithTtlLater")).isEqualTo(1L);
    // One SET, then INCRs the server refused: they changed nothing and left nothing without TTL.
    assertPrefix(audit, "text:*", 11, 0, 1);
    assertThat(finding(audit, "NO_TTL_WRITES", "text:*")).isEmpty();
  }

  private static void assertPrefix(
      Map<String, Object> audit, String name, long writes, long withTtl, long withoutTtl) {
    Map<String, Object> prefix = prefix(audit, name);
    assertThat(prefix.get("writes")).as(name + " writes").isEqualTo(writes);
    assertThat(prefix.get("writesWithTtl")).as(name + " writesWithTtl").isEqualTo(withTtl);
    assertThat(prefix.get("writesWithoutTtl")).as(name + " writesWithoutTtl").isEqualTo(withoutTtl);
  }

  @Test
  void lettuceWritesWithoutTtlAndKeysAreNamedByTheCodeThatSentThem() throws Exception {
    Map<String, Object> audit = runLettuce("misuse");

    Map<String, Object> noTtl = finding(audit, "NO_TTL_WRITES", "product:cache:*").orElseThrow();
    assertThat(object(noTtl, "evidence").get("writesWithoutTtl"))
        .isEqualTo((long) LettuceAuditTraffic.PRODUCTS);
    assertThat(strings(noTtl, "callSites"))
        .singleElement()
        .asString()
        .matches(lettuceSite("cacheProducts"));
    Map<String, Object> keys = finding(audit, "DANGEROUS_COMMAND", null).orElseThrow();
    assertThat(keys.get("message").toString()).startsWith("KEYS");
    assertThat(strings(keys, "callSites"))
        .singleElement()
        .asString()
        .matches(lettuceSite("listProductKeys"));
  }

  @Test
  void aSharedLettuceConnectionIsNotChurn() throws Exception {
    Map<String, Object> audit = runLettuce("shared");

    assertThat(object(audit, "connections").get("opened")).isEqualTo(1L);
    assertThat(finding(audit, "CONNECTION_CHURN", null)).isEmpty();
  }

  @Test
  void misuseOnOneConnectionGivesExactCountsAndOneFindingPerProblem() throws Exception {
    Map<String, Object> audit = run("misuse");

    Map<String, Object> orders = prefix(audit, "order:recent:*");
    assertThat(orders.get("writes")).isEqualTo(2L * AuditTraffic.ORDERS);
    assertThat(orders.get("writesWithoutTtl"))
        .as("EXPIRE later in the same pipeline")
        .isEqualTo(0L);
    assertThat(orders.get("writesWithTtlLater")).isEqualTo((long) AuditTraffic.ORDERS);

    Map<String, Object> sessions = prefix(audit, "session:user:*");
    assertThat(sessions.get("writes")).isEqualTo(3L);
    assertThat(sessions.get("writesWithTtl")).isEqualTo(2L);
    assertThat(sessions.get("writesWithoutTtl")).as("SET KEEPTTL keeps it").isEqualTo(0L);
    assertThat(finding(audit, "NO_TTL_WRITES", "session:user:*")).isEmpty();

    Map<String, Object> products = prefix(audit, "product:cache:*");
    assertThat(products.get("writesWithoutTtl")).isEqualTo((long) AuditTraffic.PRODUCTS);
    Map<String, Object> noTtl = finding(audit, "NO_TTL_WRITES", "product:cache:*").orElseThrow();
    assertThat(object(noTtl, "evidence").get("writesWithoutTtl"))
        .isEqualTo((long) AuditTraffic.PRODUCTS);
    assertThat(strings(noTtl, "callSites")).singleElement().asString().matches(site("misuse"));

    Map<String, Object> keys = finding(audit, "DANGEROUS_COMMAND", null).orElseThrow();
    assertThat(keys.get("severity")).isEqualTo("critical");
    assertThat((String) keys.get("message")).startsWith("KEYS sent 1 times");
    assertThat(object(keys, "evidence"))
        .containsEntry("command", "KEYS")
        .containsEntry("count", 1L);
    assertThat(strings(keys, "callSites")).singleElement().asString().matches(site("misuse"));

    Map<String, Object> big = finding(audit, "BIG_VALUE", "blob:report:*").orElseThrow();
    assertThat(object(big, "evidence").get("bigWrites")).isEqualTo(1L);
    assertThat(object(big, "evidence").get("maxWriteBytes"))
        .isEqualTo((long) AuditTraffic.BIG_VALUE_BYTES);

    Map<String, Object> storm = finding(audit, "ROUND_TRIP_STORM", "product:cache:*").orElseThrow();
    // Runs are cut by pauses longer than the gap, which a cold JVM can take: the loop makes at
    // least one burst of at least the threshold and never more than its length.
    assertThat((long) object(storm, "evidence").get("longestBurst"))
        .isBetween(20L, (long) AuditTraffic.PRODUCTS);
    assertThat(strings(storm, "callSites"))
        .singleElement()
        .asString()
        .matches(site("readProductsOneByOne"));

    Map<String, Object> hot = finding(audit, "HOT_KEY", "config:flags").orElseThrow();
    assertThat((String) object(hot, "evidence").get("key")).startsWith("config:flags #");

    String markdown = Files.readString(reports.resolve("misuse.md"));
    String html = Files.readString(reports.resolve("misuse.html"));
    for (String rule :
        List.of("NO_TTL_WRITES", "DANGEROUS_COMMAND", "BIG_VALUE", "ROUND_TRIP_STORM", "HOT_KEY")) {
      assertThat(markdown).contains(rule);
      assertThat(html).contains("data-rule=\"" + rule + "\"");
    }
  }

  private Map<String, Object> run(String mode) throws Exception {
    return run(AuditTraffic.class, "jedis-5.2.0", mode, mode);
  }

  private Map<String, Object> runLettuce(String mode) throws Exception {
    return run(LettuceAuditTraffic.class, "lettuce-6.5.5", mode, "lettuce-" + mode);
  }

  private Map<String, Object> run(Class<?> main, String client, String mode, String service)
      throws Exception {
    List<Path> classpath = new ArrayList<>();
    classpath.add(Classpaths.testClasses());
    classpath.addAll(Classpaths.clientLibrary(client));
    AgentJvm.builder()
        .mainClass(main.getName())
        .classpath(classpath)
        .args(redis.host(), Integer.toString(redis.port()), mode)
        .systemProperty("cachelens.report.dir", reports.toString())
        .systemProperty("otel.service.name", service)
        .run()
        .requireSuccess();
    Path file = reports.resolve(service + ".json");
    Map<String, Object> audit = JsonReader.parseObject(Files.readString(file));
    assertThat(audit.get("schema")).isEqualTo("cachelens.audit/v1");
    return audit;
  }

  private static Optional<Map<String, Object>> finding(
      Map<String, Object> audit, String rule, String prefix) {
    for (Map<String, Object> finding : array(audit, "findings")) {
      if (rule.equals(finding.get("rule"))
          && (prefix == null || prefix.equals(finding.get("prefix")))) {
        return Optional.of(finding);
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> prefix(Map<String, Object> audit, String name) {
    for (Map<String, Object> prefix : array(audit, "prefixes")) {
      if (name.equals(prefix.get("prefix"))) {
        return prefix;
      }
    }
    throw new AssertionError("no prefix " + name + " in " + audit.get("prefixes"));
  }

  /** The frame format of call sites, for a method of the scenario. */
  private static String site(String method) {
    return java.util.regex.Pattern.quote(
            AuditTraffic.class.getName() + "." + method + "(AuditTraffic.java:")
        + "\\d+\\)";
  }

  private static String lettuceSite(String method) {
    return java.util.regex.Pattern.quote(
            LettuceAuditTraffic.class.getName() + "." + method + "(LettuceAuditTraffic.java:")
        + "\\d+\\)";
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> parent, String key) {
    return (List<String>) parent.get(key);
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
