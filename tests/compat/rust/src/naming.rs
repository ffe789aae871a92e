//! Naming steps N1–N6 of the Rust scenario (see ../CONTRACT.md, "Naming steps").
//!
//! Clients:
//! - the subscriber (built with `naming_push_empty_protection(false)`, so that an empty host list is
//!   delivered to its listener instead of being dropped); it also does the queries
//!   (`get_all_instances(.., subscribe=false)` = a `ServiceQueryRequest` every time) and the listing;
//! - client 1, which registers A, runs in a **child process** (this binary with `--naming-child`):
//!   the crate has no shutdown and dropping a `NamingService` does not close its connection (its redo
//!   task keeps the gRPC client alive), so N5 kills that process — the connection closes at the OS level,
//!   exactly like a crash. The child also exits when its stdin closes, so it never outlives the scenario;
//! - client 2 registers and deregisters B, then the persistent instance C
//!   (`PersistentInstanceRequest` over gRPC).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nacos_sdk::api::naming::{NamingChangeEvent, NamingEventListener, NamingService, ServiceInstance};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::{Env, SDK_ID, Scenario};

pub(crate) const NAMING_GROUP: &str = "COMPAT_GROUP";
/// Contract: subscriber events within 10 s.
const EVENT_BUDGET: Duration = Duration::from_secs(10);
const IP_A: &str = "10.1.0.1";
const IP_B: &str = "10.1.0.2";
const IP_C: &str = "127.0.0.3";
const PORT: i32 = 8080;
/// argv[1] that makes this binary act as naming client 1.
pub(crate) const CHILD_FLAG: &str = "--naming-child";

fn addr(ip: &str) -> String {
    format!("{ip}:{PORT}")
}

/// Sorted "ip:port" list: the identity the steps compare.
fn host_set(hosts: &[ServiceInstance]) -> Vec<String> {
    let mut v: Vec<String> = hosts.iter().map(|h| format!("{}:{}", h.ip, h.port)).collect();
    v.sort();
    v
}

fn same_set(got: &[String], want: &[&str]) -> bool {
    let mut w: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    w.sort();
    got == w.as_slice()
}

fn host_detail(hosts: &[ServiceInstance]) -> String {
    let parts: Vec<String> = hosts
        .iter()
        .map(|h| {
            format!(
                "{}:{}(ephemeral={},healthy={},enabled={},cluster={:?})",
                h.ip, h.port, h.ephemeral, h.healthy, h.enabled, h.cluster_name.as_deref().unwrap_or("")
            )
        })
        .collect();
    format!("[{}]", parts.join(" "))
}

fn instance(ip: &str, ephemeral: bool) -> ServiceInstance {
    ServiceInstance { ip: ip.into(), port: PORT, ephemeral, ..Default::default() }
}

// ------------------------------------------------------------------ subscriber events

/// One event as the listener saw it: `None` when the event carried no host list at all.
type Event = Option<Vec<String>>;

struct HostEvents(UnboundedSender<Event>);

impl NamingEventListener for HostEvents {
    fn event(&self, e: Arc<NamingChangeEvent>) {
        let _ = self.0.send(e.instances.as_deref().map(host_set));
    }
}

fn show(seen: &[Event]) -> String {
    let parts: Vec<String> = seen
        .iter()
        .map(|e| match e {
            Some(v) => format!("[{}]", v.join(" ")),
            None => "None".into(),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Waits until an event satisfies `matches`; returns whether it did, the time taken and what was seen.
async fn wait_set(rx: &mut UnboundedReceiver<Event>, matches: impl Fn(&[String]) -> bool, limit: Duration) -> (bool, Duration, Vec<Event>) {
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + limit;
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(ev)) => {
                let hit = ev.as_deref().is_some_and(&matches);
                seen.push(ev);
                if hit {
                    return (true, start.elapsed(), seen);
                }
            }
            Ok(None) | Err(_) => return (false, start.elapsed(), seen),
        }
    }
}

fn drain(rx: &mut UnboundedReceiver<Event>) -> Vec<Event> {
    let mut seen = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        seen.push(ev);
    }
    seen
}

// ------------------------------------------------------------------ state

pub(crate) struct NamingState {
    svc: String,
    /// N6 uses its own service: a service is either ephemeral or persistent.
    psvc: String,
    sub: Mutex<Option<NamingService>>,
    c2: Mutex<Option<NamingService>>,
    child: Mutex<Option<Child>>,
    listener: Arc<HostEvents>,
    rx: tokio::sync::Mutex<UnboundedReceiver<Event>>,
}

