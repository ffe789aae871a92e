"""Naming steps N1-N6 for ``nacos.NacosClient`` (HTTP v1). Contract: tests/compat/CONTRACT.md, "Naming steps".

Three NacosClient objects: ``sub`` subscribes (and makes the queries of N4), ``c1`` registers A, ``c2`` registers
B and the persistent C of N6. What this SDK offers:

- ``add_naming_instance(..., heartbeat_interval=5)``: ``POST /nacos/v1/ns/instance`` (body must be ``ok``) and a
  beat thread (``PUT /nacos/v1/ns/instance/beat`` every 5 s) for ephemeral instances;
- ``subscribe(listener, listener_interval, service_name=..., group_name=...)``: polls ``/instance/list`` every
  ``listener_interval`` seconds (SDK default 7) and calls the listener once per instance with ADDED / MODIFIED /
  DELETED (keyed by ``instanceId``). The subscriber's view below is rebuilt from those calls;
- no service-list call: N4 sends ``GET /nacos/v1/ns/service/list`` through the client's own transport;
- N5 over HTTP means "beats stop": the beat thread of A is stopped, the server must mark A unhealthy after 15 s and
  remove it after 30 s; the subscriber sees it as DELETED on its next poll.

Cluster names are passed explicitly (``DEFAULT``): without one this SDK sends ``clusterName=None`` on register
(urlencode of None) but no cluster in its beats.
"""
import json
import threading
import time

from compat_common import GROUP, describe_exc, fail, now, show

from nacos.listener import SubscribeListener

A = "10.1.0.1:8080"
B = "10.1.0.2:8080"
C = "127.0.0.3:8080"
PORT = 8080
CLUSTER = "DEFAULT"
POLL_S = 7  # the SDK's default listener_interval
EVENT_WITHIN_S = 10.0  # contract: a change reaches the subscriber within 10 s
DEATH_WITHIN_S = 45.0  # HTTP: beats stop -> unhealthy after 15 s, removed after 30 s (+ a poll)
READ_BACK_S = 3.0


def host_key(h):
    return "%s:%s" % (h.get("ip"), h.get("port"))


def brief(hosts):
    if hosts is None:
        return "None"
    out = []
    for h in hosts:
        s = host_key(h)
        if h.get("healthy") is False:
            s += "(unhealthy)"
        if h.get("enabled") is False:
            s += "(disabled)"
        if h.get("ephemeral") is False:
            s += "(persistent)"
        out.append(s)
    return "[%s]" % ", ".join(out)


def keys(hosts):
    return sorted({host_key(h) for h in hosts or []})


class View:
    """The subscriber's instance set, rebuilt from the SDK's per-instance ADDED/MODIFIED/DELETED calls."""

    def __init__(self):
        self.cond = threading.Condition()
        self.instances = {}  # instanceId -> instance dict
        self.log = []  # (time, event, ip:port, snapshot of keys, snapshot of instances)
        self.errors = []

    def on_event(self, event, slc):
        with self.cond:
            inst = slc.instance
            if event == "DELETED":
                self.instances.pop(slc.instance_id, None)
            else:
                self.instances[slc.instance_id] = inst
            hosts = list(self.instances.values())
            self.log.append((time.time(), event, host_key(inst), keys(hosts), [dict(h) for h in hosts]))
            self.cond.notify_all()

    def on_error(self, e):
        with self.cond:
            self.errors.append(describe_exc(e))

    def mark(self):
        with self.cond:
            return len(self.log)

    def until(self, pred, start_idx, deadline_wall):
        """The first log entry (index >= start_idx) whose host list satisfies pred, or None at deadline_wall."""
        with self.cond:
            while True:
                for entry in self.log[start_idx:]:
                    if pred(entry[4]):
                        return entry
                left = deadline_wall - time.time()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def describe(self, start_idx, t0):
        with self.cond:
            items = ["+%dms %s %s -> %s" % ((at - t0) * 1000, ev, k, snap) for at, ev, k, snap, _ in self.log[start_idx:]]
        s = "; ".join(items) or "none"
        if self.errors:
            s += "; subscribe timer errors: %s" % self.errors[-1]
        return s


