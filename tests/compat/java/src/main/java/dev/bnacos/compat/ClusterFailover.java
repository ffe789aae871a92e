package dev.bnacos.compat;

import static dev.bnacos.compat.Harness.check;
import static dev.bnacos.compat.Harness.fail;
import static dev.bnacos.compat.Harness.q;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.AbstractListener;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.pojo.Instance;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Cluster failover scenario (issue 8), run by tests/compat/cluster.ts against three bnacos nodes sharing one
 * database. NACOS_ADDR lists all three HTTP addresses, comma-separated.
 *
 * <p>Coordination with the driver over stdin/stdout:
 * <ol>
 *   <li>F1 (setup through one ConfigService and one NamingService, both connected over gRPC to the same node),
 *   then the scenario prints {@code CLUSTER CONNECTED <ip:httpPort>} and waits for a line on stdin;</li>
 *   <li>the driver kill -9's that node and answers {@code KILLED <ip:httpPort>} (or {@code ABORT});</li>
 *   <li>F2–F5 check the failover (see tests/compat/CONTRACT.md, "Cluster pass").</li>
 * </ol>
 * RESULT lines use the plain SDK id; the driver records them as {@code cluster:<id>}.
 */
public final class ClusterFailover {

    private static final long FAILOVER_WITHIN_MS = Long.parseLong(Harness.env("COMPAT_FAILOVER_MS", "30000"));
    private static final long VISIBLE_WITHIN_MS = 20000;
    /** When the survivors have surely dropped the dead node's clients: 15 s of silence + a 5 s check round + 1 s. */
    private static final long EXPIRED_AFTER_MS = 21000;
    private static final long NOTIFY_WITHIN_MS = 10000;
    private static final long WAIT_KILL_MS = 30000;
    private static final String IP = "10.9.0.1";
    private static final int PORT = 8080;

    private final Harness h;
    private final PrintStream out;
    private final List<String> nodes = new ArrayList<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private ConfigService config;
    private NamingService naming;
    private volatile String killed;

    private ClusterFailover(Harness h, PrintStream out) {
        this.h = h;
        this.out = out;
        for (String a : h.addr.split(",")) {
            if (!a.trim().isEmpty()) {
                nodes.add(a.trim());
            }
        }
    }

