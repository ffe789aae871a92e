package dev.bnacos.compat;

import static dev.bnacos.compat.Harness.check;
import static dev.bnacos.compat.Harness.fail;
import static dev.bnacos.compat.Harness.q;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.Event;
import com.alibaba.nacos.api.naming.listener.EventListener;
import com.alibaba.nacos.api.naming.listener.NamingEvent;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.alibaba.nacos.api.naming.pojo.ListView;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Naming steps N1–N6 of the contract, written against the NamingService API that 2.5.x and 3.x share.
 *
 * <p>Three NamingService objects, hence three gRPC connections: {@code sub} subscribes (and makes the
 * queries of N4 and the persistent registration of N6), {@code c1} registers A, {@code c2} registers B.
 * Instances are compared as sets of {@code ip:port}.
 */
final class NamingSuite implements Suite {

    private static final String A = "10.1.0.1:8080";
    private static final String B = "10.1.0.2:8080";
    private static final String C = "127.0.0.3:8080";
    private static final int PORT = 8080;
    /** How long the contract lets a change take to reach the subscriber. */
    private static final long EVENT_WITHIN_MS = 10000;
    /** How long N6 polls for its read-after-write (a single-node server answers at once). */
    private static final long READ_BACK_MS = 3000;

    private final Events events = new Events();
    private volatile NamingService sub;
    private volatile NamingService c1;
    private volatile NamingService c2;
    private volatile boolean c1Closed;
    private volatile Throwable subError;

    @Override
    public String name() {
        return "naming";
    }

    @Override
    public void run(Harness h) {
        final String svc = h.name("svc");
        // N6 needs a service of its own: a service is either ephemeral or persistent.
        final String psvc = h.name("psvc");
        final String group = h.group;

        h.step("N1", 15000, () -> {
            try {
                sub = NacosFactory.createNamingService(h.clientProps(null));
            } catch (Throwable t) {
                subError = t;
                throw t;
            }
            sub.subscribe(svc, group, events);
            return "subscribed to " + group + "@@" + svc + " (namespace " + q(namespace(sub)) + ", client status "
                    + sub.getServerStatus() + ")";
        });

        h.step("N2", 25000, () -> {
            NamingService s = sub();
            long tc = System.nanoTime();
            c1 = NacosFactory.createNamingService(h.clientProps(null));
            c2 = NacosFactory.createNamingService(h.clientProps(null));
            long createMs = msSince(tc);
            List<Ev> before = events.drain();
            long t0 = System.nanoTime();
            c1.registerInstance(svc, group, "10.1.0.1", PORT);
            c2.registerInstance(svc, group, "10.1.0.2", PORT);
            long regMs = msSince(t0);
            String got = events.expect(set(A, B), "with exactly " + set(A, B), t0, EVENT_WITHIN_MS, before,
                    () -> serverView(s, svc, group));
            return got + " (both registrations returned after " + regMs + " ms; two clients connected in " + createMs
                    + " ms)";
        });

        h.step("N3", 15000, () -> {
            NamingService s = sub();
            NamingService b = client(c2, "client 2");
            List<Ev> before = events.drain();
            long t0 = System.nanoTime();
            b.deregisterInstance(svc, group, "10.1.0.2", PORT);
            return events.expect(set(A), "with exactly " + set(A), t0, EVENT_WITHIN_MS, before,
                    () -> serverView(s, svc, group));
        });

        h.step("N4", 12000, () -> {
            NamingService s = sub();
            List<String> problems = new ArrayList<>();
            // subscribe=false: a ServiceQueryRequest to the server, not the subscriber's cache
            List<Instance> all = s.getAllInstances(svc, group, false);
            if (!set(A).equals(hosts(all))) {
                problems.add("getAllInstances(subscribe=false) expected " + set(A) + ", got " + show(all));
            }
            List<Instance> healthy = s.selectInstances(svc, group, true, false);
            if (!set(A).equals(hosts(healthy))) {
                problems.add("selectInstances(healthy=true, subscribe=false) expected " + set(A) + ", got "
                        + show(healthy));
            }
            // subscribe=true: what the subscriber's pushed cache holds
            List<Instance> cached = s.getAllInstances(svc, group);
            if (!set(A).equals(hosts(cached))) {
                problems.add("getAllInstances (subscriber cache) expected " + set(A) + ", got " + show(cached));
            }
            ListView<String> page = s.getServicesOfServer(1, 1000, group);
            List<String> names = page == null || page.getData() == null ? Collections.<String>emptyList()
                    : page.getData();
            if (!names.contains(svc)) {
                problems.add("getServicesOfServer(1, 1000, " + group + ") does not list " + q(svc) + ": count="
                        + (page == null ? "null page" : page.getCount()) + " names=" + names);
            }
            if (!problems.isEmpty()) {
                throw fail(String.join("; ", problems));
            }
            return "getAllInstances and selectInstances(healthy) from the server and the cache: " + set(A)
                    + "; getServicesOfServer lists it (count " + page.getCount() + ", " + names.size()
                    + " names on the page)";
        });

        h.step("N5", 18000, () -> {
            NamingService s = sub();
            NamingService a = client(c1, "client 1");
            // precondition, from the subscriber's cache (no request): A must be there to disappear
            List<Instance> cached = s.getAllInstances(svc, group);
            check(hosts(cached).contains(A), "precondition failed: the subscriber's cache does not hold A before "
                    + "client 1 dies (see N2/N3): " + show(cached));
            List<Ev> before = events.drain();
            long t0 = System.nanoTime();
            // NamingService.shutDown closes the gRPC connection without deregistering anything first
            c1Closed = true;
            a.shutDown();
            long shutMs = msSince(t0);
            long dead = System.nanoTime();
            String got = events.expect(hs -> !hs.contains(A), "without " + A, dead, EVENT_WITHIN_MS, before,
                    () -> serverView(s, svc, group));
            Ev last = events.lastMatched;
            check(last != null && last.hosts.isEmpty(), "A disappeared, but the event is not empty: "
                    + (last == null ? "?" : last.hosts.toString()));
            return got + " (counted from the end of shutDown, which took " + shutMs + " ms)";
        });

        h.step("N6", 15000, () -> {
            NamingService s = sub();
            Instance c = new Instance();
            c.setIp("127.0.0.3");
            c.setPort(PORT);
            c.setEphemeral(false);
            c.setWeight(1.0);
            c.setHealthy(true);
            c.setEnabled(true);
            String path = persistentPath(s);
            boolean registered = false;
            try {
                s.registerInstance(psvc, group, c);
                registered = true;
                long t0 = System.nanoTime();
                List<Instance> got = s.getAllInstances(psvc, group, false);
                int reads = 1;
                while (!hosts(got).contains(C) && msSince(t0) < READ_BACK_MS) {
                    Thread.sleep(200);
                    got = s.getAllInstances(psvc, group, false);
                    reads++;
                }
                String readNote = reads == 1 ? " on the first read" : " only after " + msSince(t0) + " ms of polling";
                check(set(C).equals(hosts(got)), "after registerInstance(" + psvc + ", ephemeral=false) via " + path
                        + ", getAllInstances(subscribe=false) expected " + set(C) + " within " + READ_BACK_MS
                        + " ms, got " + show(got));
                Instance back = got.get(0);
                check(!back.isEphemeral(), "C read back with ephemeral=" + back.isEphemeral() + " (registered via "
                        + path + "): " + show(got));

                s.deregisterInstance(psvc, group, c);
                registered = false;
                long t1 = System.nanoTime();
                List<Instance> after = s.getAllInstances(psvc, group, false);
                int reads2 = 1;
                while (hosts(after).contains(C) && msSince(t1) < READ_BACK_MS) {
                    Thread.sleep(200);
                    after = s.getAllInstances(psvc, group, false);
                    reads2++;
                }
                String goneNote = reads2 == 1 ? " on the first read" : " only after " + msSince(t1) + " ms of polling";
                check(!hosts(after).contains(C), "after deregisterInstance(" + psvc + ", ephemeral=false) via " + path
                        + ", getAllInstances(subscribe=false) still has C after " + READ_BACK_MS + " ms: "
                        + show(after));
                return "registered via " + path + "; read back " + show(got) + readNote + "; deregistered, then "
                        + show(after) + goneNote;
            } finally {
                if (registered) {
                    safe(() -> s.deregisterInstance(psvc, group, c));
                }
            }
        });
    }