impl NamingState {
    pub(crate) fn new(run: &str) -> NamingState {
        let (tx, rx) = unbounded_channel();
        NamingState {
            svc: format!("svc-{SDK_ID}-{run}"),
            psvc: format!("persist-{SDK_ID}-{run}"),
            sub: Mutex::new(None),
            c2: Mutex::new(None),
            child: Mutex::new(None),
            listener: Arc::new(HostEvents(tx)),
            rx: tokio::sync::Mutex::new(rx),
        }
    }

    fn sub(&self) -> Option<NamingService> {
        self.sub.lock().unwrap().clone()
    }

    fn c2(&self) -> Option<NamingService> {
        self.c2.lock().unwrap().clone()
    }

    /// Kills client 1's process (if still running) and reaps it.
    fn kill_child(&self) -> Option<String> {
        let mut child = self.child.lock().unwrap().take()?;
        let killed = child.kill();
        let status = child.wait();
        Some(format!("kill={killed:?} exit={status:?}"))
    }
}

// ------------------------------------------------------------------ client 1 (child process)

/// Entry point of the child process: register A with a fresh NamingService, print `OK` or `ERR …`,
/// then keep the connection open until stdin closes (or the parent kills this process).
pub(crate) async fn child_main(env: Env, args: &[String]) -> ! {
    let (svc, group, ip) = match args {
        [svc, group, ip, ..] => (svc.clone(), group.clone(), ip.clone()),
        _ => {
            println!("ERR usage: {CHILD_FLAG} <service> <group> <ip>");
            std::process::exit(2)
        }
    };
    let ns = match env.naming_service("", "n-client1", true).await {
        Ok(ns) => ns,
        Err(e) => {
            println!("ERR {e}");
            let _ = std::io::stdout().flush();
            std::process::exit(1)
        }
    };
    match ns.register_instance(svc.clone(), Some(group), instance(&ip, true)).await {
        Ok(()) => println!("OK"),
        Err(e) => println!("ERR register_instance({svc}, {ip}:{PORT}): {e}"),
    }
    let _ = std::io::stdout().flush();
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await;
    drop(ns);
    std::process::exit(0)
}

/// Starts client 1 and waits for its registration result.
async fn spawn_client1(svc: &str) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut child = Command::new(exe)
        .args([CHILD_FLAG, svc, NAMING_GROUP, IP_A])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("spawn client 1: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        line
    });
    match tokio::time::timeout(Duration::from_secs(12), line).await {
        Ok(Ok(l)) if l.trim() == "OK" => Ok(child),
        other => {
            let _ = child.kill();
            let _ = child.wait();
            Err(match other {
                Ok(Ok(l)) if l.is_empty() => "client 1 exited without a result".into(),
                Ok(Ok(l)) => format!("client 1: {}", l.trim()),
                Ok(Err(e)) => format!("client 1 reader: {e}"),
                Err(_) => "client 1 gave no result within 12s".into(),
            })
        }
    }
}

// ------------------------------------------------------------------ steps

impl Scenario {
    /// N1: subscribe with one NamingService.
    pub(crate) async fn n1(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        let sub = match self.env.naming_service("", "n-sub", false).await {
            Ok(s) => s,
            Err(e) => return (false, e),
        };
        *n.sub.lock().unwrap() = Some(sub.clone());
        // Note: 0.8.3's subscribe() returns Ok(()) even when the SubscribeServiceRequest fails (it only
        // logs); the later steps are what show whether the subscription took.
        if let Err(e) = sub.subscribe(n.svc.clone(), Some(NAMING_GROUP.into()), vec![], n.listener.clone()).await {
            return (false, format!("subscribe({}, {NAMING_GROUP}): {e}", n.svc));
        }
        (true, format!("subscribed {NAMING_GROUP}@@{}", n.svc))
    }

    /// N2: A from client 1 (child process), B from client 2; the subscriber must see exactly {A, B}.
    pub(crate) async fn n2(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        if n.sub().is_none() {
            return (false, "no subscriber (N1 failed)".into());
        }
        let b = async {
            let c2 = self.env.naming_service("", "n-client2", true).await?;
            *n.c2.lock().unwrap() = Some(c2.clone());
            c2.register_instance(n.svc.clone(), Some(NAMING_GROUP.into()), instance(IP_B, true))
                .await
                .map_err(|e| format!("register_instance(B): {e}"))
        };
        let (a, b) = tokio::join!(spawn_client1(&n.svc), b);
        let a = a.map(|child| *n.child.lock().unwrap() = Some(child));
        if a.is_err() || b.is_err() {
            return (false, format!("A: {a:?}; B: {b:?}"));
        }
        let mut rx = n.rx.lock().await;
        let (ok, took, seen) = wait_set(&mut rx, |s| same_set(s, &[&addr(IP_A), &addr(IP_B)]), EVENT_BUDGET).await;
        if ok {
            (true, format!("event {{A,B}} after {}ms (events seen {})", took.as_millis(), show(&seen)))
        } else {
            (false, format!("registered A and B; no event with exactly [{} {}] within {}ms (events seen {})", addr(IP_A), addr(IP_B), took.as_millis(), show(&seen)))
        }
    }

