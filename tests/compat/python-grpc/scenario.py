"""Conformance scenario for nacos-sdk-python 2.0.x, gRPC asyncio client ``v2.nacos`` (NacosConfigService; naming
steps N1-N6 with NacosNamingService in naming_steps.py).

Every config and naming request/response and every server push is logged to $COMPAT_TMP/python-grpc-rpc.log.
"""
import asyncio
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from compat_common import (AUTH_WAIT_S, GROUP, LISTEN_BUDGET_S, LISTEN_WAIT_S, REGISTER_WAIT_S, Env, StepFail,  # noqa: E402
                           describe_exc, fail, now, show)

from v2.nacos import ClientConfigBuilder, ConfigParam, GRPCConfig, NacosConfigService  # noqa: E402
from v2.nacos.config.remote.config_change_notify_request_handler import ConfigChangeNotifyRequestHandler  # noqa: E402
from naming_steps import naming_steps  # noqa: E402

ENV = Env("python-grpc")
RPC_LOG = os.path.join(ENV.tmp, "python-grpc-rpc.log")
PUSHES = []  # (time, dataId, group, tenant) of every ConfigChangeNotifyRequest received


def rpc_log(line):
    with open(RPC_LOG, "a", encoding="utf-8") as f:
        f.write("%s %s\n" % (datetime.datetime.now().isoformat(timespec="milliseconds"), line))


def _dump(obj):
    try:
        return obj.model_dump_json(exclude={"headers"})
    except Exception:
        return repr(obj)


# Record server pushes (test instrumentation around the SDK's own handler).
_orig_reply = ConfigChangeNotifyRequestHandler.request_reply


async def _traced_reply(self, request):
    PUSHES.append((time.time(), getattr(request, "dataId", None), getattr(request, "group", None),
                   getattr(request, "tenant", None)))
    rpc_log("[push] %s %s" % (type(request).__name__, _dump(request)))
    return await _orig_reply(self, request)


ConfigChangeNotifyRequestHandler.request_reply = _traced_reply


class Traced:
    """A NacosConfigService whose requests to the server are recorded."""

    def __init__(self, label, namespace):
        self.label = label
        self.namespace = namespace
        self.listens = []  # dicts: start, end, data_ids, ok, changed
        self.svc = None

    async def start(self):
        cfg = (ClientConfigBuilder()
               .server_address(ENV.addr)
               .namespace_id(self.namespace)
               .cache_dir(ENV.path("cache-" + self.label))
               .log_dir(ENV.path("log-" + self.label))
               .load_cache_at_start(False)
               .grpc_config(GRPCConfig(grpc_timeout=5000))
               .build())
        # With username/password the SDK logs in over HTTP (POST /nacos/v1/auth/login), puts accessToken in
        # every gRPC request's headers and logs in again once the token is within 10 s of tokenTtl.
        cfg.username, cfg.password = ENV.username, ENV.password
        self.svc = await NacosConfigService.create_config_service(cfg)
        proxy = self.svc.grpc_client_proxy
        original = proxy.request_config_server
        label = self.label

        async def traced(rpc_client, request, response_class):
            rec = {"start": time.time(), "end": None, "type": type(request).__name__,
                   "data_ids": [c.dataId for c in getattr(request, "configListenContexts", [])], "ok": False}
            if rec["type"] == "ConfigBatchListenRequest":
                self.listens.append(rec)
            try:
                resp = await original(rpc_client, request, response_class)
                rec.update(end=time.time(), ok=True,
                           changed=[c.dataId for c in getattr(resp, "changedConfigs", [])])
                rpc_log("[%s] %s %s -> %s %s" % (label, rec["type"], _dump(request), type(resp).__name__, _dump(resp)))
                return resp
            except Exception as e:
                rec.update(end=time.time(), error=describe_exc(e))
                rpc_log("[%s] %s %s -> EXC %s" % (label, rec["type"], _dump(request), describe_exc(e)))
                raise

        proxy.request_config_server = traced
        return self

    async def wait_listening(self, data_id, since):
        """True once a ConfigBatchListenRequest listing data_id, sent after `since`, was answered OK."""
        deadline = now() + REGISTER_WAIT_S
        while now() < deadline:
            if any(r["start"] >= since and r["ok"] and data_id in r["data_ids"] for r in self.listens):
                await asyncio.sleep(0.2)
                return True
            await asyncio.sleep(0.05)
        return False

    def describe(self, data_id, since):
        ls = [r for r in self.listens if r["start"] >= since and data_id in r["data_ids"]]
        pushes = [p for p in PUSHES if p[0] >= since and p[1] == data_id]
        s = "%d batch-listen calls for it since subscribe" % len(ls)
        errs = [r.get("error") for r in ls if r.get("error")]
        if errs:
            s += " (errors: %s)" % errs[-1]
        s += "; pushes received: %s" % ([{"dataId": p[1], "group": p[2], "tenant": p[3]} for p in pushes] or "none")
        return s

    async def close(self):
        if self.svc is not None:
            try:
                await asyncio.wait_for(self.svc.shutdown(), 5)
            except BaseException as e:  # noqa: BLE001
                ENV.log("shutdown %s: %s" % (self.label, describe_exc(e)))