    @Override
    public void close(Harness h) {
        if (c2 != null) {
            h.bounded("naming(client 2).shutDown", 5000, c2::shutDown);
        }
        if (c1 != null && !c1Closed) {
            h.bounded("naming(client 1).shutDown", 5000, c1::shutDown);
        }
        if (sub != null) {
            h.bounded("naming(subscriber).shutDown", 5000, sub::shutDown);
        }
    }

    private NamingService sub() throws Harness.StepFailure {
        if (sub == null) {
            throw fail("no subscriber: createNamingService failed in N1"
                    + (subError == null ? "" : ": " + Harness.describe(subError)));
        }
        return sub;
    }

    private static NamingService client(NamingService ns, String who) throws Harness.StepFailure {
        if (ns == null) {
            throw fail("no " + who + ": createNamingService failed in N2");
        }
        return ns;
    }

    // ---- helpers ----

    static Set<String> set(String... hosts) {
        return new TreeSet<>(Arrays.asList(hosts));
    }

    static Set<String> hosts(List<Instance> list) {
        Set<String> out = new TreeSet<>();
        if (list != null) {
            for (Instance i : list) {
                out.add(i.getIp() + ":" + i.getPort());
            }
        }
        return out;
    }

    /** Instances with the fields that matter here, for details. */
    static String show(List<Instance> list) {
        if (list == null) {
            return "null";
        }
        List<String> out = new ArrayList<>();
        for (Instance i : list) {
            out.add(i.getIp() + ":" + i.getPort() + "{cluster=" + i.getClusterName() + ", ephemeral="
                    + i.isEphemeral() + ", healthy=" + i.isHealthy() + ", enabled=" + i.isEnabled() + ", weight="
                    + i.getWeight() + "}");
        }
        return out.toString();
    }