    /// N3: deregister B; the subscriber must see exactly {A}.
    pub(crate) async fn n3(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        let Some(c2) = n.c2() else { return (false, "client 2 missing (N2 failed)".into()) };
        if let Err(e) = c2.deregister_instance(n.svc.clone(), Some(NAMING_GROUP.into()), instance(IP_B, true)).await {
            return (false, format!("deregister_instance(B): {e}"));
        }
        let mut rx = n.rx.lock().await;
        let (ok, took, seen) = wait_set(&mut rx, |s| same_set(s, &[&addr(IP_A)]), EVENT_BUDGET).await;
        if ok {
            (true, format!("event {{A}} after {}ms (events seen {})", took.as_millis(), show(&seen)))
        } else {
            (false, format!("deregistered B; no event with exactly [{}] within {}ms (events seen {})", addr(IP_A), took.as_millis(), show(&seen)))
        }
    }

    /// N4: query (ServiceQueryRequest) and list the services of the group (ServiceListRequest).
    pub(crate) async fn n4(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        let Some(sub) = n.sub() else { return (false, "no subscriber (N1 failed)".into()) };
        let mut notes = Vec::new();
        let mut pass = true;
        match sub.get_all_instances(n.svc.clone(), Some(NAMING_GROUP.into()), vec![], false).await {
            Ok(h) if same_set(&host_set(&h), &[&addr(IP_A)]) => notes.push(format!("get_all_instances = {}", host_detail(&h))),
            Ok(h) => {
                pass = false;
                notes.push(format!("FAIL get_all_instances = {}; want exactly [{}]", host_detail(&h), addr(IP_A)))
            }
            Err(e) => {
                pass = false;
                notes.push(format!("FAIL get_all_instances: {e}"))
            }
        }
        match sub.select_instances(n.svc.clone(), Some(NAMING_GROUP.into()), vec![], false, true).await {
            Ok(h) if same_set(&host_set(&h), &[&addr(IP_A)]) => notes.push("select_instances(healthy) = [A]".into()),
            Ok(h) => {
                pass = false;
                notes.push(format!("FAIL select_instances(healthy) = {}; want exactly [{}]", host_detail(&h), addr(IP_A)))
            }
            Err(e) => {
                pass = false;
                notes.push(format!("FAIL select_instances(healthy): {e}"))
            }
        }
        const PAGE: i32 = 100;
        let (mut found, mut count, mut pages, mut err) = (false, -1, 0, None);
        for page in 1..=20 {
            match sub.get_service_list(page, PAGE, Some(NAMING_GROUP.into())).await {
                Ok((names, c)) => {
                    pages += 1;
                    count = c;
                    found = names.iter().any(|s| *s == n.svc);
                    if found || (names.len() as i32) < PAGE || page * PAGE >= c {
                        break;
                    }
                }
                Err(e) => {
                    err = Some(e.to_string());
                    break;
                }
            }
        }
        match (err, found) {
            (Some(e), _) => {
                pass = false;
                notes.push(format!("FAIL get_service_list: {e}"))
            }
            (None, false) => {
                pass = false;
                notes.push(format!("FAIL {} not in get_service_list(group={NAMING_GROUP}) (count={count}, {pages} page(s) read)", n.svc))
            }
            (None, true) => notes.push(format!("listed (count={count})")),
        }
        (pass, notes.join("; "))
    }

