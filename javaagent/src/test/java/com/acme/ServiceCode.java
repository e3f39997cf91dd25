package com.acme;

import io.cachelens.agent.callsite.CallSites;

/** Stands for a service's own class: it lives outside the agent's packages. */
public final class ServiceCode {
  private ServiceCode() {}

  public static StackWalker.StackFrame lookUpFromHere() {
    return CallSites.firstApplicationFrame();
  }

  public static String siteFromHere() {
    return CallSites.firstApplicationSite();
  }
}
