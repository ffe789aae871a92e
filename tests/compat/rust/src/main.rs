//! Cross-SDK conformance scenario for the `nacos-sdk` crate (SDK id "rust").
//!
//! Environment (see ../CONTRACT.md):
//!   NACOS_ADDR  127.0.0.1:<httpPort>   (the SDK derives gRPC as httpPort+1000)
//!   COMPAT_TMP  scratch dir for SDK caches and the SDK's tracing log (rust/sdk.log)
//!   COMPAT_RUN  random suffix used in every dataId / service name
//!   NACOS_USER / NACOS_PASS  when both are set, every client logs in (feature `auth-by-http`)
//!   COMPAT_AUTH=1  adds step A1: after the server's token TTL (30 s in the driver's --auth pass) has
//!               passed, a publish + get still succeeds, i.e. the SDK refreshed its token
//!
//! Prints one `RESULT rust <step> PASS|FAIL <ms> <detail>` line per step and always exits 0.
//! Steps are entries of the list in `main`: the config steps C1–C6 are in this file, the naming
//! steps N1–N6 in naming.rs. Run with `--naming-child …` the binary is naming client 1 of N2/N5
//! (see naming.rs).

mod naming;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use nacos_sdk::api::config::{ConfigChangeListener, ConfigResponse, ConfigService, ConfigServiceBuilder};
use nacos_sdk::api::error::Error as NacosError;
use nacos_sdk::api::naming::{NamingService, NamingServiceBuilder};

use naming::NamingState;
use nacos_sdk::api::props::ClientProps;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

const SDK_ID: &str = "rust";
const CONFIG_GROUP: &str = "COMPAT_GROUP";
/// Contract: a listener must see a publish within 2 s.
const PUSH_BUDGET: Duration = Duration::from_secs(2);
/// add_listener() sends its ConfigBatchListenRequest from a spawned task; give it this long.
const LISTEN_SETTLE: Duration = Duration::from_millis(1000);
/// Upper bound for building one SDK client (it waits for the gRPC handshake).
const BUILD_BUDGET: Duration = Duration::from_secs(10);
/// A1 runs this long after the main client was built: past the 30 s token TTL of the --auth pass.
const AUTH_WAIT: Duration = Duration::from_secs(36);

// ------------------------------------------------------------------ environment

struct Env {
    addr: String,
    tmp: PathBuf,
    run: String,
    /// (username, password) from NACOS_USER / NACOS_PASS.
    auth: Option<(String, String)>,
    clients: AtomicUsize,
}

impl Env {
    fn load() -> Env {
        let addr = std::env::var("NACOS_ADDR").unwrap_or_else(|_| "127.0.0.1:8848".into());
        let tmp = std::env::var("COMPAT_TMP")
            .map(PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join(format!("compat-rust-{}", std::process::id())))
            .join("rust");
        let run = std::env::var("COMPAT_RUN").unwrap_or_else(|_| {
            let n = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            (n % 1_000_000).to_string()
        });
        let auth = match (std::env::var("NACOS_USER"), std::env::var("NACOS_PASS")) {
            (Ok(u), Ok(p)) if !u.is_empty() => Some((u, p)),
            _ => None,
        };
        Env { addr, tmp, run, auth, clients: AtomicUsize::new(0) }
    }

    /// Client properties; every client gets a private cache dir and ignores NACOS_CLIENT_* env vars.
    fn props(&self, namespace: &str, label: &str) -> ClientProps {
        let n = self.clients.fetch_add(1, Ordering::SeqCst) + 1;
        let props = ClientProps::new()
            .server_addr(self.addr.clone())
            .namespace(namespace)
            .app_name("compat-rust")
            .env_first(false)
            .load_cache_at_start(false)
            .cache_dir(self.tmp.join("cache").join(format!("{n:02}-{label}")));
        match &self.auth {
            Some((u, p)) => props.auth_username(u.clone()).auth_password(p.clone()),
            None => props,
        }
    }

