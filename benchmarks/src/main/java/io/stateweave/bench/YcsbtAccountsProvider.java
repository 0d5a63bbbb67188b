package io.stateweave.bench;

import io.stateweave.sdk.entity.Entities;

/**
 * ycsbt's accounts ({@link YcsbtAccounts}) for the {@code providers:} of a module's {@code
 * io.stateweave.entities.v1/java} document: the module loads a provider by its class name with a
 * public no-argument constructor, so this one must be public, unlike the rest of the benchmarks.
 */
public final class YcsbtAccountsProvider implements Entities.Provider {
  private static final long serialVersionUID = 1L;

  @Override
  public Entities entities() {
    return YcsbtAccounts.PROVIDER.entities();
  }
}