def naming_steps(env, step, traced_cls, clients):
    svc = env.name("svc")
    psvc = env.name("psvc")  # a service is either ephemeral or persistent: C gets its own
    st = {"sub": None, "c1": None, "c2": None}
    view = View()

    def need(key, what):
        if st[key] is None:
            fail("no %s (an earlier step failed to create it)" % what)
        return st[key]

    def exchanges_of(t, part):
        """Exchanges whose path contains `part`, or exactly "METHOD /path"."""
        return [r for r in t.naming if part in r["url"] or part == "%s %s" % (r["method"], r["url"])]

    def last_of(t, part):
        rs = exchanges_of(t, part)
        if not rs:
            return "no %s request sent" % part
        r = rs[-1]
        return "%s %s params=%s -> %s %s" % (r["method"], r["url"], r["params"], r.get("status"),
                                             show((r.get("error") or r.get("body") or b"")[:300]))

    def server_list(t, name, healthy_only=False):
        res = t.client.list_naming_instance(name, group_name=GROUP, healthy_only=healthy_only)
        if not isinstance(res, dict) or not isinstance(res.get("hosts"), list):
            fail("list_naming_instance(%s) returned %s" % (name, show(res)))
        return res

    def server_view(name=None):
        try:
            return "server now: %s" % brief(server_list(st["sub"], name or svc)["hosts"])
        except Exception as e:  # noqa: BLE001
            return "server query failed: %s" % describe_exc(e)

    def stored(t, name, ip):
        """How the server stores one instance (GET /nacos/v1/ns/instance, the instance detail), for FAIL details."""
        params = {"serviceName": name, "groupName": GROUP, "ip": ip, "port": PORT, "clusterName": CLUSTER}
        try:
            resp = t.client._do_sync_req("/nacos/v1/ns/instance", None, params, None, t.client.default_timeout, "GET",
                                         "naming")
            return "GET /nacos/v1/ns/instance %s -> %s" % (params, resp.read().decode("utf-8", "replace")[:300])
        except Exception as e:  # noqa: BLE001
            return "GET /nacos/v1/ns/instance %s -> %s" % (params, describe_exc(e))

    def diagnose(name, who, short=False):
        """The stored instance, the register request and the last beat of each (client, ip) in `who`."""
        out = []
        for t, ip in who:
            if t is None:
                continue
            out.append("stored: %s" % stored(t, name, ip).split(" -> ", 1)[-1] if short else "stored: %s" % stored(t, name, ip))
            if exchanges_of(t, "/instance/beat"):
                r = exchanges_of(t, "/instance/beat")[-1]
                out.append("last beat -> %s %s" % (r.get("status"), show((r.get("error") or r.get("body") or b"")[:120])))
            out.append("register: %s" % last_of(t, "POST /nacos/v1/ns/instance"))
        return "; ".join(out)

    def expect_view(want, start_idx, t0, within_s):
        entry = view.until(lambda hosts: keys(hosts) == sorted(want), start_idx, t0 + within_s)
        if entry is None:
            fail("the subscriber's view did not become exactly %s within %d s; listener calls: %s; %s; %s; last poll: %s" % (
                sorted(want), within_s, view.describe(start_idx, t0), server_view(),
                diagnose(svc, [(st["c1"], "10.1.0.1")], short=True), last_of(st["sub"], "/instance/list")))
        return entry

    def n1():
        sub = traced_cls("n-sub")
        clients.append(sub)
        st["sub"] = sub
        listener = SubscribeListener(view.on_event, "compat-view")
        t0 = time.time()
        # the first poll runs in this thread (and raises on failure); later ones on a timer thread every POLL_S
        sub.client.subscribe(listener, POLL_S, service_name=svc, group_name=GROUP)
        timer = sub.client.subscribe_timer_manager.all_timers().get("service-subscribe-timer-%s" % svc)
        if timer is not None:
            timer.set_on_exception(view.on_error)  # an exception stops the SDK's timer: keep it for the FAIL detail
        polls = exchanges_of(sub, "/instance/list")
        if not polls:
            fail("subscribe sent no /instance/list")
        r = polls[0]
        try:
            info = json.loads(r.get("body") or b"")
        except ValueError:
            fail("the subscribe poll answered a body that is not JSON: %s" % last_of(sub, "/instance/list"))
        if not isinstance(info.get("hosts"), list):
            fail("the subscribe poll answered no hosts list: %s" % last_of(sub, "/instance/list"))
        return "subscribed to %s@@%s (polling every %d s); first poll: %s, %d hosts, in %d ms" % (
            GROUP, svc, POLL_S, r.get("status"), len(info["hosts"]), (time.time() - t0) * 1000)

    def n2():
        need("sub", "subscriber")
        c1 = traced_cls("n-c1")
        c2 = traced_cls("n-c2")
        clients.extend([c1, c2])
        st["c1"], st["c2"] = c1, c2
        mark = view.mark()
        t0 = time.time()
        for c, ip, who in ((c1, "10.1.0.1", "A"), (c2, "10.1.0.2", "B")):
            ok = c.client.add_naming_instance(svc, ip, PORT, cluster_name=CLUSTER, group_name=GROUP, heartbeat_interval=5)
            if ok is not True:
                fail("add_naming_instance(%s) returned %s (the body must be exactly 'ok'): %s" % (
                    who, show(ok), last_of(c, "POST /nacos/v1/ns/instance")))
        reg_ms = (time.time() - t0) * 1000
        entry = expect_view([A, B], mark, t0, EVENT_WITHIN_S)
        # what the server holds for them (an HTTP client may register a half-parsed instance without noticing)
        problems = []
        for h in server_list(st["sub"], svc)["hosts"]:
            if h.get("healthy") is not True or h.get("enabled") is not True or h.get("ephemeral") is not True:
                problems.append(h)
        if problems:
            fail("the subscriber saw %s, but the server lists them as %s although they were registered with "
                 "enable=True, healthy=True, ephemeral=True (Python spells booleans 'True'/'False'): %s" % (
                     entry[3], brief(problems), last_of(c1, "POST /nacos/v1/ns/instance")))
        return "view %s %d ms after the first register (both returned 'ok' in %d ms)" % (
            entry[3], (entry[0] - t0) * 1000, reg_ms)

    def n3():
        need("sub", "subscriber")
        c2 = need("c2", "client 2")
        mark = view.mark()
        t0 = time.time()
        ok = c2.client.remove_naming_instance(svc, "10.1.0.2", PORT, cluster_name=CLUSTER, group_name=GROUP)
        if ok is not True:
            fail("remove_naming_instance(B) returned %s (the body must be exactly 'ok'): %s" % (
                show(ok), last_of(c2, "DELETE /nacos/v1/ns/instance")))
        entry = expect_view([A], mark, t0, EVENT_WITHIN_S)
        return "view %s %d ms after the deregister" % (entry[3], (entry[0] - t0) * 1000)

    def n4():
        sub = need("sub", "subscriber")
        problems = []
        all_ = server_list(sub, svc)
        if keys(all_["hosts"]) != [A]:
            problems.append("list_naming_instance = %s, expected [%s]" % (brief(all_["hosts"]), A))
        healthy = server_list(sub, svc, healthy_only=True)
        if keys(healthy["hosts"]) != [A]:
            problems.append("list_naming_instance(healthy_only=True) = %s, expected [%s]" % (brief(healthy["hosts"]), A))
        # NacosClient has no service-list call: the same GET /nacos/v1/ns/service/list through its transport
        params = {"pageNo": 1, "pageSize": 1000, "groupName": GROUP}
        page = None
        try:
            resp = sub.client._do_sync_req("/nacos/v1/ns/service/list", None, params, None, sub.client.default_timeout,
                                           "GET", "naming")
            page = json.loads(resp.read().decode("utf-8"))
        except Exception as e:  # noqa: BLE001
            problems.append("GET /nacos/v1/ns/service/list %s failed: %s" % (params, describe_exc(e)))
        if page is not None:
            doms = page.get("doms") if isinstance(page, dict) else None
            if not isinstance(doms, list) or svc not in doms:
                problems.append("GET /nacos/v1/ns/service/list %s does not list %s: %s" % (params, svc, show(page)))
            elif not isinstance(page.get("count"), int) or page["count"] < len(doms):
                problems.append("GET /nacos/v1/ns/service/list: count %s for %d names" % (show(page.get("count")), len(doms)))
        if problems:
            fail("; ".join(problems))
        return "list_naming_instance (all and healthy_only): [%s]; /service/list lists it (count %d, %d names)" % (
            A, page["count"], len(page["doms"]))

    def n5():
        need("sub", "subscriber")
        c1 = need("c1", "client 1")
        with view.cond:
            current = keys(view.instances.values())
        if A not in current:
            fail("precondition: the subscriber's view does not hold A before client 1's beats stop: %s" % current)
        beats = [r for r in exchanges_of(c1, "/instance/beat") if r.get("end")]
        if not beats:
            fail("client 1 sent no beat for A (heartbeat_interval=5)")
        bad = [r for r in beats if r.get("status") != 200 or b'"code":10200' not in (r.get("body") or b"").replace(b" ", b"")]
        if bad:
            fail("a beat of client 1 was answered %s %s (expected 200 {\"clientBeatInterval\":5000,\"code\":10200,...})" % (
                bad[0].get("status"), show(bad[0].get("body") or bad[0].get("error"))))
        mark = view.mark()
        # stop A's beat thread (what a dying process does); nothing is deregistered
        for task in list(c1.client.heartbeats.values()):
            task.stop()
        t0 = time.time()
        # the thread may be sleeping between beats: the last beat it sends counts as the start
        time.sleep(0.2)
        beats = [r for r in exchanges_of(c1, "/instance/beat")]
        last_beat = beats[-1]["start"] if beats else t0
        gone = view.until(lambda hosts: A not in keys(hosts), mark, t0 + DEATH_WITHIN_S)
        with view.cond:
            unhealthy = next(((at, snap) for at, ev, k, _, snap in view.log[mark:]
                              if k == A and ev == "MODIFIED" and any(host_key(h) == A and h.get("healthy") is False
                                                                     for h in snap)), None)
        after_beats = len([r for r in exchanges_of(c1, "/instance/beat") if r["start"] > t0])
        if gone is None:
            fail("the subscriber still sees A %d s after client 1's beats stopped (last beat %d ms before the stop; "
                 "%d beats after it); listener calls: %s; %s" % (
                     DEATH_WITHIN_S, (t0 - last_beat) * 1000, after_beats, view.describe(mark, t0), server_view()))
        return "A DELETED from the subscriber's view %d ms after the last beat%s; view now %s" % (
            (gone[0] - last_beat) * 1000,
            " (MODIFIED to unhealthy at +%d ms)" % ((unhealthy[0] - last_beat) * 1000) if unhealthy else
            " (no unhealthy MODIFIED event seen before)", gone[3])

    def n6():
        c = need("c2", "client 2")
        registered = False
        try:
            ok = c.client.add_naming_instance(psvc, "127.0.0.3", PORT, cluster_name=CLUSTER, ephemeral=False, group_name=GROUP)
            if ok is not True:
                fail("add_naming_instance(%s, ephemeral=False) returned %s: %s" % (psvc, show(ok), last_of(c, "POST /nacos/v1/ns/instance")))
            registered = True
            t0 = now()
            got = server_list(c, psvc)["hosts"]
            while C not in keys(got) and now() - t0 < READ_BACK_S:
                time.sleep(0.2)
                got = server_list(c, psvc)["hosts"]
            if keys(got) != [C]:
                fail("after registering C (ephemeral=False) list_naming_instance(%s) = %s, expected [%s]; %s" % (
                    psvc, brief(got), C, diagnose(psvc, [(c, "127.0.0.3")], short=True)))
            if got[0].get("ephemeral") is not False:
                fail("C read back with ephemeral=%s (registered with ephemeral=False, sent as %s): %s" % (
                    show(got[0].get("ephemeral")), show(next((r["params"].get("ephemeral") for r in c.naming
                                                             if r["method"] == "POST"), None)), last_of(c, "/instance/list")))
            ok = c.client.remove_naming_instance(psvc, "127.0.0.3", PORT, cluster_name=CLUSTER, ephemeral=False, group_name=GROUP)
            if ok is not True:
                fail("remove_naming_instance(%s, ephemeral=False) returned %s: %s" % (psvc, show(ok), last_of(c, "DELETE /nacos/v1/ns/instance")))
            registered = False
            t1 = now()
            after = server_list(c, psvc)["hosts"]
            while C in keys(after) and now() - t1 < READ_BACK_S:
                time.sleep(0.2)
                after = server_list(c, psvc)["hosts"]
            if C in keys(after):
                delete = [r for r in c.naming if r["method"] == "DELETE"][-1]
                fail("after remove_naming_instance(%s, ephemeral=False) list_naming_instance still has C: %s; the remove was "
                     "DELETE %s params=%s -> %s %s" % (psvc, brief(after), delete["url"], delete["params"], delete.get("status"),
                                                       show(delete.get("body"))))
            return "registered C ephemeral=False, read back %s; removed, then %s" % (brief(got), brief(after))
        finally:
            if registered:
                try:
                    c.client.remove_naming_instance(psvc, "127.0.0.3", PORT, cluster_name=CLUSTER, ephemeral=False,
                                                    group_name=GROUP)
                except Exception:  # noqa: BLE001
                    pass

    step("N1", 12, n1)
    step("N2", 20, n2)
    step("N3", 15, n3)
    step("N4", 12, n4)
    step("N5", DEATH_WITHIN_S + 8, n5)
    step("N6", 15, n6)
    # no more beats or polls from here on
    for key in ("c1", "c2"):
        t = st[key]
        if t is not None:
            for task in list(t.client.heartbeats.values()):
                task.stop()
    if st["sub"] is not None:
        st["sub"].client.stop_subscribe()