    public static void main(String[] args) {
        // Harness keeps the real stdout for RESULT lines and points System.out at stderr; keep a handle for the
        // CLUSTER line too.
        PrintStream out = System.out;
        Harness h = Harness.fromEnv();
        Thread wd = new Thread(() -> {
            try {
                Thread.sleep(h.remainingMs() + 8000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("[compat] watchdog: still running after " + h.elapsedMs() + " ms, halting");
            Runtime.getRuntime().halt(0);
        }, "compat-watchdog");
        wd.setDaemon(true);
        wd.start();
        System.err.println("[compat] cluster " + h.sdkId + " run=" + h.run + " addr=" + h.addr);
        try {
            new ClusterFailover(h, out).run();
        } catch (Throwable t) {
            System.err.println("[compat] cluster scenario aborted: " + Harness.describe(t));
        }
        System.err.println("[compat] done in " + h.elapsedMs() + " ms: " + h.passed() + " passed, " + h.failed()
                + " failed");
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }

    private void run() throws Exception {
        final String dataId = h.name("fconf");
        final String svc = h.name("fsvc");
        final String group = h.group;
        final String[] connected = new String[1];

        h.step("F1", 40000, () -> {
            check(nodes.size() == 3, "NACOS_ADDR must list three nodes, got " + q(h.addr));
            config = NacosFactory.createConfigService(h.clientProps(null));
            // the config RpcClient is created by the first request
            check(config.publishConfig(dataId, group, "f1"), "publishConfig(" + dataId + ", f1) returned false"
                    + Probe.status(config));
            String cfgNode = awaitServer(config(), null, 10000);
            check(cfgNode != null, "the config client did not connect to any node within 10 s: " + servers());
            // The SDK picks a random node per connection: recreate the naming client until it shares the config
            // client's node, so killing that node makes both fail over.
            // 1/3 per attempt: 60 attempts miss with probability (2/3)^60 (12 missed once in CI, 0.8%).
            int attempts = 0;
            String namNode = null;
            Map<String, Integer> landed = new TreeMap<>();
            while (attempts < 60) {
                attempts++;
                NamingService n = NacosFactory.createNamingService(h.clientProps(null));
                String at = awaitNamingServer(n, 10000);
                landed.merge(String.valueOf(at), 1, Integer::sum);
                if (cfgNode.equals(at)) {
                    naming = n;
                    namNode = at;
                    break;
                }
                h.bounded("naming shutDown", 5000, n::shutDown);
            }
            check(naming != null, "could not get a naming connection to " + cfgNode + " in " + attempts
                    + " attempts (naming clients landed on " + landed + "): " + servers());
            Probe.Query r = Probe.serverQuery(config, dataId, group, 3000);
            check(r.error == null && (!r.available || "f1".equals(r.content)),
                    "read back after publish: " + (r.error != null ? Harness.describe(r.error) : q(r.content)));
            config.addListener(dataId, group, new AbstractListener() {
                @Override
                public void receiveConfigInfo(String content) {
                    System.err.println("[compat] listener got " + q(content));
                    received.add(content == null ? "<null>" : content);
                }
            });
            naming.registerInstance(svc, group, instance());
            naming.subscribe(svc, group, e -> { });
            // the listener registration settles, and the instance is on the connected node
            Thread.sleep(1000);
            String seen = waitListed(cfgNode, svc, group, 5000);
            check(seen == null, "instance not listed on " + cfgNode + ": " + seen);
            connected[0] = cfgNode;
            return "config and naming connected to " + cfgNode + " (naming after " + attempts
                    + " attempt(s), landing on " + landed + "); published, listening, registered " + IP + ":" + PORT;
        });
        if (connected[0] == null) {
            out.println("CLUSTER ABORT");
            out.flush();
            return;
        }

        // hand over to the driver: it kills that node and tells us
        out.println("CLUSTER CONNECTED " + connected[0]);
        out.flush();
        String line = readLine(WAIT_KILL_MS);
        if (line == null || !line.startsWith("KILLED ")) {
            System.err.println("[compat] driver did not kill the node: " + q(line));
            for (String s : new String[] {"F2", "F3", "F4", "F5"}) {
                h.step(s, 1000, () -> {
                    throw fail("not run: the driver did not report the kill of " + connected[0] + " (got "
                            + q(line) + ")");
                });
            }
            return;
        }
        killed = line.substring("KILLED ".length()).trim();
        final long killedAt = System.nanoTime();
        final List<String> survivors = new ArrayList<>(nodes);
        survivors.remove(killed);
        final String[] now = new String[1];

        h.step("F2", FAILOVER_WITHIN_MS + 2000, () -> {
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(FAILOVER_WITHIN_MS);
            String c = null;
            String n = null;
            while (System.nanoTime() < deadline) {
                c = currentServer(config());
                n = namingServer(naming);
                if (c != null && n != null && !c.equals(killed) && !n.equals(killed) && survivors.contains(c)
                        && survivors.contains(n) && running(config()) && running(naming)) {
                    now[0] = c;
                    return "config client on " + c + ", naming client on " + n + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms";
                }
                Thread.sleep(100);
            }
            throw fail("not reconnected to a surviving node " + survivors + " within " + FAILOVER_WITHIN_MS
                    + " ms: " + servers());
        });

        h.step("F3", 15000, () -> {
            // read, publish, and the other survivors' view: every problem is reported, not only the first
            List<String> problems = new ArrayList<>();
            String on = currentServer(config());
            Probe.Query r = Probe.serverQuery(config(), dataId, group, 3000);
            String read = r.available ? r.content : config().getConfig(dataId, group, 3000);
            if (r.error != null) {
                problems.add("read after failover failed: " + Harness.describe(r.error));
            } else if (!"f1".equals(read)) {
                problems.add("read after failover returned " + q(read) + ", expected \"f1\"");
            }
            boolean published = false;
            try {
                published = config().publishConfig(dataId, group, "f3");
                if (!published) {
                    problems.add("publishConfig(f3) after failover returned false" + Probe.status(config()));
                }
            } catch (Exception e) {
                problems.add("publishConfig(f3) after failover threw " + Harness.describe(e));
            }
            StringBuilder seen = new StringBuilder();
            if (published) {
                // every survivor serves the new value (shared database)
                for (String node : survivors) {
                    long t0 = System.nanoTime();
                    String got = null;
                    while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(5000)) {
                        got = httpGet(node, "/nacos/v1/cs/configs?dataId=" + enc(dataId) + "&group=" + enc(group));
                        if ("f3".equals(got)) {
                            break;
                        }
                        Thread.sleep(100);
                    }
                    if ("f3".equals(got)) {
                        seen.append("; ").append(node).append(" serves f3");
                    } else {
                        problems.add("HTTP GET on " + node + " returned " + q(got) + " 5 s after the publish, expected \"f3\"");
                    }
                }
            }
            check(problems.isEmpty(), "client on " + on + ": " + String.join("; ", problems));
            return "read f1, published f3 through " + on + seen;
        });

        h.step("F4", VISIBLE_WITHIN_MS + EXPIRED_AFTER_MS + 10000, () -> {
            // Every survivor lists the instance. At first that may be the dead node's copy, which the survivors
            // keep until it has been silent for 15 s; so the check is repeated once that copy has surely expired
            // (EXPIRED_AFTER_MS after the kill): then only the SDK's re-registration on its new node can show it.
            List<String> where = survivors;
            long t0 = System.nanoTime();
            Map<String, String> missing = new TreeMap<>();
            Map<String, Long> seenAt = new TreeMap<>();
            while (true) {
                missing.clear();
                for (String node : where) {
                    if (seenAt.containsKey(node)) {
                        continue;
                    }
                    String err = waitListed(node, svc, group, 0);
                    if (err == null) {
                        seenAt.put(node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    } else {
                        missing.put(node, err);
                    }
                }
                if (missing.isEmpty() || System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(VISIBLE_WITHIN_MS)) {
                    break;
                }
                Thread.sleep(200);
            }
            check(missing.isEmpty(), "instance " + IP + ":" + PORT + " (naming client on " + namingServer(naming)
                    + ") not listed within " + VISIBLE_WITHIN_MS + " ms on " + missing + "; listed on " + seenAt.keySet());
            long wait = EXPIRED_AFTER_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            if (wait > 0) {
                Thread.sleep(wait);
            }
            Map<String, String> gone = new TreeMap<>();
            for (String node : survivors) {
                String err = waitListed(node, svc, group, 3000);
                if (err != null) {
                    gone.put(node, err);
                }
            }
            check(gone.isEmpty(), "listed on " + seenAt + " at first, but " + EXPIRED_AFTER_MS / 1000
                    + " s after the kill (the dead node's copy expired) not on " + gone + " (naming client on "
                    + namingServer(naming) + ")");
            return "listed on " + seenAt + " (ms after F3), and still on " + survivors + " " + EXPIRED_AFTER_MS / 1000
                    + " s after the kill; naming client on " + namingServer(naming);
        });

        h.step("F5", NOTIFY_WITHIN_MS + 5000, () -> {
            String on = currentServer(config());
            // publish on the survivor the client is NOT connected to: the change must cross nodes
            String other = null;
            for (String s : survivors) {
                if (!s.equals(on)) {
                    other = s;
                }
            }
            check(other != null, "no other surviving node (client on " + on + ", survivors " + survivors + ")");
            received.clear();
            String res = httpPost(other, "/nacos/v1/cs/configs",
                    "dataId=" + enc(dataId) + "&group=" + enc(group) + "&content=f5");
            check("true".equals(res), "POST /nacos/v1/cs/configs on " + other + " answered " + q(res));
            long t0 = System.nanoTime();
            String got;
            while ((got = received.poll(NOTIFY_WITHIN_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    TimeUnit.MILLISECONDS)) != null) {
                if ("f5".equals(got)) {
                    return "listener (connected to " + on + ") got f5 published on " + other + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms";
                }
            }
            throw fail("listener (connected to " + on + ") did not get f5 published on " + other + " within "
                    + NOTIFY_WITHIN_MS + " ms");
        });

        h.bounded("naming shutDown", 5000, () -> naming.shutDown());
        h.bounded("config shutDown", 5000, () -> config.shutDown());
    }

    private ConfigService config() throws Harness.StepFailure {
        if (config == null) {
            throw fail("no config client (F1 failed)");
        }
        return config;
    }

    private static Instance instance() {
        Instance i = new Instance();
        i.setIp(IP);
        i.setPort(PORT);
        i.setEphemeral(true);
        return i;
    }

    // ---- which node a client is on: the SDK's RpcClients, by reflection (same in 2.x and 3.x) ----

    @SuppressWarnings("unchecked")
    private static Collection<Map.Entry<String, Object>> rpcClients() {
        try {
            Class<?> f = Class.forName("com.alibaba.nacos.common.remote.client.RpcClientFactory");
            Object set = f.getMethod("getAllClientEntries").invoke(null);
            return (Collection<Map.Entry<String, Object>>) set;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[compat] cannot list RpcClients: " + e);
            return new ArrayList<>();
        }
    }

    private static String addressOf(Object rpcClient) {
        try {
            Object si = rpcClient.getClass().getMethod("getCurrentServer").invoke(rpcClient);
            if (si == null) {
                return null;
            }
            Object ip = si.getClass().getMethod("getServerIp").invoke(si);
            Object port = si.getClass().getMethod("getServerPort").invoke(si);
            return ip + ":" + port;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isRunning(Object rpcClient) {
        try {
            return Boolean.TRUE.equals(rpcClient.getClass().getMethod("isRunning").invoke(rpcClient));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Every RpcClient of this JVM as name=address(running), for details. */
    private static String servers() {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, Object> e : rpcClients()) {
            m.put(e.getKey(), addressOf(e.getValue()) + (isRunning(e.getValue()) ? "" : "(not running)"));
        }
        return m.toString();
    }

    /** The config client's RpcClient (named {@code <uuid>_config-<taskId>}; this scenario has one config client). */
    private static Object configRpc() {
        for (Map.Entry<String, Object> e : rpcClients()) {
            if (e.getKey().contains("_config-")) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String currentServer(ConfigService cs) {
        Object c = configRpc();
        return c == null ? null : addressOf(c);
    }

    private static boolean running(ConfigService cs) {
        Object c = configRpc();
        return c != null && isRunning(c);
    }

    private static boolean running(NamingService ns) {
        Object c = namingRpc(ns);
        return c != null && isRunning(c);
    }

    private static Object namingRpc(NamingService ns) {
        // NacosNamingService.clientProxy (NamingClientProxyDelegate).grpcClientProxy.rpcClient
        try {
            Object proxy = field(ns, "clientProxy");
            Object grpc = field(proxy, "grpcClientProxy");
            return field(grpc, "rpcClient");
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[compat] cannot reach the naming RpcClient: " + e);
            return null;
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Class<?> c = o.getClass();
        while (c != null) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                c = c.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name + " in " + o.getClass().getName());
    }

    private static String namingServer(NamingService ns) {
        Object c = namingRpc(ns);
        return c == null ? null : addressOf(c);
    }

    private static String awaitServer(ConfigService cs, String unused, long ms) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(ms)) {
            Object c = configRpc();
            if (c != null && isRunning(c) && addressOf(c) != null) {
                return addressOf(c);
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static String awaitNamingServer(NamingService ns, long ms) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(ms)) {
            Object c = namingRpc(ns);
            if (c != null && isRunning(c) && addressOf(c) != null) {
                return addressOf(c);
            }
            Thread.sleep(50);
        }
        return null;
    }

    // ---- stdin from the driver ----

    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8));

    private static String readLine(long ms) throws InterruptedException {
        final String[] got = new String[1];
        Thread t = new Thread(() -> {
            try {
                got[0] = STDIN.readLine();
            } catch (Exception e) {
                got[0] = null;
            }
        }, "compat-stdin");
        t.setDaemon(true);
        t.start();
        t.join(ms);
        return got[0];
    }

    // ---- plain HTTP against one node (anonymous: the cluster nodes run without auth) ----

    /** Polls /nacos/v1/ns/instance/list on {@code node} until our instance is there; null when it is, else why. */
    private String waitListed(String node, String svc, String group, long ms) throws InterruptedException {
        long t0 = System.nanoTime();
        String last = null;
        while (true) {
            try {
                String body = httpGet(node, "/nacos/v1/ns/instance/list?serviceName=" + enc(svc) + "&groupName="
                        + enc(group));
                if (body != null && body.contains("\"" + IP + "\"") && body.contains("\"port\":" + PORT)) {
                    return null;
                }
                last = body;
            } catch (Exception e) {
                last = Harness.describe(e);
            }
            if (System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(ms)) {
                return "last answer " + (last == null ? "null" : last.length() > 240 ? last.substring(0, 237) + "..." : last);
            }
            Thread.sleep(200);
        }
    }

    private static String enc(String s) throws Exception {
        return URLEncoder.encode(s, "UTF-8");
    }

    private static String httpGet(String node, String path) throws Exception {
        return http("GET", node, path, null);
    }

    private static String httpPost(String node, String path, String form) throws Exception {
        return http("POST", node, path, form);
    }

    private static String http(String method, String node, String path, String form) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + node + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (form != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream o = c.getOutputStream()) {
                o.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        int code = c.getResponseCode();
        InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (in != null) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
            in.close();
        }
        String body = new String(b.toByteArray(), StandardCharsets.UTF_8);
        if (code == 404 && method.equals("GET") && path.startsWith("/nacos/v1/cs/configs")) {
            return null;
        }
        if (code != 200) {
            return "HTTP " + code + " " + body;
        }
        return body;
    }
}