    async fn config_service(&self, namespace: &str, label: &str) -> Result<ConfigService, String> {
        let mut builder = ConfigServiceBuilder::new(self.props(namespace, label));
        if self.auth.is_some() {
            // POST /nacos/v1/auth/login?username=…&password=…, re-done every tokenTtl/10 seconds.
            builder = builder.enable_auth_plugin_http();
        }
        match tokio::time::timeout(BUILD_BUDGET, builder.build()).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(format!("ConfigServiceBuilder(ns={namespace:?}).build(): {e}")),
            Err(_) => Err(format!("ConfigServiceBuilder(ns={namespace:?}).build() timed out after {BUILD_BUDGET:?}")),
        }
    }

    /// For the naming steps (N1–N6). The SDK maps namespace "" to "public" for naming.
    /// `push_empty_protection` is the SDK's `naming_push_empty_protection` (its default is true: an
    /// empty host list is then never delivered to a listener).
    async fn naming_service(&self, namespace: &str, label: &str, push_empty_protection: bool) -> Result<NamingService, String> {
        let props = self.props(namespace, label).naming_push_empty_protection(push_empty_protection);
        let mut builder = NamingServiceBuilder::new(props);
        if self.auth.is_some() {
            builder = builder.enable_auth_plugin_http();
        }
        match tokio::time::timeout(BUILD_BUDGET, builder.build()).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(format!("NamingServiceBuilder(ns={namespace:?}).build(): {e}")),
            Err(_) => Err(format!("NamingServiceBuilder(ns={namespace:?}).build() timed out after {BUILD_BUDGET:?}")),
        }
    }
}

// ------------------------------------------------------------------ step harness

type StepFuture = Pin<Box<dyn Future<Output = (bool, String)> + Send>>;

struct Step {
    name: &'static str,
    budget: Duration,
    run: Box<dyn FnOnce() -> StepFuture>,
}

fn one_line(s: &str) -> String {
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 400 {
        out = out.chars().take(400).collect::<String>() + "…";
    }
    if out.is_empty() { "-".into() } else { out }
}

/// Runs a step as its own task (a panic in it, e.g. an SDK `.expect()` on a missing response
/// field, becomes a FAIL) under a hard time limit, and prints its RESULT line.
async fn run_step(step: Step) -> bool {
    let start = Instant::now();
    let handle = tokio::spawn((step.run)());
    let (ok, detail) = match tokio::time::timeout(step.budget, handle).await {
        Ok(Ok(r)) => r,
        Ok(Err(join_err)) => (false, format!("step panicked: {}", panic_text(join_err))),
        Err(_) => (false, format!("step timed out after {:?}", step.budget)),
    };
    println!(
        "RESULT {SDK_ID} {} {} {} {}",
        step.name,
        if ok { "PASS" } else { "FAIL" },
        start.elapsed().as_millis(),
        one_line(&detail)
    );
    ok
}

fn panic_text(e: tokio::task::JoinError) -> String {
    if e.is_panic() {
        let p = e.into_panic();
        if let Some(s) = p.downcast_ref::<&str>() {
            return (*s).to_string();
        }
        if let Some(s) = p.downcast_ref::<String>() {
            return s.clone();
        }
        return "non-string panic".into();
    }
    e.to_string()
}

// ------------------------------------------------------------------ listener helper

struct Recorder(UnboundedSender<String>);

impl ConfigChangeListener for Recorder {
    fn notify(&self, resp: ConfigResponse) {
        let _ = self.0.send(resp.content().to_string());
    }
}

fn recorder() -> (Arc<Recorder>, UnboundedReceiver<String>) {
    let (tx, rx) = unbounded_channel();
    (Arc::new(Recorder(tx)), rx)
}

/// Waits until `want` arrives (other values are recorded, not failures).
async fn wait_for(rx: &mut UnboundedReceiver<String>, want: &str, limit: Duration, seen: &mut Vec<String>) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(v)) => {
                let hit = v == want;
                seen.push(v);
                if hit {
                    return true;
                }
            }
            Ok(None) | Err(_) => return false,
        }
    }
}

