package io.slabridge.connector.jira;

import java.time.Clock;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Jira SLA fields, checked against Jira before {@code sla-bridge run} starts and by
 * {@code sla-bridge validate --config} ({@link JiraFieldCheck}), over a Camel context of its own that lives for
 * the check only.
 */
public final class JiraStartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(JiraStartupCheck.class);

    private JiraStartupCheck() {
    }

    /**
     * The problems with the configured fields, each naming its property.
     *
     * @param mustReach whether Jira not answering is itself a problem ({@code validate}); otherwise ({@code run})
     *                  it is logged and the start goes on, since Jira may well be back before the first write
     */
    public static List<String> problems(JiraConfig config, Clock clock, boolean mustReach) {
        if (config.slaFieldIds().isEmpty()) {
            return List.of(); // no SLA field written, none to check: not even a Camel context
        }
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            camel.start();
            JiraHttp http = JiraHttp.create(camel, config, clock);
            try {
                return new JiraFieldCheck(http).problems();
            } finally {
                http.close();
            }
        } catch (JiraUnavailableException e) {
            if (mustReach) {
                return List.of(JiraSettings.URL.problem("could not check the SLA fields (sla.jira.field.*) against "
                        + "Jira: " + e.getMessage()));
            }
            LOG.warn("The Jira SLA fields (sla.jira.field.*) could not be checked, starting anyway: {}", e.getMessage());
            return List.of();
        } finally {
            camel.stop();
        }
    }
}
