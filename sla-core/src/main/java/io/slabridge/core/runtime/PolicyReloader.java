package io.slabridge.core.runtime;

import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.policy.PolicySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Watches the policy file of a running {@link SlaRuntime}: when its content changes, the new file is checked as
 * {@code sla-bridge validate} would, and only a valid one replaces the policies (refolding every open ticket).
 * A bad file is refused with its problems and the old policies stay in force. Content is compared, not
 * modification times, which some editors and file systems get wrong.
 */
public final class PolicyReloader {
    private final Path file;
    private final SlaRuntime runtime;
    private String loaded;

    /** What a look at the file found. */
    public sealed interface Outcome {
        /** The file has the content already in force. */
        record Unchanged() implements Outcome {
        }

        /** The new policies are in force; {@code tickets} open tickets were refolded. */
        record Reloaded(int tickets) implements Outcome {
        }

        /** The file is invalid or unreadable; the old policies stay. */
        record Refused(List<PolicyProblem> problems) implements Outcome {
        }
    }

    /**
     * @param loadedText the text of the file the runtime's policies came from, or null to treat any content as new
     */
    public PolicyReloader(Path file, SlaRuntime runtime, String loadedText) {
        this.file = Objects.requireNonNull(file, "file");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.loaded = loadedText;
    }

    /** Reloads if the file's content differs from what is in force. Not to be called from two threads at once. */
    public Outcome reloadIfChanged() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Outcome.Refused(List.of(PolicyProblem.of(file.toString(), 0, "cannot read the file ("
                    + e.getClass().getSimpleName() + "); the policies in force stay")));
        }
        if (text.equals(loaded)) {
            return new Outcome.Unchanged();
        }
        PolicySet policies;
        try {
            policies = PolicyFileParser.parse(file.toString(), text);
        } catch (InvalidPolicyException e) {
            loaded = text; // refused once; reported again only after the next change
            return new Outcome.Refused(e.problems());
        }
        int refolded = runtime.reload(policies);
        loaded = text;
        return new Outcome.Reloaded(refolded);
    }
}
