package io.slabridge.routes;

import io.slabridge.routes.cli.SlaBridgeCommand;

/** The {@code sla-bridge} executable: {@code java -jar routes/target/sla-bridge.jar --help}. */
public final class SlaBridge {
    private SlaBridge() {
    }

    public static void main(String[] args) {
        System.exit(SlaBridgeCommand.commandLine(System.out, System.err).execute(args));
    }
}