async def step(name, budget_s, coro_fn):
    t0 = now()
    try:
        detail = await asyncio.wait_for(coro_fn(), budget_s)
        ENV.report(name, True, (now() - t0) * 1000, detail)
    except asyncio.TimeoutError:
        ENV.report(name, False, (now() - t0) * 1000, "step did not finish within %d s" % budget_s)
    except Exception as e:  # noqa: BLE001
        ENV.report(name, False, (now() - t0) * 1000, describe_exc(e))


class Inbox:
    def __init__(self):
        self.seen = []  # (time, content)
        self.event = asyncio.Event()

    async def __call__(self, tenant, group, data_id, content):  # the SDK's listener signature
        self.seen.append((time.time(), content))
        self.event.set()

    async def until(self, value, start_idx, timeout_s):
        deadline = now() + timeout_s
        while True:
            for at, v in self.seen[start_idx:]:
                if v == value:
                    return at
            left = deadline - now()
            if left <= 0:
                return None
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except asyncio.TimeoutError:
                pass


async def listen_and_publish(sub, pub, data_id, value, tag):
    inbox = Inbox()
    since = time.time()
    await sub.svc.add_listener(data_id, GROUP, inbox)
    try:
        if not await sub.wait_listening(data_id, since):
            fail("%s: no successful ConfigBatchListenRequest for %s within %d s; %s" % (
                tag, data_id, REGISTER_WAIT_S, sub.describe(data_id, since)))
        mark = len(inbox.seen)
        ok = await pub.svc.publish_config(ConfigParam(data_id=data_id, group=GROUP, content=value))
        if ok is not True:
            fail("%s: publish of %r returned %s" % (tag, value, show(ok)))
        published = time.time()
        at = await inbox.until(value, mark, LISTEN_WAIT_S)
        if at is None:
            fail("%s: listener did not get %r within %d s; callbacks=%s; %s" % (
                tag, value, LISTEN_WAIT_S, [v for _, v in inbox.seen], sub.describe(data_id, since)))
        lat = at - published
        if lat > LISTEN_BUDGET_S:
            fail("%s: listener got %r after %d ms (> %d ms; without a push the SDK only re-listens every 5 s); %s" % (
                tag, value, lat * 1000, LISTEN_BUDGET_S * 1000, sub.describe(data_id, since)))
        return "%s: notified in %d ms" % (tag, lat * 1000)
    finally:
        try:
            await sub.svc.remove_listener(data_id, GROUP, inbox)
        except Exception as e:  # noqa: BLE001
            ENV.log("remove_listener failed: %s" % describe_exc(e))


