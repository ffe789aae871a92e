package dev.bnacos.compat;

import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs scenario steps and prints one {@code RESULT <id> <step> PASS|FAIL <ms> <detail>} line per step.
 *
 * <p>Every step runs on its own daemon thread with a hard time limit, so a client call that hangs
 * only fails its own step. Once the global budget is spent, the remaining steps are reported as
 * failures without being run. The real stdout is kept for RESULT lines only; anything else that
 * writes to System.out (client libraries) is redirected to stderr.
 */
final class Harness {

    /** Thrown by a step body to fail the step with a readable detail. */
    static final class StepFailure extends Exception {
        StepFailure(String detail) {
            super(detail);
        }
    }

    /** The body of a step: returns the PASS detail, throws {@link StepFailure} (or anything) to fail. */
    interface StepBody {
        String run() throws Exception;
    }

    final String sdkId;
    final String run;
    final String addr;
    final String group;

    private final PrintStream results;
    private final long startNanos = System.nanoTime();
    private final long budgetMs;
    private final ExecutorService pool;
    private int passed;
    private int failed;

    private Harness(String sdkId, String run, String addr, String group, long budgetMs) {
        this.sdkId = sdkId;
        this.run = run;
        this.addr = addr;
        this.group = group;
        this.budgetMs = budgetMs;
        this.results = System.out;
        System.setOut(System.err);
        final AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "compat-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static Harness fromEnv() {
        String id = env("COMPAT_SDK_ID", "java");
        String run = env("COMPAT_RUN", Long.toString(System.currentTimeMillis() % 100000L));
        String addr = env("NACOS_ADDR", "127.0.0.1:8848");
        String group = env("COMPAT_GROUP", "COMPAT_GROUP");
        long budget = Long.parseLong(env("COMPAT_BUDGET_MS", "50000"));
        return new Harness(id, run, addr, group, budget);
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.trim().isEmpty() ? dflt : v.trim();
    }

    /** {@code <prefix>-<id>-<run>}, the naming rule of the contract. */
    String name(String prefix) {
        return prefix + "-" + sdkId + "-" + run;
    }

    /** Client properties for this server; {@code namespace == null} keeps the SDK's default. */
    Properties clientProps(String namespace) {
        Properties p = new Properties();
        p.setProperty("serverAddr", addr);
        if (namespace != null) {
            p.setProperty("namespace", namespace);
        }
        String user = System.getenv("NACOS_USER");
        if (user != null && !user.isEmpty()) {
            p.setProperty("username", user);
            p.setProperty("password", env("NACOS_PASS", ""));
        }
        return p;
    }

    long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    long remainingMs() {
        return budgetMs - elapsedMs();
    }

    /** Runs one step with a hard limit of {@code limitMs} (capped by the global budget). Never throws. */
    void step(String step, long limitMs, StepBody body) {
        long remaining = remainingMs();
        if (remaining <= 0) {
            report(step, false, 0, "not run: global budget of " + budgetMs + " ms spent");
            return;
        }
        long limit = Math.min(limitMs, remaining);
        long t0 = System.nanoTime();
        Future<String> f = pool.submit((Callable<String>) body::run);
        boolean ok;
        String detail;
        try {
            detail = f.get(limit, TimeUnit.MILLISECONDS);
            ok = true;
        } catch (TimeoutException e) {
            f.cancel(true);
            ok = false;
            detail = "timed out after " + limit + " ms";
        } catch (ExecutionException e) {
            ok = false;
            Throwable c = e.getCause();
            detail = c instanceof StepFailure ? c.getMessage() : describe(c);
            if (!(c instanceof StepFailure)) {
                System.err.println("[compat] " + step + " threw:");
                c.printStackTrace(System.err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
            detail = "interrupted";
        }
        report(step, ok, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), detail);
    }

    private synchronized void report(String step, boolean ok, long ms, String detail) {
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        results.println("RESULT " + sdkId + " " + step + " " + (ok ? "PASS" : "FAIL") + " " + ms + " "
                + oneLine(detail == null || detail.isEmpty() ? "-" : detail));
        results.flush();
        System.err.println("[compat] " + step + " " + (ok ? "PASS" : "FAIL") + " (" + ms + " ms) " + detail);
    }

    /** Runs {@code action} (a client shutDown) with a bound; logs but never throws. */
    void bounded(String what, long limitMs, ThrowingRunnable action) {
        Future<?> f = pool.submit(() -> {
            action.run();
            return null;
        });
        try {
            f.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            System.err.println("[compat] " + what + " did not finish within " + limitMs + " ms");
        } catch (ExecutionException e) {
            System.err.println("[compat] " + what + " failed: " + describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    int passed() {
        return passed;
    }

    int failed() {
        return failed;
    }

    // ---- helpers for step bodies ----

    static void check(boolean cond, String failDetail) throws StepFailure {
        if (!cond) {
            throw new StepFailure(failDetail);
        }
    }

    static StepFailure fail(String detail) {
        return new StepFailure(detail);
    }

    /** A value for a detail: null stays null, strings are quoted and shortened. */
    static String q(Object v) {
        if (v == null) {
            return "null";
        }
        String s = String.valueOf(v);
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        return "\"" + s + "\"";
    }

    /** Exception class, message and cause chain on one line (NacosException carries errCode). */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        while (t != null && depth < 4) {
            if (depth > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(t.getClass().getName());
            Integer code = errCode(t);
            if (code != null) {
                sb.append("[errCode=").append(code).append(']');
            }
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
            depth++;
        }
        return sb.toString();
    }

    private static Integer errCode(Throwable t) {
        try {
            Object v = t.getClass().getMethod("getErrCode").invoke(t);
            return v instanceof Integer ? (Integer) v : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String oneLine(String s) {
        String r = s.replace('\r', ' ').replace('\n', ' ').replace('\t', ' ');
        if (r.length() > 600) {
            r = r.substring(0, 597) + "...";
        }
        return r;
    }
}
