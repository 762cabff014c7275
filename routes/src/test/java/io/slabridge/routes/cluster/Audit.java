package io.slabridge.routes.cluster;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares what happened in "Jira" (the workload's events, the comments in the fake) with what sla-bridge stored:
 * every event stored exactly once, every escalation step done once and written once, none missing, none extra.
 */
final class Audit {
    /** The figures a run reports. */
    record Figures(int issues, int eventsCaused, int eventsStored, int eventsMissing, int eventsUnknown,
            int eventsStoredTwice, int escalationsRequired, int escalationsMissing, int stepsDone, int commentsWritten,
            int commentPosts, int duplicateComments, int unkeyedComments, int extraSteps, int lateAnswerSteps,
            int commentsRetried, int fieldWrites, long pendingCommands, long parkedCommands, int mailTickets,
            int mails, int mailCopies, int mailsResent, int duplicateMails) {

        String summary() {
            return "issues=" + issues + " events caused=" + eventsCaused + " stored=" + eventsStored + " missing="
                    + eventsMissing + " unknown=" + eventsUnknown + " stored twice=" + eventsStoredTwice
                    + " | escalations required=" + escalationsRequired + " steps done=" + stepsDone
                    + " comments written=" + commentsWritten + " (posts " + commentPosts + ") duplicates="
                    + duplicateComments + " missing=" + escalationsMissing + " fired before a late answer="
                    + lateAnswerSteps + " comment commands claimed again (a kill, a lease run out)=" + commentsRetried
                    + " | field writes=" + fieldWrites + " outbox pending=" + pendingCommands + " parked="
                    + parkedCommands + (mailCopies == 0 && mailTickets == 0 ? "" : " | mail tickets=" + mailTickets
                    + " mails sent (notices, mail tickets' comments)=" + mails + " (copies received " + mailCopies
                    + ", of which sent again after a kill between the SMTP 250 and its record " + mailsResent
                    + ") duplicates=" + duplicateMails);
        }
    }

    /** The figures and every problem found (none: all is well). */
    record Result(Figures figures, List<String> problems) {
    }

    private Audit() {
    }

    static Result of(Workload workload, FakeJira jira, ClusterDatabase db) throws SQLException {
        return of(workload, jira, db, null);
    }

    /**
     * As {@link #of(Workload, FakeJira, ClusterDatabase)}, and when {@code mails} is given (the Message-IDs of the
     * mail sla-bridge sent, as received, each as often as it came): each step done has its notice (its second
     * action, {@code notify}, command key {@code <step key>/1}) and, on a mail ticket, its comment mail, each under
     * one Message-ID, and there is no other.
     */
    static Result of(Workload workload, FakeJira jira, ClusterDatabase db, List<String> mails) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, String> caused = workload.events();
        Map<String, ClusterDatabase.StoredEvent> stored = db.events();
        Set<String> missing = new TreeSet<>(caused.keySet());
        missing.removeAll(stored.keySet());
        Set<String> unknown = new TreeSet<>(stored.keySet());
        unknown.removeAll(caused.keySet());
        List<String> twice = stored.entrySet().stream().filter(e -> e.getValue().copies() != 1).map(Map.Entry::getKey)
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " events lost: " + first(missing));
        }
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " events stored that nobody caused: " + first(unknown));
        }
        if (!twice.isEmpty()) {
            problems.add(twice.size() + " events stored more than once: " + first(twice));
        }
        for (String id : caused.keySet()) {
            ClusterDatabase.StoredEvent e = stored.get(id);
            if (e != null && !e.ticket().equals(caused.get(id))) {
                problems.add("event " + id + " stored under " + e.ticket() + ", not " + caused.get(id));
            }
        }

        // The escalation comments: one per command key, whatever the retries.
        Map<String, Integer> commentsByKey = new TreeMap<>();
        int unkeyed = 0;
        for (FakeJira.Comment c : jira.comments()) {
            if (!FakeJira.BOT.equals(c.authorId())) {
                continue;
            }
            if (c.commandKey() == null) {
                unkeyed++;
            } else {
                commentsByKey.merge(c.commandKey(), 1, Integer::sum);
            }
        }
        int posts = (int) jira.calls().stream().filter(c -> c.commandKey() != null).count();
        List<String> duplicated = commentsByKey.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.toList());
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " escalation comments written more than once: " + first(duplicated));
        }
        if (unkeyed > 0) {
            problems.add(unkeyed + " comments by sla-bridge without their command's key");
        }
        Map<String, Long> steps = db.stepsDone();
        Map<String, ClusterDatabase.Command> outbox = db.outbox();
        Set<String> written = commentsByKey.keySet();
        Set<String> notWritten = new TreeSet<>(steps.keySet());
        notWritten.removeIf(k -> !k.startsWith("jira:")); // Jira's comments; mail tickets' go by mail
        notWritten.removeAll(written);
        if (!notWritten.isEmpty()) {
            problems.add(notWritten.size() + " escalation steps done but never written to Jira: " + first(notWritten)
                    + " (outbox: " + notWritten.stream().limit(3).map(k -> k + "=" + outbox.get(k))
                    .collect(Collectors.joining(", ")) + ")");
        }
        Set<String> withoutStep = new TreeSet<>(written);
        withoutStep.removeAll(steps.keySet());
        if (!withoutStep.isEmpty()) {
            problems.add(withoutStep.size() + " comments written for no recorded step: " + first(withoutStep));
        }
        Set<String> required = workload.requiredEscalations();
        Set<String> requiredMissing = new TreeSet<>(required);
        // Jira's: a comment in Jira; mail tickets': a step done (their mails are counted below).
        requiredMissing.removeIf(k -> k.startsWith("jira:") ? written.contains(k) : steps.containsKey(k));
        if (!requiredMissing.isEmpty()) {
            problems.add(requiredMissing.size() + " escalations missing: " + first(requiredMissing));
        }
        // Steps beyond the required ones: only a first-response step of an answered issue, done before its answer
        // was stored (the answer was late because its instance was down) is right.
        int late = 0;
        Set<String> extra = new HashSet<>(steps.keySet());
        extra.removeAll(required);
        Map<String, String> answers = workload.answers();
        for (String key : new TreeSet<>(extra)) {
            String ticket = key.substring(0, key.indexOf('/'));
            String answer = answers.get(ticket);
            ClusterDatabase.StoredEvent answered = answer == null ? null : stored.get(answer);
            boolean firstResponse = key.startsWith(ticket + "/first_response/1/");
            if (firstResponse && answered != null && steps.get(key) <= answered.receivedAt()) {
                late++;
            } else {
                problems.add("escalation " + key + " done at " + steps.get(key) + ", though not due (answer "
                        + answer + " stored at " + (answered == null ? "never" : answered.receivedAt()) + ")");
            }
        }
        // What agents see in Jira in the end: each issue's SLA status field as the store has it.
        Map<String, String> shown = new TreeMap<>();
        for (FakeJira.FieldWrite w : jira.fieldWrites()) {
            if (w.status() != null) {
                shown.put("jira:" + w.issueKey(), w.status());
            }
        }
        List<String> wrongStatus = new ArrayList<>();
        for (Map.Entry<String, String> e : db.summaries().entrySet()) {
            if (!e.getKey().startsWith("jira:")) {
                continue;
            }
            String label = io.slabridge.core.model.SummaryState.valueOf(e.getValue()).label();
            if (!label.equals(shown.get(e.getKey()))) {
                wrongStatus.add(e.getKey() + " shows " + shown.get(e.getKey()) + ", not " + label);
            }
        }
        if (!wrongStatus.isEmpty()) {
            problems.add(wrongStatus.size() + " issues show another SLA status than the store's: " + first(wrongStatus));
        }
        long pending = outbox.values().stream().filter(c -> c.status().equals("pending")).count();
        long parked = outbox.values().stream().filter(c -> c.status().equals("parked")).count();
        if (parked > 0) {
            problems.add(parked + " commands parked: " + outbox.entrySet().stream().filter(e -> e.getValue().status()
                    .equals("parked")).limit(3).map(e -> e.getKey() + ": " + e.getValue().lastError())
                    .collect(Collectors.joining("; ")));
        }
        if (pending > 0) {
            problems.add(pending + " commands still pending");
        }
        // A claim counts an attempt: a comment command claimed more than once was out when its instance died, or
        // waited in a claim whose lease ran out and was taken over.
        int retried = (int) outbox.values().stream().filter(c -> c.kind().equals("comment") && c.attempts() > 1).count();
        // sla-bridge's mail by Message-ID, which it derives from the command's key: the same for every attempt. SMTP
        // has no look-up: a kill after the server's 250 and before the "sent" record is committed sends it again, under
        // the same Message-ID; such a copy is accepted only for a command claimed more than once.
        int mailCopies = mails == null ? 0 : mails.size();
        int resentMails = 0;
        int duplicateMails = 0;
        Set<String> mailIds = new TreeSet<>();
        if (mails != null) {
            Map<String, Integer> copies = new TreeMap<>();
            mails.forEach(id -> copies.merge(id, 1, Integer::sum));
            mailIds.addAll(copies.keySet());
            Map<String, String> expected = new TreeMap<>();
            for (String step : steps.keySet()) {
                String notify = step.substring(0, step.length() - 1) + "1";
                expected.put(mailMessageId(notify), notify);
                if (!step.startsWith("jira:")) {
                    expected.put(mailMessageId(step), step); // a mail ticket's comment is a mail in its thread
                }
            }
            List<String> twiceSent = new ArrayList<>();
            for (Map.Entry<String, Integer> e : copies.entrySet()) {
                if (e.getValue() == 1) {
                    continue;
                }
                ClusterDatabase.Command c = outbox.get(expected.get(e.getKey()));
                if (c != null && c.attempts() >= e.getValue()) {
                    resentMails++;
                } else {
                    twiceSent.add(expected.get(e.getKey()) + " " + e.getKey() + " x" + e.getValue() + " (" + c + ")");
                }
            }
            duplicateMails = twiceSent.size();
            if (!twiceSent.isEmpty()) {
                problems.add(twiceSent.size() + " mails received more than once, more often than claimed: "
                        + first(twiceSent));
            }
            Set<String> notSent = new TreeSet<>(expected.keySet());
            notSent.removeAll(copies.keySet());
            if (!notSent.isEmpty()) {
                problems.add(notSent.size() + " mails of steps done never received: " + first(notSent.stream()
                        .map(expected::get).collect(Collectors.toList())));
            }
            Set<String> unexpected = new TreeSet<>(copies.keySet());
            unexpected.removeAll(expected.keySet());
            if (!unexpected.isEmpty()) {
                problems.add(unexpected.size() + " mails for no recorded step: " + first(unexpected));
            }
        }
        Figures f = new Figures(workload.issues().size() + workload.mailTickets().size(), caused.size(), stored.size(),
                missing.size(), unknown.size(), twice.size(), required.size(), requiredMissing.size(), steps.size(),
                written.size(), posts, duplicated.size(), unkeyed, extra.size(), late, retried, jira.fieldWrites().size(),
                pending, parked, workload.mailTickets().size(), mailIds.size(), mailCopies, resentMails, duplicateMails);
        return new Result(f, problems);
    }

    /** The Message-ID sla-bridge gives the mail of command {@code key} (the email connector's {@code Outgoing}). */
    static String mailMessageId(String key) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "<sla-bridge." + java.util.HexFormat.of().formatHex(hash).substring(0, 32) + "@"
                    + BridgeSettings.MAILBOX.substring(BridgeSettings.MAILBOX.indexOf('@') + 1) + ">";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(java.util.Collection<String> items) {
        return items.stream().limit(5).collect(Collectors.joining(", ")) + (items.size() > 5 ? ", ..." : "");
    }
}