/// Waits PUSH_BUDGET for `want`; if it does not come, waits `late` more to tell "late" from "never".
async fn expect_push(rx: &mut UnboundedReceiver<String>, want: &str, late: Duration) -> (bool, String) {
    let start = Instant::now();
    let mut seen = Vec::new();
    if wait_for(rx, want, PUSH_BUDGET, &mut seen).await {
        return (true, format!("got {want:?} after {}ms", start.elapsed().as_millis()));
    }
    if wait_for(rx, want, late, &mut seen).await {
        return (
            false,
            format!("late: got {want:?} only after {}ms (budget {}ms; seen {seen:?})", start.elapsed().as_millis(), PUSH_BUDGET.as_millis()),
        );
    }
    (false, format!("no {want:?} within {}ms (seen {seen:?})", start.elapsed().as_millis()))
}

// ------------------------------------------------------------------ scenario

struct Scenario {
    env: Env,
    /// Namespace "" (the SDK's default).
    main: Result<ConfigService, String>,
    conf_id: String,
    missing_id: String,
    eq_id: String,
    naming: NamingState,
    /// When the main config client was built (it logged in then).
    started: Instant,
}

impl Scenario {
    fn main(&self) -> Result<&ConfigService, String> {
        self.main.as_ref().map_err(|e| format!("config client not created: {e}"))
    }

    async fn c1(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        match cs.publish_config(self.conf_id.clone(), CONFIG_GROUP.into(), "v1".into(), Some("text".into())).await {
            Ok(true) => (true, "published v1".into()),
            other => (false, format!("publish_config({}, {CONFIG_GROUP}, v1) = {other:?}", self.conf_id)),
        }
    }

    async fn c2(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        match cs.get_config(self.conf_id.clone(), CONFIG_GROUP.into()).await {
            Ok(r) if r.content() == "v1" => (true, "got v1".into()),
            Ok(r) => (false, format!("get_config({}) content = {:?}; want \"v1\"", self.conf_id, r.content())),
            Err(e) => (false, format!("get_config({}) error: {e}", self.conf_id)),
        }
    }

    async fn c3(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        match cs.get_config(self.missing_id.clone(), CONFIG_GROUP.into()).await {
            Err(NacosError::ConfigNotFound(_)) => (true, "ConfigNotFound".into()),
            Err(e) => (false, format!("get_config({}) error {e:?}; want Error::ConfigNotFound (resultCode 500 + errorCode 300)", self.missing_id)),
            Ok(r) => (false, format!("get_config({}) returned content {:?}; want ConfigNotFound", self.missing_id, r.content())),
        }
    }

    async fn c4(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        // A separate client listens: a listener puts the key into the SDK's local cache, after which
        // get_config answers from that cache, which would blur C5 on the main client.
        let lis = match self.env.config_service("", "c4-listener").await { Ok(c) => c, Err(e) => return (false, e) };
        let (rec, mut rx) = recorder();
        if let Err(e) = lis.add_listener(self.conf_id.clone(), CONFIG_GROUP.into(), rec.clone()).await {
            return (false, format!("add_listener: {e}"));
        }
        tokio::time::sleep(LISTEN_SETTLE).await;
        match cs.publish_config(self.conf_id.clone(), CONFIG_GROUP.into(), "v2".into(), None).await {
            Ok(true) => {}
            other => return (false, format!("publish_config(v2) = {other:?}")),
        }
        let r = expect_push(&mut rx, "v2", Duration::from_secs(3)).await;
        let _ = lis.remove_listener(self.conf_id.clone(), CONFIG_GROUP.into(), rec).await;
        r
    }

    async fn c5(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        match cs.remove_config(self.conf_id.clone(), CONFIG_GROUP.into()).await {
            Ok(true) => {}
            other => return (false, format!("remove_config({}) = {other:?}", self.conf_id)),
        }
        match cs.get_config(self.conf_id.clone(), CONFIG_GROUP.into()).await {
            Err(NacosError::ConfigNotFound(_)) => (true, "removed; get -> ConfigNotFound".into()),
            Err(e) => (false, format!("removed; then get_config error {e:?}; want ConfigNotFound")),
            Ok(r) => (false, format!("removed; then get_config content {:?}; want ConfigNotFound", r.content())),
        }
    }

