package io.slabridge.routes.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (set by the build), or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SlaBridgeCommand.class.getPackage().getImplementationVersion();
        return new String[] {"sla-bridge " + (v == null ? "development" : v)};
    }
}
