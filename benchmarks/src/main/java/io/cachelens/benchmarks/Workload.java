package io.cachelens.benchmarks;

import java.util.List;

/**
 * The workload processes the driver runs; each is one JVM per run. Main classes are named as
 * strings: the driver never loads the client libraries itself.
 */
enum Workload {
  JEDIS_1T(
      "jedis-1t",
      "Jedis, 1 thread",
      "io.cachelens.benchmarks.JedisWorkload",
      false,
      List.of("bench.threads=1")),
  JEDIS_4T(
      "jedis-4t",
      "Jedis, 4 threads",
      "io.cachelens.benchmarks.JedisWorkload",
      false,
      List.of("bench.threads=4")),
  LETTUCE_SYNC(
      "lettuce-sync",
      "Lettuce sync",
      "io.cachelens.benchmarks.LettuceWorkload",
      false,
      List.of("bench.mode=sync")),
  LETTUCE_ASYNC(
      "lettuce-async",
      "Lettuce async, 64 in flight",
      "io.cachelens.benchmarks.LettuceWorkload",
      true,
      List.of("bench.mode=async", "bench.inflight=64"));

  final String id;
  final String title;
  final String mainClass;

  /** Uses the larger asynchronous warm-up and timed counts. */
  final boolean async;

  final List<String> properties;

  Workload(String id, String title, String mainClass, boolean async, List<String> properties) {
    this.id = id;
    this.title = title;
    this.mainClass = mainClass;
    this.async = async;
    this.properties = properties;
  }

  static Workload byId(String id) {
    for (Workload workload : values()) {
      if (workload.id.equalsIgnoreCase(id)) {
        return workload;
      }
    }
    throw new IllegalArgumentException("unknown workload " + id + "; known: " + ids());
  }

  static String ids() {
    StringBuilder ids = new StringBuilder();
    for (Workload workload : values()) {
      ids.append(ids.length() == 0 ? "" : ",").append(workload.id);
    }
    return ids.toString();
  }
}
