package io.cachelens.it.jedis.scenario;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Jedis loaded by a child {@link URLClassLoader}, as in a Spring Boot fat jar or an application
 * server: the system class loader (and so the agent) cannot see Jedis. Only reflection here, so
 * this class links to no Jedis type.
 *
 * <p>Arguments: host, port, and the Jedis release's jars joined with the path separator. Sends 5
 * SET, 5 GET and a pipeline of 3 INCR on one connection.
 */
public final class IsolatedJedisScenario {
  public static final String DONE = "ISOLATED JEDIS SCENARIO DONE";

  private IsolatedJedisScenario() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    List<URL> urls = new ArrayList<>();
    for (String jar : args[2].split(File.pathSeparator)) {
      urls.add(Paths.get(jar).toUri().toURL());
    }
    try {
      Class.forName("redis.clients.jedis.Jedis", false, ClassLoader.getSystemClassLoader());
      throw new IllegalStateException("the system class loader must not see Jedis");
    } catch (ClassNotFoundException expected) {
      System.out.println("system class loader cannot see Jedis");
    }
    try (URLClassLoader loader =
        new URLClassLoader(
            "service", urls.toArray(new URL[0]), IsolatedJedisScenario.class.getClassLoader())) {
      Class<?> jedisClass = loader.loadClass("redis.clients.jedis.Jedis");
      Object jedis = jedisClass.getConstructor(String.class, int.class).newInstance(host, port);
      Method set = jedisClass.getMethod("set", String.class, String.class);
      Method get = jedisClass.getMethod("get", String.class);
      for (int i = 0; i < 5; i++) {
        set.invoke(jedis, "isolated:" + i, "v" + i);
      }
      for (int i = 0; i < 5; i++) {
        if (!("v" + i).equals(get.invoke(jedis, "isolated:" + i))) {
          throw new IllegalStateException("isolated:" + i + " has the wrong value");
        }
      }
      Object pipeline = jedisClass.getMethod("pipelined").invoke(jedis);
      Method incr = pipeline.getClass().getMethod("incr", String.class);
      for (int i = 0; i < 3; i++) {
        incr.invoke(pipeline, "isolated:counter");
      }
      pipeline.getClass().getMethod("sync").invoke(pipeline);
      jedisClass.getMethod("close").invoke(jedis);
      System.out.println("Jedis loaded by " + jedisClass.getClassLoader().getName());
    }
    System.out.println(DONE);
  }
}