    static long msSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** What a direct server query says, to tell "not stored" from "not pushed" in a failure detail. */
    private static String serverView(NamingService s, String svc, String group) {
        try {
            return "a direct query (getAllInstances subscribe=false) returns " + hosts(s.getAllInstances(svc, group, false));
        } catch (Throwable t) {
            return "a direct query (getAllInstances subscribe=false) failed: " + Harness.describe(t);
        }
    }

    /** The naming namespace the client puts on the wire, or null. */
    private static String namespace(NamingService ns) {
        try {
            Field f = ns.getClass().getDeclaredField("namespace");
            f.setAccessible(true);
            Object v = f.get(ns);
            return v == null ? null : String.valueOf(v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Which path the client takes for a persistent instance: gRPC PersistentInstanceRequest when the server
     * advertised the ability in SetupAckRequest, else HTTP /nacos/v1/ns/instance.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String persistentPath(NamingService ns) {
        try {
            Field f = ns.getClass().getDeclaredField("clientProxy");
            f.setAccessible(true);
            Object delegate = f.get(ns);
            Field g = delegate.getClass().getDeclaredField("grpcClientProxy");
            g.setAccessible(true);
            Object grpc = g.get(delegate);
            Class ak = Class.forName("com.alibaba.nacos.api.ability.constant.AbilityKey");
            Object key = null;
            // the constant is named differently in 2.5.x and 3.x
            for (String n : new String[] {"SERVER_SUPPORT_PERSISTENT_INSTANCE_BY_GRPC",
                    "SERVER_PERSISTENT_INSTANCE_BY_GRPC"}) {
                try {
                    key = Enum.valueOf(ak, n);
                    break;
                } catch (IllegalArgumentException ignored) {
                    // try the other spelling
                }
            }
            if (key == null) {
                return "(path unknown)";
            }
            Method m = grpc.getClass().getMethod("isAbilitySupportedByServer", ak);
            boolean byGrpc = Boolean.TRUE.equals(m.invoke(grpc, key));
            return byGrpc ? "gRPC PersistentInstanceRequest" : "HTTP /nacos/v1/ns/instance";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "(path unknown)";
        }
    }

    private static void safe(Harness.ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            System.err.println("[compat] cleanup failed: " + Harness.describe(e));
        }
    }

    /** One delivered event: the set of ip:port, when it arrived. */
    static final class Ev {
        final long atNanos;
        final Set<String> hosts;
        final String other;

        Ev(Set<String> hosts, String other) {
            this.atNanos = System.nanoTime();
            this.hosts = hosts;
            this.other = other;
        }

        @Override
        public String toString() {
            return other != null ? other : hosts.toString();
        }
    }

    interface Diagnosis {
        String get();
    }

    /** The subscriber's listener: records every NamingEvent as an ip:port set, in order. */
    static final class Events implements EventListener {
        private final BlockingQueue<Ev> queue = new LinkedBlockingQueue<>();
        volatile Ev lastMatched;

        @Override
        public void onEvent(Event event) {
            if (event instanceof NamingEvent) {
                queue.offer(new Ev(hosts(((NamingEvent) event).getInstances()), null));
            } else {
                queue.offer(new Ev(Collections.<String>emptySet(),
                        "non-NamingEvent " + (event == null ? "null" : event.getClass().getName())));
            }
        }

        List<Ev> drain() {
            List<Ev> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        String expect(Set<String> want, String what, long t0, long withinMs, List<Ev> earlier, Diagnosis diag)
                throws Harness.StepFailure, InterruptedException {
            return expect(hs -> hs.equals(want), what, t0, withinMs, earlier, diag);
        }

        /**
         * Waits until an event whose host set satisfies {@code match} arrives, at most {@code withinMs}
         * after {@code t0}. Events that do not match (including empty ones) are not failures, only noted.
         */
        String expect(Predicate<Set<String>> match, String what, long t0, long withinMs, List<Ev> earlier,
                Diagnosis diag) throws Harness.StepFailure, InterruptedException {
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(withinMs);
            List<Ev> seen = new ArrayList<>();
            lastMatched = null;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Ev e = queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    break;
                }
                if (e.other == null && match.test(e.hosts)) {
                    lastMatched = e;
                    long ms = TimeUnit.NANOSECONDS.toMillis(e.atNanos - t0);
                    return "subscriber got " + e.hosts + " " + ms + " ms after the change" + extra(earlier, seen);
                }
                seen.add(e);
            }
            throw fail("the subscriber got no event " + what + " within " + withinMs + " ms"
                    + extra(earlier, seen) + "; " + diag.get());
        }

        private static String extra(List<Ev> earlier, List<Ev> seen) {
            StringBuilder sb = new StringBuilder();
            if (!earlier.isEmpty()) {
                sb.append(" (events before the change: ").append(earlier).append(')');
            }
            if (!seen.isEmpty()) {
                sb.append(" (other events: ").append(seen).append(')');
            }
            return sb.toString();
        }
    }
}