async def config_steps(clients):
    data_id = ENV.name("conf")
    missing = ENV.name("missing")
    eq_id = ENV.name("eq")
    main = Traced("default", "")
    clients.append(main)

    async def c1():
        ENV.started = now()
        await asyncio.wait_for(main.start(), 15)  # gRPC connect: ServerCheck, bi-stream, setup (+SetupAck)
        ok = await main.svc.publish_config(ConfigParam(data_id=data_id, group=GROUP, content="v1"))
        if ok is not True:
            fail("publish_config(%s) returned %s" % (data_id, show(ok)))
        return "published %s" % data_id

    def need_client():
        if main.svc is None:
            fail("no client (gRPC connection failed in C1)")

    async def c2():
        need_client()
        v = await main.svc.get_config(ConfigParam(data_id=data_id, group=GROUP))
        if v != "v1":
            fail("get_config(%s) = %s, expected 'v1'" % (data_id, show(v)))
        return "got 'v1'"

    async def c3():
        need_client()
        v = await main.svc.get_config(ConfigParam(data_id=missing, group=GROUP))
        if v != "":
            fail("get_config(%s) = %s, expected '' (ConfigQueryResponse resultCode 500 / errorCode 300)" % (missing, show(v)))
        return "''"

    async def c4():
        need_client()
        return await listen_and_publish(main, main, data_id, "v2", "listen default")

    async def c5():
        need_client()
        ok = await main.svc.remove_config(ConfigParam(data_id=data_id, group=GROUP))
        if ok is not True:
            fail("remove_config(%s) returned %s" % (data_id, show(ok)))
        v = await main.svc.get_config(ConfigParam(data_id=data_id, group=GROUP))
        if v != "":
            fail("after remove, get_config(%s) = %s, expected ''" % (data_id, show(v)))
        return "removed, then ''"

    async def c6():
        need_client()
        pub = Traced("public", "public")
        clients.append(pub)
        await asyncio.wait_for(pub.start(), 15)
        problems, notes = [], []
        try:
            if await pub.svc.publish_config(ConfigParam(data_id=eq_id, group=GROUP, content="by-public")) is not True:
                problems.append("publish with tenant=public did not return True")
            v = await main.svc.get_config(ConfigParam(data_id=eq_id, group=GROUP))
            if v != "by-public":
                problems.append("published with tenant=public, read with tenant='': %s" % show(v))
            if await main.svc.publish_config(ConfigParam(data_id=eq_id, group=GROUP, content="by-default")) is not True:
                problems.append("publish with tenant='' did not return True")
            v = await pub.svc.get_config(ConfigParam(data_id=eq_id, group=GROUP))
            if v != "by-default":
                problems.append("published with tenant='', read with tenant=public: %s" % show(v))
            for sub, by, value, tag in ((main, pub, "notify-from-public", "listen '' / publish public"),
                                        (pub, main, "notify-from-default", "listen public / publish ''")):
                try:
                    notes.append(await listen_and_publish(sub, by, eq_id, value, tag))
                except StepFail as e:
                    problems.append(str(e))
        finally:
            try:
                await main.svc.remove_config(ConfigParam(data_id=eq_id, group=GROUP))
            except Exception:  # noqa: BLE001
                pass
        if problems:
            fail(" | ".join(problems))
        return "reads match; " + "; ".join(notes)

    await step("C1", 25, c1)
    await step("C2", 10, c2)
    await step("C3", 10, c3)
    await step("C4", 25, c4)
    await step("C5", 15, c5)
    await step("C6", 60, c6)


async def auth_step(main):
    """A1 (COMPAT_AUTH=1): after the token the main client got at start has expired, publish + get work."""
    data_id = ENV.name("auth")

    async def a1():
        if main.svc is None:
            fail("no client (gRPC connection failed in C1)")
        left = ENV.started + AUTH_WAIT_S - now()
        if left > 0:
            await asyncio.sleep(left)
        age = now() - ENV.started
        ok = await main.svc.publish_config(ConfigParam(data_id=data_id, group=GROUP, content="a1"))
        if ok is not True:
            fail("%d s after login: publish_config(%s) returned %s" % (age, data_id, show(ok)))
        v = await main.svc.get_config(ConfigParam(data_id=data_id, group=GROUP))
        if v != "a1":
            fail("%d s after login: get_config(%s) = %s, expected 'a1'" % (age, data_id, show(v)))
        try:
            await main.svc.remove_config(ConfigParam(data_id=data_id, group=GROUP))
        except Exception:  # noqa: BLE001
            pass
        return "%d s after login: publish + get ok (token refreshed)" % age

    await step("A1", 50, a1)


async def amain():
    ENV.log("NACOS_ADDR=%s COMPAT_RUN=%s COMPAT_TMP=%s" % (ENV.addr, ENV.run, ENV.tmp))
    clients = []
    try:
        await config_steps(clients)
        await naming_steps(ENV, step, RPC_LOG, clients)
        if ENV.auth_step:
            await auth_step(clients[0])
    except BaseException as e:  # noqa: BLE001
        ENV.log("scenario crashed: %s" % describe_exc(e))
    for c in clients:
        await c.close()
    ENV.log("done: %d passed, %d failed" % (ENV.passed, ENV.failed))


def main():
    try:
        asyncio.run(asyncio.wait_for(amain(), 110))
    except BaseException as e:  # noqa: BLE001
        ENV.log("scenario aborted: %s" % describe_exc(e))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