    /// N5: client 1's process is killed (no deregister); the subscriber must see A go.
    pub(crate) async fn n5(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        let Some(sub) = n.sub() else { return (false, "no subscriber (N1 failed)".into()) };
        let mut rx = n.rx.lock().await;
        drain(&mut rx);
        let start = Instant::now();
        let Some(kill) = n.kill_child() else { return (false, "client 1 not running (N2 failed)".into()) };
        let note = format!("client 1 process killed ({kill})");
        let no_a = |s: &[String]| !s.iter().any(|h| *h == addr(IP_A));
        let (ok, _, seen) = wait_set(&mut rx, no_a, EVENT_BUDGET.saturating_sub(start.elapsed())).await;
        if ok {
            return (true, format!("{note}; subscriber event without A after {}ms (events seen {})", start.elapsed().as_millis(), show(&seen)));
        }
        // The last instance went away, so the push carries an empty host list; the subscriber runs with
        // naming_push_empty_protection(false) and should get it, but check with a query as well.
        let q = sub.get_all_instances(n.svc.clone(), Some(NAMING_GROUP.into()), vec![], false).await;
        let took = start.elapsed().as_millis();
        match q {
            Ok(h) if h.is_empty() => (
                true,
                format!(
                    "{note}; WARN no empty push reached the subscriber within {}ms (events seen {}) although naming_push_empty_protection=false; a query after {took}ms shows A gone (checked via query)",
                    EVENT_BUDGET.as_millis(),
                    show(&seen)
                ),
            ),
            Ok(h) => (false, format!("{note}; no subscriber event without A within {}ms (events seen {}); query after {took}ms still returns {}", EVENT_BUDGET.as_millis(), show(&seen), host_detail(&h))),
            Err(e) => (false, format!("{note}; no subscriber event without A within {}ms (events seen {}); query after {took}ms failed: {e}", EVENT_BUDGET.as_millis(), show(&seen))),
        }
    }

    /// N6: persistent instance C (PersistentInstanceRequest): register, read back, deregister, gone.
    pub(crate) async fn n6(self: Arc<Self>) -> (bool, String) {
        let n = &self.naming;
        let c2 = match n.c2() {
            Some(c) => c,
            None => match self.env.naming_service("", "n6-client", true).await {
                Ok(c) => c,
                Err(e) => return (false, e),
            },
        };
        let query = n.sub().unwrap_or_else(|| c2.clone());
        let group = || Some(NAMING_GROUP.to_string());
        if let Err(e) = c2.register_instance(n.psvc.clone(), group(), instance(IP_C, false)).await {
            return (false, format!("register_instance(C, ephemeral=false): {e}"));
        }
        let mut notes = Vec::new();
        let mut pass = true;
        // Read it back (registration is synchronous; allow a little slack).
        let start = Instant::now();
        let mut got = query.get_all_instances(n.psvc.clone(), group(), vec![], false).await;
        while matches!(&got, Ok(h) if h.is_empty()) && start.elapsed() < Duration::from_secs(3) {
            tokio::time::sleep(Duration::from_millis(300)).await;
            got = query.get_all_instances(n.psvc.clone(), group(), vec![], false).await;
        }
        match got {
            Ok(h) if !same_set(&host_set(&h), &[&addr(IP_C)]) => {
                pass = false;
                notes.push(format!("FAIL read back {}; want exactly [{}]", host_detail(&h), addr(IP_C)))
            }
            Ok(h) if h[0].ephemeral => {
                pass = false;
                notes.push(format!("FAIL read back {}: ephemeral=true, want false", host_detail(&h)))
            }
            Ok(h) => notes.push(format!("read back {}", host_detail(&h))),
            Err(e) => {
                pass = false;
                notes.push(format!("FAIL read back: {e}"))
            }
        }
        if let Err(e) = c2.deregister_instance(n.psvc.clone(), group(), instance(IP_C, false)).await {
            notes.push(format!("FAIL deregister_instance(C, ephemeral=false): {e}"));
            return (false, notes.join("; "));
        }
        let start = Instant::now();
        let mut got = query.get_all_instances(n.psvc.clone(), group(), vec![], false).await;
        while matches!(&got, Ok(h) if !h.is_empty()) && start.elapsed() < Duration::from_secs(3) {
            tokio::time::sleep(Duration::from_millis(300)).await;
            got = query.get_all_instances(n.psvc.clone(), group(), vec![], false).await;
        }
        match got {
            Ok(h) if h.is_empty() => notes.push("deregistered; query -> []".into()),
            Ok(h) => {
                pass = false;
                notes.push(format!("FAIL after deregister the query still returns {}", host_detail(&h)))
            }
            Err(e) => {
                pass = false;
                notes.push(format!("FAIL query after deregister: {e}"))
            }
        }
        (pass, notes.join("; "))
    }

    /// Kills client 1 if still alive and removes C if a step left it; not a step, errors ignored.
    pub(crate) async fn naming_cleanup(self: Arc<Self>) {
        let n = &self.naming;
        n.kill_child();
        if let Some(c2) = n.c2() {
            let _ = tokio::time::timeout(
                Duration::from_secs(3),
                c2.deregister_instance(n.psvc.clone(), Some(NAMING_GROUP.into()), instance(IP_C, false)),
            )
            .await;
        }
    }
}
