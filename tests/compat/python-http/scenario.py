"""Conformance scenario for nacos-sdk-python 2.0.x, HTTP v1 client ``nacos.NacosClient``.

Config: GET/POST/DELETE /nacos/v1/cs/configs, long poll POST /nacos/v1/cs/configs/listener via
add_config_watcher. Naming (N1-N6): naming_steps.py. Every HTTP exchange is logged to $COMPAT_TMP/python-http-http.log.
"""
import datetime
import os
import sys
import threading
import time
from urllib.error import HTTPError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from compat_common import (GROUP, LISTEN_BUDGET_S, LISTEN_WAIT_S, REGISTER_WAIT_S, Env, StepFail,  # noqa: E402
                           describe_exc, fail, now, show, visible)

import nacos  # noqa: E402
from naming_steps import naming_steps  # noqa: E402

ENV = Env("python-http")
HTTP_LOG = os.path.join(ENV.tmp, "python-http-http.log")
_log_lock = threading.Lock()


def http_log(line):
    with _log_lock:
        with open(HTTP_LOG, "a", encoding="utf-8") as f:
            f.write("%s %s\n" % (datetime.datetime.now().isoformat(timespec="milliseconds"), line))


class _Body:
    """Stands in for the urllib response after we have read its body for the log."""

    def __init__(self, body, resp):
        self._body = body
        self.status = getattr(resp, "status", None)
        self.headers = getattr(resp, "headers", None)

    def read(self):
        return self._body


class Traced:
    """A NacosClient whose HTTP exchanges are recorded (the SDK calls self._do_sync_req for all of them)."""

    def __init__(self, label, namespace=None):
        self.label = label
        self.polls = []  # dicts: start, end, data, params, status, body, error
        self.last = {}  # the last exchange that was not a long poll
        self.naming = []  # every naming exchange: dicts start, end, method, url, params, status, body, error
        # With username/password the SDK logs in (POST /nacos/v1/auth/login) here and again whenever its
        # token is within 10 s of tokenTtl, and adds accessToken to every request.
        self.client = nacos.NacosClient(ENV.addr, namespace=namespace, logDir=ENV.path("log-" + label),
                                        username=ENV.username, password=ENV.password)
        self.client.set_options(
            default_timeout=6,
            snapshot_base=ENV.path("snapshot-" + label),
            failover_base=ENV.path("failover-" + label),
        )
        original = self.client._do_sync_req

        def traced(url, headers=None, params=None, data=None, timeout=None, method="GET", module="config"):
            is_poll = url.endswith("/configs/listener")
            rec = {"start": time.time(), "end": None, "data": dict(data or {}), "params": dict(params or {}),
                   "headers": dict(headers or {})}
            if is_poll:
                self.polls.append(rec)
            else:
                self.last = rec
            if module == "naming":
                rec.update(method=method, url=url)
                self.naming.append(rec)
            try:
                resp = original(url, headers, params, data, timeout, method, module)
                body = resp.read()
                rec.update(end=time.time(), status=getattr(resp, "status", 200), body=body)
                return _Body(body, resp)
            except HTTPError as e:
                try:  # the SDK looks at e.code only: the body is for the log and the FAIL details
                    err_body = e.read()[:300].decode("utf-8", "replace")
                except Exception:  # noqa: BLE001
                    err_body = ""
                rec.update(end=time.time(), status=e.code, error="HTTP %s %s" % (e.code, err_body))
                raise
            except Exception as e:  # timeouts, connection errors
                rec.update(end=time.time(), status=None, error=describe_exc(e))
                raise
            finally:
                http_log("[%s] %s %s params=%s data=%s headers=%s -> %s in %d ms %s" % (
                    label, method, url, visible(rec["params"]),
                    visible({k: (v if k != "content" else v[:60]) for k, v in rec["data"].items()}), rec["headers"],
                    rec.get("status"), ((rec["end"] or time.time()) - rec["start"]) * 1000,
                    visible(rec.get("error") or rec.get("body") or b"")[:300]))

        self.client._do_sync_req = traced

    def expect_404(self, what):
        """The SDK also returns None when the server is unreachable: check that the server said 404."""
        if self.last.get("status") != 404:
            fail("%s returned None but the server answered %s %s, expected HTTP 404" % (
                what, self.last.get("status"), show(self.last.get("error") or self.last.get("body"))))

    def wait_polling(self, data_id, since):
        """True once a long poll listing data_id, started after `since`, is held by the server."""
        deadline = now() + REGISTER_WAIT_S
        while now() < deadline:
            for r in list(self.polls):
                lines = r["data"].get("Listening-Configs", "").split("\x01")
                if r["start"] >= since and r["end"] is None and any(ln.startswith(data_id + "\x02") for ln in lines):
                    # The server must park it (hold up to Long-Pulling-Timeout - 0.5 s): still held 1 s later?
                    time.sleep(1.0)
                    if r["end"] is not None:
                        fail("long poll for %s was answered after %d ms with %s %s although nothing changed (client md5 "
                             "is current); the server must hold it until a change or Long-Pulling-Timeout - 500 ms; %s" % (
                                 data_id, (r["end"] - r["start"]) * 1000, r.get("status"),
                                 show(visible(r.get("body") or r.get("error") or "")), self.describe(since)))
                    return True
            time.sleep(0.05)
        return False

    def describe(self, since):
        polls = [r for r in self.polls if r["start"] >= since]
        quick = [r for r in polls if r["end"] and r["end"] - r["start"] < 1 and not r.get("body") and not r.get("error")]
        s = "%d long polls" % len(polls)
        if quick:
            s += " (%d answered empty in <1 s: server does not hold the poll)" % len(quick)
        if polls:
            last = polls[-1]
            s += "; last: Listening-Configs=%s params=%s" % (show(visible(last["data"].get("Listening-Configs", ""))),
                                                             last["params"])
            if last["end"] is None:
                s += " (still held)"
            else:
                s += " -> %s %s after %d ms" % (last.get("status"), show(visible(last.get("body") or last.get("error") or "")),
                                               (last["end"] - last["start"]) * 1000)
        return s

    def close(self):
        for task in list(self.client.heartbeats.values()):
            task.stop()
        self.client.stop_subscribe()
        mgr = getattr(self.client, "process_mgr", None)
        if mgr is not None:
            try:
                mgr.shutdown()
            except Exception:
                pass