    async fn c6(self: Arc<Self>) -> (bool, String) {
        let def = match self.main() { Ok(c) => c.clone(), Err(e) => return (false, e) };
        let publ = match self.env.config_service("public", "c6-public").await { Ok(c) => c, Err(e) => return (false, e) };
        let mut notes: Vec<String> = Vec::new();
        let mut pass = true;
        let id = || self.eq_id.clone();
        let grp = || CONFIG_GROUP.to_string();

        // 1. publish with "public", read with "".
        match publ.publish_config(id(), grp(), "e1".into(), None).await {
            Ok(true) => match def.get_config(id(), grp()).await {
                Ok(r) if r.content() == "e1" => notes.push("public->\"\" read ok".into()),
                other => { pass = false; notes.push(format!("FAIL published e1 with ns=public, get with ns=\"\" = {:?}", other.map(|r| r.content().clone()))) }
            },
            other => { pass = false; notes.push(format!("FAIL publish(ns=public,e1) = {other:?}")) }
        }
        // 2. publish with "", read with "public".
        match def.publish_config(id(), grp(), "e2".into(), None).await {
            Ok(true) => match publ.get_config(id(), grp()).await {
                Ok(r) if r.content() == "e2" => notes.push("\"\"->public read ok".into()),
                other => { pass = false; notes.push(format!("FAIL published e2 with ns=\"\", get with ns=public = {:?}", other.map(|r| r.content().clone()))) }
            },
            other => { pass = false; notes.push(format!("FAIL publish(ns=\"\",e2) = {other:?}")) }
        }

        // 3. a listener with each spelling, on fresh clients.
        let lis_def = match self.env.config_service("", "c6-listen-default").await { Ok(c) => c, Err(e) => { notes.push(format!("FAIL {e}")); return (false, notes.join("; ")) } };
        let lis_pub = match self.env.config_service("public", "c6-listen-public").await { Ok(c) => c, Err(e) => { notes.push(format!("FAIL {e}")); return (false, notes.join("; ")) } };
        let (rec_def, mut rx_def) = recorder();
        let (rec_pub, mut rx_pub) = recorder();
        if let Err(e) = lis_def.add_listener(id(), grp(), rec_def.clone()).await {
            pass = false;
            notes.push(format!("FAIL add_listener(ns=\"\"): {e}"));
        }
        if let Err(e) = lis_pub.add_listener(id(), grp(), rec_pub.clone()).await {
            pass = false;
            notes.push(format!("FAIL add_listener(ns=public): {e}"));
        }
        tokio::time::sleep(LISTEN_SETTLE).await;

        // 4. publish with "public" -> the "" listener; publish with "" -> the "public" listener.
        match publ.publish_config(id(), grp(), "e3".into(), None).await {
            Ok(true) => {
                let (ok, d) = expect_push(&mut rx_def, "e3", Duration::from_secs(3)).await;
                if ok { notes.push(format!("listener(\"\") {d}")) } else { pass = false; notes.push(format!("FAIL listener(ns=\"\") after publish(ns=public): {d}")) }
            }
            other => { pass = false; notes.push(format!("FAIL publish(ns=public,e3) = {other:?}")) }
        }
        match def.publish_config(id(), grp(), "e4".into(), None).await {
            Ok(true) => {
                let (ok, d) = expect_push(&mut rx_pub, "e4", Duration::from_secs(3)).await;
                if ok { notes.push(format!("listener(public) {d}")) } else { pass = false; notes.push(format!("FAIL listener(ns=public) after publish(ns=\"\"): {d}")) }
            }
            other => { pass = false; notes.push(format!("FAIL publish(ns=\"\",e4) = {other:?}")) }
        }
        let _ = lis_def.remove_listener(id(), grp(), rec_def).await;
        let _ = lis_pub.remove_listener(id(), grp(), rec_pub).await;
        (pass, notes.join("; "))
    }

