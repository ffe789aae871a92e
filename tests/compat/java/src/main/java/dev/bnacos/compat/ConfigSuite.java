package dev.bnacos.compat;

import static dev.bnacos.compat.Harness.check;
import static dev.bnacos.compat.Harness.fail;
import static dev.bnacos.compat.Harness.q;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.AbstractListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Config steps C1–C6 of the contract, written against the ConfigService API that 2.5.x and 3.x share.
 *
 * <p>{@code main} uses the SDK's default namespace (Java 2.x sends tenant "", 3.x sends "public");
 * {@code pub} is a second service created with {@code namespace=public}, for C6.
 */
final class ConfigSuite implements Suite {

    private static final long GET_TIMEOUT_MS = 3000;
    /** How long the contract lets a listener registration settle before publishing. */
    private static final long LISTEN_SETTLE_MS = 1000;
    /** How long after a publish the listener must have been called. */
    private static final long NOTIFY_WITHIN_MS = 2000;

    private ConfigService main;
    private ConfigService pub;
    private Throwable mainError;
    private Throwable pubError;

    @Override
    public String name() {
        return "config";
    }

    @Override
    public void run(Harness h) {
        try {
            main = NacosFactory.createConfigService(h.clientProps(null));
        } catch (Throwable t) {
            mainError = t;
        }
        final String dataId = h.name("conf");
        final String missing = h.name("missing");
        final String eqId = h.name("eq");
        final String group = h.group;

        h.step("C1", 15000, () -> {
            boolean ok = main().publishConfig(dataId, group, "v1");
            check(ok, "publishConfig(" + dataId + ", " + group + ", v1) returned false" + Probe.status(main()));
            return "published " + dataId + " (tenant " + q(Probe.tenant(main())) + ")";
        });

        h.step("C2", 6000, () -> {
            String got = main().getConfig(dataId, group, GET_TIMEOUT_MS);
            check("v1".equals(got), "getConfig expected \"v1\", got " + q(got));
            return "got \"v1\"";
        });

        h.step("C3", 6000, () -> {
            String got = main().getConfig(missing, group, GET_TIMEOUT_MS);
            check(got == null, "getConfig of a missing dataId expected null, got " + q(got));
            return "null" + Probe.expectNotFound(main(), missing, group, GET_TIMEOUT_MS);
        });

        h.step("C4", 10000, () -> {
            ConfigService cs = main();
            QueueListener l = new QueueListener();
            cs.addListener(dataId, group, l);
            try {
                Thread.sleep(LISTEN_SETTLE_MS);
                List<String> before = l.drain();
                boolean ok = cs.publishConfig(dataId, group, "v2");
                check(ok, "publishConfig(v2) returned false" + Probe.status(cs));
                return l.expect("v2", NOTIFY_WITHIN_MS, "listener on the default namespace", before);
            } finally {
                cs.removeListener(dataId, group, l);
            }
        });

        h.step("C5", 10000, () -> {
            ConfigService cs = main();
            boolean removed = cs.removeConfig(dataId, group);
            check(removed, "removeConfig returned false" + Probe.status(cs));
            String got = cs.getConfig(dataId, group, GET_TIMEOUT_MS);
            check(got == null, "removeConfig returned true but getConfig then returned " + q(got)
                    + " (expected null; a non-null value can also come from the local snapshot when the query failed)");
            return "removed, then null" + Probe.expectNotFound(cs, dataId, group, GET_TIMEOUT_MS);
        });

        try {
            pub = NacosFactory.createConfigService(h.clientProps("public"));
        } catch (Throwable t) {
            pubError = t;
        }

        h.step("C6", 18000, () -> c6(eqId, group));
    }