def step(name, budget_s, fn):
    """Runs fn in a worker thread (bounded by budget_s); fn returns a detail string or raises."""
    box = {}

    def target():
        try:
            box["detail"] = fn()
        except BaseException as e:  # noqa: BLE001 - every failure becomes a FAIL line
            box["error"] = e

    t0 = now()
    th = threading.Thread(target=target, daemon=True)
    th.start()
    th.join(budget_s)
    ms = (now() - t0) * 1000
    if th.is_alive():
        ENV.report(name, False, ms, "step did not finish within %d s" % budget_s)
    elif "error" in box:
        ENV.report(name, False, ms, describe_exc(box["error"]))
    else:
        ENV.report(name, True, ms, box.get("detail"))


class Inbox:
    def __init__(self):
        self.cond = threading.Condition()
        self.seen = []  # (time, content)

    def __call__(self, params):  # add_config_watcher callback: a dict with data_id, group, namespace, content
        with self.cond:
            self.seen.append((time.time(), params.get("content")))
            self.cond.notify_all()

    def until(self, value, start_idx, timeout_s):
        deadline = now() + timeout_s
        with self.cond:
            while True:
                for at, v in self.seen[start_idx:]:
                    if v == value:
                        return at
                left = deadline - now()
                if left <= 0:
                    return None
                self.cond.wait(left)


def listen_and_publish(sub, pub, data_id, value, tag):
    inbox = Inbox()
    inbox.__name__ = "compat_watcher"
    since = time.time()
    sub.client.add_config_watcher(data_id, GROUP, inbox)
    try:
        try:
            registered = sub.wait_polling(data_id, since)
        except StepFail as e:
            fail("%s: %s" % (tag, e))
        if not registered:
            fail("%s: no long poll for %s in flight within %d s; %s" % (tag, data_id, REGISTER_WAIT_S, sub.describe(since)))
        mark = len(inbox.seen)
        ok = pub.client.publish_config(data_id, GROUP, value)
        if ok is not True:
            fail("%s: publish of %r returned %s" % (tag, value, show(ok)))
        published = time.time()
        at = inbox.until(value, mark, LISTEN_WAIT_S)
        if at is None:
            fail("%s: watcher did not get %r within %d s; callbacks=%s; %s" % (
                tag, value, LISTEN_WAIT_S, [v for _, v in inbox.seen], sub.describe(since)))
        lat = at - published
        if lat > LISTEN_BUDGET_S:
            fail("%s: watcher got %r after %d ms (> %d ms); %s" % (tag, value, lat * 1000, LISTEN_BUDGET_S * 1000,
                                                                   sub.describe(since)))
        return "%s: notified in %d ms" % (tag, lat * 1000)
    finally:
        try:
            sub.client.remove_config_watcher(data_id, GROUP, inbox)
        except Exception as e:
            ENV.log("remove_config_watcher failed: %s" % describe_exc(e))