    /// A1 (COMPAT_AUTH=1): once the token the client got at start has expired (the driver's --auth pass
    /// sets a 30 s TTL; we wait until AUTH_WAIT after the client was built), publish + get on the
    /// main client must still work: the SDK has to have logged in again.
    async fn a1(self: Arc<Self>) -> (bool, String) {
        let cs = match self.main() { Ok(c) => c, Err(e) => return (false, e) };
        let waited = self.started.elapsed();
        if waited < AUTH_WAIT {
            tokio::time::sleep(AUTH_WAIT - waited).await;
        }
        let age = self.started.elapsed().as_secs();
        let id = format!("auth-{SDK_ID}-{}", self.env.run);
        match cs.publish_config(id.clone(), CONFIG_GROUP.into(), "a1".into(), None).await {
            Ok(true) => {}
            other => return (false, format!("{age}s after login: publish_config({id}, a1) = {other:?}")),
        }
        let r = match cs.get_config(id.clone(), CONFIG_GROUP.into()).await {
            Ok(r) if r.content() == "a1" => (true, format!("{age}s after login: publish + get ok")),
            Ok(r) => (false, format!("{age}s after login: get_config({id}) content = {:?}; want \"a1\"", r.content())),
            Err(e) => (false, format!("{age}s after login: get_config({id}) error: {e}")),
        };
        let _ = cs.remove_config(id, CONFIG_GROUP.into()).await;
        r
    }

    /// Removes what the scenario created; not a step, errors ignored.
    async fn cleanup(self: Arc<Self>) {
        if let Ok(cs) = self.main() {
            let _ = tokio::time::timeout(Duration::from_secs(3), async {
                let _ = cs.remove_config(self.eq_id.clone(), CONFIG_GROUP.into()).await;
                let _ = cs.remove_config(self.conf_id.clone(), CONFIG_GROUP.into()).await;
            })
            .await;
        }
    }
}

fn init_sdk_log(env: &Env, file_name: &str) {
    let _ = std::fs::create_dir_all(&env.tmp);
    let Ok(file) = std::fs::File::create(env.tmp.join(file_name)) else { return };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

macro_rules! step {
    ($sc:expr, $name:literal, $secs:expr, $method:ident) => {{
        let sc = $sc.clone();
        Step { name: $name, budget: Duration::from_secs($secs), run: Box::new(move || Box::pin(sc.$method())) }
    }};
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let env = Env::load();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(naming::CHILD_FLAG) {
        init_sdk_log(&env, "sdk-client1.log");
        naming::child_main(env, &args[2..]).await;
    }
    init_sdk_log(&env, "sdk.log");
    let started = Instant::now();
    let main = env.config_service("", "main").await;
    let run = env.run.clone();
    let sc = Arc::new(Scenario {
        env,
        main,
        conf_id: format!("conf-{SDK_ID}-{run}"),
        missing_id: format!("missing-{SDK_ID}-{run}"),
        eq_id: format!("eq-{SDK_ID}-{run}"),
        naming: NamingState::new(&run),
        started,
    });

    let mut steps: Vec<Step> = vec![
        step!(sc, "C1", 8, c1),
        step!(sc, "C2", 6, c2),
        step!(sc, "C3", 6, c3),
        step!(sc, "C4", 20, c4),
        step!(sc, "C5", 8, c5),
        step!(sc, "C6", 40, c6),
        // Naming steps (naming.rs).
        step!(sc, "N1", 12, n1),
        step!(sc, "N2", 25, n2),
        step!(sc, "N3", 12, n3),
        step!(sc, "N4", 10, n4),
        step!(sc, "N5", 14, n5),
        step!(sc, "N6", 14, n6),
    ];
    if std::env::var("COMPAT_AUTH").as_deref() == Ok("1") {
        // Its budget covers the wait for the token to expire (at most AUTH_WAIT) plus 10 s.
        steps.push(step!(sc, "A1", 46, a1));
    }
    for s in steps {
        run_step(s).await;
    }
    sc.clone().cleanup().await;
    sc.clone().naming_cleanup().await;
    // The SDK keeps background tasks (health checks, re-listen loops) alive: leave without waiting.
    std::process::exit(0);
}