    /**
     * ""/public equivalence, both directions, for reads and for listener pushes.
     * "default" is the service without a namespace property, "public" the one with namespace=public.
     */
    private String c6(String eqId, String group) throws Exception {
        ConfigService def = main();
        ConfigService pubCs = pub();
        List<String> problems = new ArrayList<>();
        QueueListener onDef = new QueueListener();
        QueueListener onPub = new QueueListener();
        try {
            // reads: publish with one spelling, read with the other
            check(pubCs.publishConfig(eqId, group, "p1"), "publishConfig via namespace=public returned false" + Probe.status(pubCs));
            String got = def.getConfig(eqId, group, GET_TIMEOUT_MS);
            if (!"p1".equals(got)) {
                problems.add("published \"p1\" via namespace=public, default-namespace read got " + q(got));
            }
            check(def.publishConfig(eqId, group, "p2"), "publishConfig via the default namespace returned false" + Probe.status(def));
            got = pubCs.getConfig(eqId, group, GET_TIMEOUT_MS);
            if (!"p2".equals(got)) {
                problems.add("published \"p2\" via the default namespace, namespace=public read got " + q(got));
            }

            // listeners: one per spelling; then publish with each spelling in turn
            def.addListener(eqId, group, onDef);
            pubCs.addListener(eqId, group, onPub);
            Thread.sleep(LISTEN_SETTLE_MS);

            List<String> beforeDef = onDef.drain();
            onPub.drain();
            check(pubCs.publishConfig(eqId, group, "p3"), "publishConfig(p3) via namespace=public returned false" + Probe.status(pubCs));
            try {
                onDef.expect("p3", NOTIFY_WITHIN_MS, "default-namespace listener after a namespace=public publish",
                        beforeDef);
            } catch (Harness.StepFailure e) {
                problems.add(e.getMessage());
            }

            List<String> beforePub = onPub.drain();
            onDef.drain();
            check(def.publishConfig(eqId, group, "p4"), "publishConfig(p4) via the default namespace returned false" + Probe.status(def));
            try {
                onPub.expect("p4", NOTIFY_WITHIN_MS, "namespace=public listener after a default-namespace publish",
                        beforePub);
            } catch (Harness.StepFailure e) {
                problems.add(e.getMessage());
            }
        } finally {
            safe(() -> def.removeListener(eqId, group, onDef));
            safe(() -> pubCs.removeListener(eqId, group, onPub));
            safe(() -> def.removeConfig(eqId, group));
        }
        if (!problems.isEmpty()) {
            throw fail("tenants " + q(Probe.tenant(def)) + " (default) and " + q(Probe.tenant(pubCs))
                    + " (namespace=public): " + String.join("; ", problems));
        }
        String td = Probe.tenant(def);
        String tp = Probe.tenant(pubCs);
        return "tenants " + q(td) + " and " + q(tp) + ": reads match both ways, both listeners notified across spellings"
                + (td != null && td.equals(tp) ? " (this SDK sends the same tenant for both, so the crossing is trivial here)" : "");
    }

    private ConfigService main() throws Harness.StepFailure {
        if (main == null) {
            throw fail("createConfigService failed: " + Harness.describe(mainError));
        }
        return main;
    }

    private ConfigService pub() throws Harness.StepFailure {
        if (pub == null) {
            throw fail("createConfigService(namespace=public) failed: " + Harness.describe(pubError));
        }
        return pub;
    }

    private static void safe(Harness.ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            System.err.println("[compat] cleanup failed: " + Harness.describe(e));
        }
    }

    @Override
    public void close(Harness h) {
        if (pub != null) {
            h.bounded("config(namespace=public).shutDown", 5000, pub::shutDown);
        }
        if (main != null) {
            h.bounded("config(default).shutDown", 5000, main::shutDown);
        }
    }

    /** Records every content the SDK delivers (null as the marker below), in order. */
    static final class QueueListener extends AbstractListener {
        private static final String NULL = "\u0000null";
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void receiveConfigInfo(String configInfo) {
            queue.offer(configInfo == null ? NULL : configInfo);
        }

        /** Takes what was delivered so far, for the detail ("earlier" callbacks are not failures). */
        List<String> drain() {
            List<String> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        /** Waits until {@code want} is delivered; returns a PASS detail or throws a StepFailure. */
        String expect(String want, long withinMs, String who, List<String> earlier)
                throws Harness.StepFailure, InterruptedException {
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(withinMs);
            List<String> seen = new ArrayList<>();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                String v = queue.poll(left, TimeUnit.NANOSECONDS);
                if (v == null) {
                    break;
                }
                if (want.equals(v)) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    return "listener got " + q(want) + " " + ms + " ms after publish" + extra(earlier, seen);
                }
                seen.add(v);
            }
            throw fail(who + " did not get " + q(want) + " within " + withinMs + " ms" + extra(earlier, seen));
        }

        private static String extra(List<String> earlier, List<String> seen) {
            StringBuilder sb = new StringBuilder();
            if (!earlier.isEmpty()) {
                sb.append(" (before publish: ").append(show(earlier)).append(')');
            }
            if (!seen.isEmpty()) {
                sb.append(" (other callbacks: ").append(show(seen)).append(')');
            }
            return sb.toString();
        }

        private static String show(List<String> vs) {
            List<String> out = new ArrayList<>();
            for (String v : vs) {
                out.add(NULL.equals(v) ? "null" : q(v));
            }
            return out.toString();
        }
    }
}
