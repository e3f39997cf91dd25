package com.acme;

import io.cachelens.agent.callsite.CallSites;
import java.util.Optional;

/** Stands for a service's own class: it lives outside the agent's packages. */
public final class ServiceCode {
  private ServiceCode() {}

  public static Optional<StackWalker.StackFrame> lookUpFromHere() {
    return CallSites.firstApplicationFrame();
  }
}
