package dev.bnacos.compat;

import com.alibaba.nacos.api.config.ConfigService;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A strict look at a config query, below {@code ConfigService.getConfig}.
 *
 * <p>{@code getConfig} hides server errors: on any failure other than 403 it logs a warning and
 * returns the local snapshot, which is null for a key never read. So "null" cannot tell a proper
 * not-found (errorCode 300) from a broken reply. {@code NacosConfigService.worker.getServerConfig}
 * (public in 2.5.x and 3.x) returns a response with null content for 300 and throws for any other
 * error. This class reaches it by reflection; when the internals differ it says so instead of
 * failing.
 */
final class Probe {

    /** Outcome of a strict query. */
    static final class Query {
        final boolean available;
        final String content;
        final Throwable error;
        final String note;

        Query(boolean available, String content, Throwable error, String note) {
            this.available = available;
            this.content = content;
            this.error = error;
            this.note = note;
        }
    }

    private Probe() {
    }

    /** The tenant the client puts on the wire ("" for 2.x default, "public" for 3.x default), or null. */
    static String tenant(ConfigService cs) {
        try {
            Field f = cs.getClass().getDeclaredField("namespace");
            f.setAccessible(true);
            Object v = f.get(cs);
            return v == null ? null : String.valueOf(v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** " (client status UP|DOWN)", to explain a bare false from publish/remove. */
    static String status(ConfigService cs) {
        try {
            return " (client status " + cs.getServerStatus() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    static Query serverQuery(ConfigService cs, String dataId, String group, long timeoutMs) {
        Object worker;
        Method m;
        String tenant = tenant(cs);
        try {
            Field f = cs.getClass().getDeclaredField("worker");
            f.setAccessible(true);
            worker = f.get(cs);
            m = worker.getClass().getMethod("getServerConfig", String.class, String.class, String.class, long.class,
                    boolean.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Query(false, null, null, "strict query unavailable: " + e);
        }
        try {
            Object resp = m.invoke(worker, dataId, group, tenant == null ? "" : tenant, timeoutMs, false);
            String content = null;
            if (resp != null) {
                Object c = resp.getClass().getMethod("getContent").invoke(resp);
                content = c == null ? null : String.valueOf(c);
            }
            return new Query(true, content, null, null);
        } catch (InvocationTargetException e) {
            return new Query(true, null, e.getCause(), null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Query(false, null, null, "strict query unavailable: " + e);
        }
    }

    /**
     * Checks that the server answers "not found" properly for this key: content null and no
     * exception. Returns a note for the PASS detail, or throws a StepFailure.
     */
    static String expectNotFound(ConfigService cs, String dataId, String group, long timeoutMs)
            throws Harness.StepFailure {
        Query r = serverQuery(cs, dataId, group, timeoutMs);
        if (!r.available) {
            return " (" + r.note + ")";
        }
        if (r.error != null) {
            throw Harness.fail("getConfig returned null, but a direct ConfigQueryRequest(tenant="
                    + Harness.q(tenant(cs)) + ") did not get a proper not-found (errorCode 300): "
                    + Harness.describe(r.error));
        }
        if (r.content != null) {
            throw Harness.fail("getConfig returned null, but a direct ConfigQueryRequest returned content "
                    + Harness.q(r.content));
        }
        return " (server answered not-found)";
    }
}
