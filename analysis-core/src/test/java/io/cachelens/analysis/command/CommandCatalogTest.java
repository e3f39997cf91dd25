package io.cachelens.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandCatalogTest {

  private final CommandCatalog catalog = CommandCatalog.standard();

  @Test
  void standardIsShared() {
    assertThat(CommandCatalog.standard()).isSameAs(catalog);
  }

  @Test
  void coversTheCommandSetWithDenseUniqueIds() {
    Set<String> names = new HashSet<>();
    for (int id = 0; id < catalog.idBound(); id++) {
      CommandInfo info = catalog.byId(id);
      if (info.kind() != CommandKind.OTHER) {
        assertThat(info.id()).isEqualTo(id);
        assertThat(names.add(info.name())).as(info.name()).isTrue();
        assertThat(catalog.lookup(info.name())).isSameAs(info);
      }
    }

    assertThat(names).hasSizeGreaterThan(350);
    assertThat(names.stream().filter(name -> !name.contains(" ")).count()).isGreaterThan(240);
    assertThat(names)
        .contains(
            "GET",
            "SET",
            "HSET",
            "LPUSH",
            "SADD",
            "ZADD",
            "XADD",
            "SETBIT",
            "PFADD",
            "GEOADD",
            "DEL",
            "EXPIRE",
            "SCAN",
            "AUTH",
            "HELLO",
            "INFO",
            "EVAL",
            "FCALL",
            "PUBLISH",
            "MULTI",
            "EXEC",
            "WATCH",
            "CLIENT SETNAME",
            "CONFIG SET",
            "OBJECT ENCODING",
            "XGROUP CREATE",
            "XINFO STREAM",
            "CLUSTER SLOTS",
            "FUNCTION LOAD",
            "SCRIPT LOAD",
            "MEMORY USAGE",
            "HEXPIRE",
            "LMPOP",
            "SINTERCARD",
            "WAITAOF",
            "COMMAND DOCS",
            "ACL SETUSER");
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "Get", "GET", " get "})
  void lookupIgnoresCase(String name) {
    assertThat(catalog.lookup(name)).isSameAs(catalog.lookup("GET"));
    assertThat(catalog.lookup(name).name()).isEqualTo("GET");
  }

  @Test
  void builtInCommandsHaveTheirKinds() {
    assertThat(catalog.lookup("GET").kind()).isEqualTo(CommandKind.READ);
    assertThat(catalog.lookup("GET").isRead()).isTrue();
    assertThat(catalog.lookup("SET").kind()).isEqualTo(CommandKind.WRITE);
    assertThat(catalog.lookup("SET").isWrite()).isTrue();
    assertThat(catalog.lookup("INFO").kind()).isEqualTo(CommandKind.ADMIN);
    assertThat(catalog.lookup("PING").kind()).isEqualTo(CommandKind.CONNECTION);
    assertThat(catalog.lookup("SUBSCRIBE").kind()).isEqualTo(CommandKind.PUBSUB);
    assertThat(catalog.lookup("EVALSHA").kind()).isEqualTo(CommandKind.SCRIPT);
    assertThat(catalog.lookup("MULTI").kind()).isEqualTo(CommandKind.TRANSACTION);
    assertThat(catalog.lookup("FLUSHALL").isWrite()).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "CLIENT, setname, CLIENT SETNAME",
    "client, SetInfo, CLIENT SETINFO",
    "CONFIG, set, CONFIG SET",
    "CONFIG, GET, CONFIG GET",
    "OBJECT, encoding, OBJECT ENCODING",
    "MEMORY, USAGE, MEMORY USAGE",
    "XINFO, groups, XINFO GROUPS",
    "XGROUP, createconsumer, XGROUP CREATECONSUMER",
    "SCRIPT, LOAD, SCRIPT LOAD",
    "FUNCTION, flush, FUNCTION FLUSH",
    "CLUSTER, slot-stats, CLUSTER SLOT-STATS",
    "COMMAND, docs, COMMAND DOCS",
    "ACL, whoami, ACL WHOAMI",
    "PUBSUB, numsub, PUBSUB NUMSUB",
    "SLOWLOG, get, SLOWLOG GET",
    "LATENCY, doctor, LATENCY DOCTOR",
    "MODULE, list, MODULE LIST",
    "SENTINEL, get-master-addr-by-name, SENTINEL GET-MASTER-ADDR-BY-NAME",
    "CLIENT, nosuch, CLIENT",
    "GET, setname, GET"
  })
  void subcommandLookup(String name, String subcommand, String expected) {
    CommandInfo info = catalog.lookup(name, subcommand.getBytes(StandardCharsets.US_ASCII));

    assertThat(info.name()).isEqualTo(expected);
    assertThat(info.hasSubcommand()).isEqualTo(expected.contains(" "));
  }

  @Test
  void containersAndSubcommands() {
    CommandInfo client = catalog.lookup("CLIENT");
    CommandInfo setName = catalog.lookup("CLIENT", bytes("SETNAME"));

    assertThat(client.isContainer()).isTrue();
    assertThat(client.hasSubcommand()).isFalse();
    assertThat(catalog.lookup("CLIENT", null)).isSameAs(client);
    assertThat(setName.isContainer()).isFalse();
    assertThat(setName.hasSubcommand()).isTrue();
    assertThat(setName.kind()).isEqualTo(CommandKind.CONNECTION);
    assertThat(catalog.lookup("client setname")).isSameAs(setName);
    assertThat(catalog.lookup("GET").isContainer()).isFalse();
    assertThat(catalog.lookup("OBJECT", bytes("ENCODING")).isRead()).isTrue();
    assertThat(catalog.lookup("XGROUP", bytes("DESTROY")).isWrite()).isTrue();
  }

  @Test
  void handshakeCommands() {
    assertThat(catalog.lookup("AUTH").handshake()).isTrue();
    assertThat(catalog.lookup("HELLO").handshake()).isTrue();
    assertThat(catalog.lookup("CLIENT", bytes("SETNAME")).handshake()).isTrue();
    assertThat(catalog.lookup("CLIENT", bytes("SETINFO")).handshake()).isTrue();
    assertThat(catalog.lookup("CLIENT", bytes("LIST")).handshake()).isFalse();
    assertThat(catalog.lookup("PING").handshake()).isFalse();
    assertThat(catalog.lookup("SELECT").handshake()).isFalse();
  }

  @Test
  void redactedCommands() {
    assertThat(catalog.lookup("AUTH").redactArguments()).isTrue();
    assertThat(catalog.lookup("HELLO").redactArguments()).isTrue();
    assertThat(catalog.lookup("MIGRATE").redactArguments()).isTrue();
    assertThat(catalog.lookup("CONFIG", bytes("SET")).redactArguments()).isTrue();
    assertThat(catalog.lookup("CONFIG", bytes("NOSUCH")).redactArguments()).isTrue();
    assertThat(catalog.lookup("ACL", bytes("SETUSER")).redactArguments()).isTrue();
    assertThat(catalog.lookup("SENTINEL", bytes("SET")).redactArguments()).isTrue();
    assertThat(catalog.lookup("CONFIG", bytes("GET")).redactArguments()).isFalse();
    assertThat(catalog.lookup("SET").redactArguments()).isFalse();
    assertThat(catalog.lookup("CLIENT", bytes("SETNAME")).redactArguments()).isFalse();
  }

  @Test
  void dangerousCommands() {
    for (String name : List.of("KEYS", "FLUSHALL", "FLUSHDB", "DEBUG", "SAVE", "MONITOR")) {
      assertThat(catalog.lookup(name).dangerous()).as(name).isTrue();
    }
    assertThat(catalog.lookup("SHUTDOWN").dangerous()).isTrue();
    assertThat(catalog.lookup("CONFIG", bytes("SET")).dangerous()).isTrue();
    assertThat(catalog.lookup("CLIENT", bytes("KILL")).dangerous()).isTrue();
    assertThat(catalog.lookup("CLUSTER", bytes("RESET")).dangerous()).isTrue();
    assertThat(catalog.lookup("SCAN").dangerous()).isFalse();
    assertThat(catalog.lookup("CONFIG", bytes("GET")).dangerous()).isFalse();
  }

  @Test
  void unknownCommandsAreCachedAsOther() {
    CommandInfo json = catalog.lookup("JSON.GET");

    assertThat(json.kind()).isEqualTo(CommandKind.OTHER);
    assertThat(json.name()).isEqualTo("JSON.GET");
    assertThat(json.firstKeyIndex()).isEqualTo(-1);
    assertThat(json.isRead()).isFalse();
    assertThat(json.isWrite()).isFalse();
    assertThat(catalog.lookup("json.get")).isSameAs(json);
    assertThat(catalog.lookup("JSON.GET", bytes("x"))).isSameAs(json);
    assertThat(catalog.byId(json.id())).isSameAs(json);
    assertThat(json.id()).isLessThan(catalog.idBound());
  }

  @Test
  void garbageNamesShareOther() {
    CommandInfo other = catalog.lookup((String) null);

    assertThat(other.name()).isEqualTo("<other>");
    assertThat(catalog.lookup("")).isSameAs(other);
    assertThat(catalog.lookup("X".repeat(65))).isSameAs(other);
    assertThat(catalog.lookup("BAD\u0000NAME")).isSameAs(other);
    assertThat(catalog.byId(-1)).isSameAs(other);
    assertThat(catalog.byId(Integer.MAX_VALUE)).isSameAs(other);
  }

  @Test
  void unknownNamesAreBoundedAt512() {
    CommandCatalog fresh = CommandCatalog.createStandard();
    List<CommandInfo> infos = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      infos.add(fresh.lookup("MODULE.CMD" + i));
    }

    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < CommandCatalog.MAX_UNKNOWN_COMMANDS; i++) {
      assertThat(infos.get(i).name()).isEqualTo("MODULE.CMD" + i);
      assertThat(ids.add(infos.get(i).id())).isTrue();
      assertThat(infos.get(i).id()).isLessThan(fresh.idBound());
    }
    CommandInfo other = fresh.lookup((String) null);
    for (int i = CommandCatalog.MAX_UNKNOWN_COMMANDS; i < 600; i++) {
      assertThat(infos.get(i)).isSameAs(other);
    }
    // names that got their own info keep it
    assertThat(fresh.lookup("module.cmd7")).isSameAs(infos.get(7));
    assertThat(fresh.lookup("GET").kind()).isEqualTo(CommandKind.READ);
  }

  @Test
  void concurrentUnknownLookupsAgree() {
    CommandCatalog fresh = CommandCatalog.createStandard();
    Set<CommandInfo> seen = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 10_000).parallel().forEach(i -> seen.add(fresh.lookup("NEW.CMD" + i % 50)));

    assertThat(seen).hasSize(50);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