def config_steps(clients):
    data_id = ENV.name("conf")
    missing = ENV.name("missing")
    eq_id = ENV.name("eq")
    ENV.started = now()
    main = Traced("default")
    clients.append(main)

    def c1():
        ok = main.client.publish_config(data_id, GROUP, "v1")
        if ok is not True:
            fail("publish_config(%s, %s, 'v1') returned %s (the server body must be exactly 'true')" % (data_id, GROUP, show(ok)))
        return "published %s" % data_id

    def c2():
        v = main.client.get_config(data_id, GROUP)
        if v != "v1":
            fail("get_config(%s) = %s, expected 'v1'" % (data_id, show(v)))
        return "got 'v1'"

    def c3():
        v = main.client.get_config(missing, GROUP)
        if v is not None:
            fail("get_config(%s) = %s, expected None (HTTP 404)" % (missing, show(v)))
        main.expect_404("get_config(%s)" % missing)
        return "None"

    def c4():
        return listen_and_publish(main, main, data_id, "v2", "listen default")

    def c5():
        ok = main.client.remove_config(data_id, GROUP)
        if ok is not True:
            fail("remove_config(%s) returned %s (the server body must be exactly 'true')" % (data_id, show(ok)))
        v = main.client.get_config(data_id, GROUP)
        if v is not None:
            fail("after remove, get_config(%s) = %s, expected None (HTTP 404)" % (data_id, show(v)))
        main.expect_404("after remove, get_config(%s)" % data_id)
        return "removed, then None"

    def c6():
        # namespace=None -> "" (no tenant param, empty 4th field in listen lines); "public" is sent as is.
        d = Traced("c6-default")
        p = Traced("c6-public", namespace="public")
        clients.extend([d, p])
        problems, notes = [], []
        try:
            if p.client.publish_config(eq_id, GROUP, "by-public") is not True:
                problems.append("publish with tenant=public did not return True")
            v = d.client.get_config(eq_id, GROUP)
            if v != "by-public":
                problems.append("published with tenant=public, read with no tenant: %s" % show(v))
            if d.client.publish_config(eq_id, GROUP, "by-default") is not True:
                problems.append("publish with no tenant did not return True")
            v = p.client.get_config(eq_id, GROUP)
            if v != "by-default":
                problems.append("published with no tenant, read with tenant=public: %s" % show(v))
            for sub, by, value, tag in ((d, p, "notify-from-public", 'listen "" / publish public'),
                                        (p, d, "notify-from-default", 'listen public / publish ""')):
                try:
                    notes.append(listen_and_publish(sub, by, eq_id, value, tag))
                except StepFail as e:
                    problems.append(str(e))
        finally:
            try:
                d.client.remove_config(eq_id, GROUP)
            except Exception:
                pass
        if problems:
            fail(" | ".join(problems))
        return "reads match; " + "; ".join(notes)

    step("C1", 10, c1)
    step("C2", 10, c2)
    step("C3", 10, c3)
    step("C4", 25, c4)
    step("C5", 15, c5)
    step("C6", 50, c6)


def auth_step(main):
    """A1 (COMPAT_AUTH=1): after the token the main client got at start has expired, publish + get work."""
    data_id = ENV.name("auth")

    def a1():
        age = ENV.wait_token_expiry()
        ok = main.client.publish_config(data_id, GROUP, "a1")
        if ok is not True:
            fail("%d s after login: publish_config(%s) returned %s; last exchange: %s %s" % (
                age, data_id, show(ok), main.last.get("status"), show(main.last.get("error") or main.last.get("body"))))
        v = main.client.get_config(data_id, GROUP)
        if v != "a1":
            fail("%d s after login: get_config(%s) = %s, expected 'a1'; last exchange: %s %s" % (
                age, data_id, show(v), main.last.get("status"), show(main.last.get("error") or main.last.get("body"))))
        try:
            main.client.remove_config(data_id, GROUP)
        except Exception:
            pass
        return "%d s after login: publish + get ok (token refreshed)" % age

    step("A1", 50, a1)


def _deadline():
    """config ~10 s + naming ~50 s (N5 waits up to 45 s for the beat timeout); the driver kills us at 120 s."""
    ENV.log("overall deadline (110 s) reached")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def main():
    ENV.log("NACOS_ADDR=%s COMPAT_RUN=%s COMPAT_TMP=%s" % (ENV.addr, ENV.run, ENV.tmp))
    watchdog = threading.Timer(110, _deadline)
    watchdog.daemon = True
    watchdog.start()
    clients = []
    try:
        config_steps(clients)
        naming_steps(ENV, step, Traced, clients)
        if ENV.auth_step:
            auth_step(clients[0])
    except BaseException as e:  # noqa: BLE001
        ENV.log("scenario crashed: %s" % describe_exc(e))
    ENV.log("done: %d passed, %d failed" % (ENV.passed, ENV.failed))
    for c in clients:
        c.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # long-poll threads are blocked in urlopen for up to 40 s: leave at once
    os._exit(0)


if __name__ == "__main__":
    main()
