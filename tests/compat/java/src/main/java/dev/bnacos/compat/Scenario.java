package dev.bnacos.compat;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the Java conformance scenario (ids java2 / java3, see tests/compat/CONTRACT.md).
 *
 * <p>Environment: NACOS_ADDR, COMPAT_RUN, COMPAT_SDK_ID (set by run.sh), optional COMPAT_GROUP,
 * COMPAT_SUITES (comma list, default all), COMPAT_AUTH=1 (auth pass: adds step A1; NACOS_USER /
 * NACOS_PASS are read by {@link Harness#clientProps}), COMPAT_BUDGET_MS (default 50000: no step starts after
 * that). A watchdog halts the JVM at budget + 8 s whatever happens; the exit code is always 0.
 */
public final class Scenario {

    private Scenario() {
    }

    public static void main(String[] args) {
        final Harness h = Harness.fromEnv();
        startWatchdog(h);
        System.err.println("[compat] " + h.sdkId + " run=" + h.run + " addr=" + h.addr + " group=" + h.group);

        List<Suite> suites = new ArrayList<>();
        suites.add(new ConfigSuite());
        suites.add(new NamingSuite());

        String only = Harness.env("COMPAT_SUITES", "");
        // Auth pass (COMPAT_AUTH=1): A1's client logs in first and is checked last, so its wait past the
        // token TTL overlaps the other suites.
        if (AuthSuite.enabled()) {
            AuthSuite auth = new AuthSuite();
            auth.open(h);
            suites.add(auth);
        }
        for (Suite s : suites) {
            if (!only.isEmpty() && !(("," + only + ",").contains("," + s.name() + ","))) {
                continue;
            }
            try {
                s.run(h);
            } catch (Throwable t) {
                System.err.println("[compat] suite " + s.name() + " aborted: " + Harness.describe(t));
            } finally {
                s.close(h);
            }
        }
        System.err.println("[compat] done in " + h.elapsedMs() + " ms: " + h.passed() + " passed, "
                + h.failed() + " failed");
        System.out.flush();
        System.err.flush();
        // Halt rather than exit: the clients are already shut down, and a lingering non-daemon
        // thread or shutdown hook of the SDK must not keep the process alive.
        Runtime.getRuntime().halt(0);
    }

    private static void startWatchdog(final Harness h) {
        final long limit = h.remainingMs() + 8000L;
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("[compat] watchdog: still running after " + h.elapsedMs() + " ms, halting");
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "compat-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
