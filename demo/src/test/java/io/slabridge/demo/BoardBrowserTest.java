package io.slabridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The SLA board in a real browser (Debian's headless Chromium, driven by Selenium WebDriver through the system's
 * chromedriver), against the demo: the real application on simulated Jira, Salesforce and mailbox. A user is refused
 * without credentials, signs in, sees the tickets, filters them, and watches SUP-1 turn from On track to At risk to
 * Breached without reloading; and sees the Case escalated to ENG-7 with both clocks: engineering's OLA as a row of its
 * own and in the Case's "Linked" cell, moving as the engineer answers. Screenshots go to target/board-*.png.
 *
 * <p>Without Chromium and chromedriver the test is skipped with a message; under {@code CI=true} that is a failure.
 */
class BoardBrowserTest {
    private DemoRunner demo;
    private Thread demoThread;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        HeadlessChromium.required();
        browser = HeadlessChromium.start();
    }

    /** Starts the demo, its clock {@code factor} times faster than the wall clock; returns the board's address. */
    private String demo(long factor) throws Exception {
        demo = new DemoRunner(new PrintWriter(new StringWriter()), factor, false, Duration.ofMinutes(3));
        demoThread = new Thread(() -> {
            try {
                demo.run();
            } catch (Exception e) {
                demo.boardUrl().completeExceptionally(e);
            }
        }, "demo");
        demoThread.start();
        return demo.boardUrl().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.stop();
            demoThread.join(30_000);
        }
    }

    @Test
    void aLeadSignsInFiltersAndWatchesATicketTurnAtRiskThenBreachedWithoutReloading() throws Exception {
        String url = demo(60);

        // Refused without credentials: the data call answers 401, the page sends to the form.
        browser.get(url + "api/data");
        String refused = browser.findElement(By.tagName("body")).getText();
        assertTrue(refused.contains("sign in"), refused);
        assertFalse(refused.contains("SUP-1"), refused);
        browser.get(url);
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        browser.findElement(By.id("user")).sendKeys(DemoRunner.BOARD_USER);
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
        wait.until(b -> b.getCurrentUrl().endsWith("/login?failed") && b.findElement(By.id("failed")).isDisplayed());
        browser.findElement(By.id("user")).sendKeys(DemoRunner.BOARD_USER);
        browser.findElement(By.id("password")).sendKeys(DemoRunner.BOARD_PASSWORD);
        screenshot("login");
        browser.findElement(By.id("sign-in")).click();

        // The tickets of all three sources, soonest due first.
        wait.until(b -> rows() >= 6);
        List<String> sources = column("source");
        assertTrue(sources.containsAll(List.of("jira", "salesforce", "email")), sources.toString());
        assertEquals("Acme Retail", cell("jira:SUP-1", ".account", "textContent"));
        assertTrue(cell("jira:SUP-1", ".key a", "href").endsWith("/browse/SUP-1"));
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");
        screenshot("tickets");

        // Filters: only Jira, then only Jira and high priority. (Rows may come while it filters: ENG-7 is linked to
        // the Case at 09:03, its OLA row leaves at 09:12; so the rows are checked by what they show, not counted.)
        long jiraRows = sources.stream().filter("jira"::equals).count();
        assertTrue(jiraRows >= 2 && jiraRows < sources.size(), sources.toString());
        new Select(browser.findElement(By.id("f-source"))).selectByValue("jira");
        wait.until(b -> column("source").stream().allMatch("jira"::equals) && column("key").contains("SUP-2"));
        new Select(browser.findElement(By.id("f-priority"))).selectByValue("high");
        wait.until(b -> column("priority").stream().allMatch("high"::equals) && column("key").contains("SUP-1"));
        assertFalse(column("key").contains("SUP-2"), "SUP-2 is normal priority: " + column("key"));
        assertEquals(List.of("jira"), column("source").stream().distinct().toList());
        screenshot("filtered");
        new Select(browser.findElement(By.id("f-priority"))).selectByValue("");
        new Select(browser.findElement(By.id("f-source"))).selectByValue("");
        wait.until(b -> rows() >= 6);

        // SUP-1 (high, 30 min first response from 09:00 demo time): At risk at 75%, then Breached; the page follows.
        List<String> seen = new ArrayList<>();
        WebDriverWait breach = new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(100));
        breach.until(b -> {
            String status = cell("jira:SUP-1", ".status", "textContent");
            if (status == null) {
                return false;
            }
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
                if (status.equals("At risk")) {
                    screenshot("at-risk");
                }
            }
            return status.equals("Breached");
        });
        assertEquals(List.of("On track", "At risk", "Breached"), seen);
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage;"),
                "no reload");
        assertTrue(Integer.parseInt(browser.findElement(By.cssSelector("#fig-breached b")).getText()) >= 1);
        screenshot("breached");

        browser.findElement(By.id("tab-accounts")).click();
        wait.until(b -> !b.findElements(By.cssSelector("#accounts tr")).isEmpty());
        String top = browser.findElements(By.cssSelector("#accounts tr")).get(0).getAttribute("data-account");
        assertTrue(List.of("Acme Retail", "Umbrella Corp", "Globex").contains(top),
                "an account with a breached high or urgent ticket ranks first: " + top);
        screenshot("accounts");
    }

    @Test
    void aLeadSeesTheEscalatedCaseWithEngineeringsOlaClockAndWatchesItMoveWithoutReloading() throws Exception {
        // At 30x: ENG-7 is linked to the Case at 09:03 demo time (6 s in), the engineer answers at 09:12 (24 s in).
        String url = demo(30);
        browser.get(url);
        browser.findElement(By.id("user")).sendKeys(DemoRunner.BOARD_USER);
        browser.findElement(By.id("password")).sendKeys(DemoRunner.BOARD_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
        String theCase = "salesforce:" + DemoStory.CASE_A;

        // Engineering's OLA on ENG-7 is a row of its own, its policy the OLA's name; the Case shows ENG-7's state and
        // due in its Linked cell, and ENG-7's row the Case it serves.
        wait.until(b -> olaRow(LinkedStory.ISSUE, "status") != null);
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");
        assertEquals("OLA engineering", olaRow(LinkedStory.ISSUE, "policy"));
        assertEquals("first response", olaRow(LinkedStory.ISSUE, "metric"));
        assertEquals("jira", olaRow(LinkedStory.ISSUE, "source"));
        assertTrue(List.of("On track", "At risk").contains(olaRow(LinkedStory.ISSUE, "status")),
                olaRow(LinkedStory.ISSUE, "status"));
        assertTrue(olaRow(LinkedStory.ISSUE, "linked").contains(DemoStory.CASE_A), olaRow(LinkedStory.ISSUE, "linked"));
        wait.until(b -> String.valueOf(cell(theCase, ".linked", "textContent"))
                .startsWith(LinkedStory.ISSUE + " On track · due "));
        assertTrue(column("policy").contains("OLA engineering"), column("policy").toString());
        screenshot("linked");

        // Only the OLAs: the kind filter.
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("OLA");
        wait.until(b -> column("policy").stream().allMatch(p -> p.startsWith("OLA ")) && !column("policy").isEmpty());
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("");

        // The engineer answers: the OLA is met, its row leaves, and the Case's Linked cell says so, without a reload.
        WebDriverWait answer = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100));
        answer.until(b -> String.valueOf(cell(theCase, ".linked", "textContent")).equals(LinkedStory.ISSUE + " Met"));
        wait.until(b -> olaRow(LinkedStory.ISSUE, "status") == null);
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage;"),
                "no reload");
        screenshot("ola-met");
    }

    /** A cell of the OLA row (kind OLA) of the engineering issue {@code key}, or null when it has none on the board. */
    private String olaRow(String key, String cell) {
        return (String) js("const r = [...document.querySelectorAll('#rows .row[data-kind=\"OLA\"]')]"
                + ".find(r => r.querySelector('.key').textContent === arguments[0]);"
                + " return r ? r.querySelector('.' + arguments[1]).textContent : null;", key, cell);
    }

    // The page draws its rows anew every second (the countdowns): they are read in one script each time, not held.
    private int rows() {
        return ((Number) js("return document.querySelectorAll('#rows .row').length;")).intValue();
    }

    @SuppressWarnings("unchecked")
    private List<String> column(String name) {
        return (List<String>) js("return [...document.querySelectorAll('#rows .row .' + arguments[0])]"
                + ".map(e => e.textContent);", name);
    }

    private String cell(String ticket, String selector, String property) {
        return (String) js("const r = document.querySelector('#rows .row[data-ticket=\"' + arguments[0] + '\"] '"
                + " + arguments[1]); return r ? r[arguments[2]] : null;", ticket, selector, property);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void screenshot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }
}
