package io.cachelens.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.ConfigSource;
import io.cachelens.analysis.audit.AuditObservations.HotKeyShare;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the collector shows what it observed. */
class AuditCollectorTest {
  private final AgentConfig config = AgentConfig.load(ConfigSource.of(Map.of(), Map.of()));
  private final KeyPrefixInferrer prefixes = new KeyPrefixInferrer(PrefixConfig.defaults());
  private final CommandInfo get = CommandCatalog.standard().lookup("GET");

  private AuditCollector collector(boolean fullKeys) {
    return new AuditCollector(
        config.auditThresholds(),
        prefixes,
        fullKeys,
        Long.MAX_VALUE,
        Instant.now(),
        System.nanoTime());
  }

  /** A failed GET completed off the caller's thread: it only feeds the hot-key sketch. */
  private void read(AuditCollector collector, byte[] key, int times) {
    int prefixId = prefixes.prefixId(key);
    for (int i = 0; i < times; i++) {
      collector.observe(get, null, null, null, key, prefixId, false, 0, 1, true, false, true, null);
    }
  }

  @Test
  void aHotKeyShownInFullIsCutBetweenCharactersAndEscaped() {
    AuditCollector collector = collector(true);
    // 199 bytes, then "é" across bytes 199 and 200: the 200 bytes kept would end inside it.
    String head = "flag:" + "x".repeat(194);
    byte[] longKey = (head + "é-and-more").getBytes(StandardCharsets.UTF_8);
    byte[] binary = {'b', 'i', 'n', ':', (byte) 0xFF, 0x01, '\\'};
    read(collector, longKey, 100);
    read(collector, binary, 50);

    List<HotKeyShare> hot = collector.hotKeys();

    assertThat(hot).extracting(HotKeyShare::count).containsExactly(100L, 50L);
    assertThat(hot.get(0).key()).isEqualTo(head + "…");
    assertThat(hot.get(1).key()).isEqualTo("bin:\\xFF\\x01\\\\");
  }

  @Test
  void aHotKeyIsShownAsItsPrefixAndHashUnlessFullKeysAreAllowed() {
    AuditCollector collector = collector(false);
    read(collector, "config:flags:42".getBytes(StandardCharsets.UTF_8), 10);

    assertThat(collector.hotKeys())
        .singleElement()
        .satisfies(key -> assertThat(key.key()).matches("config:flags:\\* #[0-9a-f]{8}"));
  }
}
