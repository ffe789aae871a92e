package dev.bnacos.compat;

import static dev.bnacos.compat.Harness.check;
import static dev.bnacos.compat.Harness.q;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;

/**
 * Auth step A1 of the contract (auth pass only, COMPAT_AUTH=1): a ConfigService logged in at the start
 * of the scenario still publishes and reads once its first token has expired, i.e. the SDK refreshed it.
 *
 * <p>{@link #open} runs before the other suites (it logs in); {@link #run} runs after them and first
 * sleeps until {@link #AFTER_LOGIN_MS} after that login, so the wait overlaps the config and naming steps.
 */
final class AuthSuite implements Suite {

    /** Past the driver's token TTL (BNACOS_AUTH_TOKEN_TTL_SECONDS=30). */
    static final long AFTER_LOGIN_MS = Long.parseLong(Harness.env("COMPAT_AUTH_WAIT_MS", "35000"));

    private ConfigService cs;
    private Throwable error;
    private long openedAtMs;

    static boolean enabled() {
        return "1".equals(Harness.env("COMPAT_AUTH", ""));
    }

    @Override
    public String name() {
        return "auth";
    }

    /** Creates (and so logs in) the client whose token must be refreshed. */
    void open(Harness h) {
        try {
            cs = NacosFactory.createConfigService(h.clientProps(null));
        } catch (Throwable t) {
            error = t;
        }
        openedAtMs = h.elapsedMs();
    }

    @Override
    public void run(Harness h) {
        final String dataId = h.name("auth");
        final String group = h.group;
        final long wait = openedAtMs + AFTER_LOGIN_MS - h.elapsedMs();
        h.step("A1", Math.max(wait, 0) + 12000, () -> {
            if (cs == null) {
                throw Harness.fail("config service not created: " + Harness.describe(error));
            }
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long age = h.elapsedMs() - openedAtMs;
            String value = "a1-" + age;
            boolean ok = cs.publishConfig(dataId, group, value);
            check(ok, "publishConfig(" + dataId + ") " + age + " ms after login returned false" + Probe.status(cs));
            String got = cs.getConfig(dataId, group, 3000);
            check(value.equals(got), "getConfig " + age + " ms after login expected " + q(value) + ", got " + q(got));
            cs.removeConfig(dataId, group);
            return "publish+get " + age + " ms after login (token TTL 30 s)";
        });
    }

    @Override
    public void close(Harness h) {
        if (cs != null) {
            h.bounded("config(auth).shutDown", 5000, cs::shutDown);
        }
    }
}
