"""Naming steps N1-N6 for ``v2.nacos`` (gRPC). Contract: tests/compat/CONTRACT.md, "Naming steps".

Three NacosNamingService objects, hence three gRPC connections: ``sub`` subscribes (and makes the queries of N4),
``c1`` registers A, ``c2`` registers B and the persistent C of N6. Every naming request/response and every
NotifySubscriberRequest push goes to $COMPAT_TMP/python-grpc-rpc.log.

SDK facts that shape the checks:

- the naming namespace is the config's ``namespace_id`` (``""`` by default in 2.0.11): the server must treat ``""``
  as ``public``;
- the subscriber's cache drops pushes whose ``lastRefTime`` is not newer than the cached one, and (unless
  ``update_cache_when_empty``) pushes with no hosts. The subscriber sets ``update_cache_when_empty = True`` so that
  N5, where A is the last instance, can be observed as an empty event;
- ``list_instances`` always goes through the subscription cache; N4 and N6 also ask the server directly with the
  proxy's ``query_instance_of_service`` (a ServiceQueryRequest).
"""
import asyncio
import datetime
import time

from compat_common import GROUP, describe_exc, fail, now, show

from v2.nacos import (ClientConfigBuilder, DeregisterInstanceParam, GRPCConfig, ListInstanceParam, ListServiceParam,
                      NacosNamingService, RegisterInstanceParam, SubscribeServiceParam)
from v2.nacos.naming.remote.naming_push_request_handler import NamingPushRequestHandler

A = "10.1.0.1:8080"
B = "10.1.0.2:8080"
C = "127.0.0.3:8080"
PORT = 8080
EVENT_WITHIN_S = 10.0  # contract: a change reaches the subscriber within 10 s
READ_BACK_S = 3.0

NAMING_PUSHES = []  # (time, serviceName, groupName, clusters, [ip:port], lastRefTime) of every NotifySubscriberRequest
_rpc_log_path = [None]


def _log(line):
    if _rpc_log_path[0]:
        with open(_rpc_log_path[0], "a", encoding="utf-8") as f:
            f.write("%s %s\n" % (datetime.datetime.now().isoformat(timespec="milliseconds"), line))


def _dump(obj):
    try:
        return obj.model_dump_json(exclude={"headers"})
    except Exception:  # noqa: BLE001
        return repr(obj)


_orig_push_reply = NamingPushRequestHandler.request_reply


async def _traced_push_reply(self, request):
    info = getattr(request, "serviceInfo", None)
    NAMING_PUSHES.append((time.time(), getattr(info, "name", None), getattr(info, "groupName", None),
                          getattr(info, "clusters", None), keys(getattr(info, "hosts", None) or []),
                          getattr(info, "lastRefTime", None)))
    _log("[naming push] %s %s" % (type(request).__name__, _dump(request)))
    return await _orig_push_reply(self, request)


NamingPushRequestHandler.request_reply = _traced_push_reply


def host_key(h):
    return "%s:%s" % (h.ip, h.port)


def keys(hosts):
    return sorted({host_key(h) for h in hosts or []})


def brief(hosts):
    if hosts is None:
        return "None"
    out = []
    for h in hosts:
        s = host_key(h)
        if not h.healthy:
            s += "(unhealthy)"
        if not h.enabled:
            s += "(disabled)"
        if not h.ephemeral:
            s += "(persistent)"
        out.append(s)
    return "[%s]" % ", ".join(out)


class Naming:
    """A NacosNamingService whose requests to the server are recorded."""

    def __init__(self, env, label, update_cache_when_empty=False):
        self.env = env
        self.label = label
        self.update_cache_when_empty = update_cache_when_empty
        self.svc = None
        self.calls = []  # dicts: start, end, type, request, response / error

    async def start(self):
        cfg = (ClientConfigBuilder()
               .server_address(self.env.addr)
               .cache_dir(self.env.path("cache-" + self.label))
               .log_dir(self.env.path("log-" + self.label))
               .load_cache_at_start(False)
               .grpc_config(GRPCConfig(grpc_timeout=5000))
               .build())
        cfg.username, cfg.password = self.env.username, self.env.password  # NACOS_USER / NACOS_PASS (auth pass)
        cfg.update_cache_when_empty = self.update_cache_when_empty
        self.svc = await NacosNamingService.create_naming_service(cfg)
        proxy = self.svc.grpc_client_proxy
        original = proxy.request_naming_server
        label = self.label

        async def traced(request, response_class):
            rec = {"start": time.time(), "end": None, "type": type(request).__name__, "request": _dump(request)}
            self.calls.append(rec)
            try:
                resp = await original(request, response_class)
                rec.update(end=time.time(), response="%s %s" % (type(resp).__name__, _dump(resp)))
                _log("[%s] %s %s -> %s" % (label, rec["type"], rec["request"], rec["response"]))
                return resp
            except BaseException as e:  # noqa: BLE001
                rec.update(end=time.time(), error=describe_exc(e))
                _log("[%s] %s %s -> EXC %s" % (label, rec["type"], rec["request"], rec["error"]))
                raise

        proxy.request_naming_server = traced
        return self

    def last(self, rtype):
        rs = [r for r in self.calls if r["type"] == rtype]
        if not rs:
            return "no %s sent" % rtype
        r = rs[-1]
        return "%s %s -> %s" % (rtype, r["request"][:300], (r.get("error") or r.get("response") or "pending")[:400])

    async def query(self, service_name):
        """ServiceQueryRequest: the server's view, not the subscription cache."""
        info = await self.svc.grpc_client_proxy.query_instance_of_service(service_name, GROUP, "", False)
        if info is None:
            fail("ServiceQueryRequest for %s answered no serviceInfo: %s" % (service_name, self.last("ServiceQueryRequest")))
        return info.hosts

    async def close(self):
        svc, self.svc = self.svc, None
        if svc is not None:
            try:
                await asyncio.wait_for(svc.shutdown(), 5)
            except BaseException as e:  # noqa: BLE001
                self.env.log("naming shutdown %s: %s" % (self.label, describe_exc(e)))


class Events:
    """The subscriber's callback calls: (time, [ip:port], instances)."""

    def __init__(self):
        self.seen = []
        self.event = asyncio.Event()

    async def __call__(self, instances):
        self.seen.append((time.time(), keys(instances), list(instances or [])))
        self.event.set()

    def mark(self):
        return len(self.seen)

    async def until(self, pred, start_idx, deadline_wall):
        while True:
            for entry in self.seen[start_idx:]:
                if pred(entry[2]):
                    return entry
            left = deadline_wall - time.time()
            if left <= 0:
                return None
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except asyncio.TimeoutError:
                pass

    def describe(self, start_idx, t0):
        return "; ".join("+%dms %s" % ((at - t0) * 1000, brief(inst)) for at, _, inst in self.seen[start_idx:]) or "none"


async def naming_steps(env, step, rpc_log_path, clients):
    _rpc_log_path[0] = rpc_log_path
    svc = env.name("svc")
    psvc = env.name("psvc")  # a service is either ephemeral or persistent: C gets its own
    st = {"sub": None, "c1": None, "c2": None, "c1_closed": False}
    events = Events()

    def need(key, what):
        if st[key] is None:
            fail("no %s (an earlier step failed to create it)" % what)
        return st[key]

    def pushes_since(t0):
        return ["+%dms %s@@%s clusters=%s %s lastRefTime=%s" % ((at - t0) * 1000, g, n, show(c), hs, ref)
                for at, n, g, c, hs, ref in NAMING_PUSHES if at >= t0 and n == svc] or "none"

    async def server_view():
        try:
            return "server now (ServiceQueryRequest): %s" % brief(await st["sub"].query(svc))
        except Exception as e:  # noqa: BLE001
            return "server query failed: %s" % describe_exc(e)

    async def expect(pred, what, start_idx, t0, within_s=EVENT_WITHIN_S):
        entry = await events.until(pred, start_idx, t0 + within_s)
        if entry is None:
            fail("the subscriber got no event %s within %d s; events: %s; pushes for %s received: %s; %s" % (
                what, within_s, events.describe(start_idx, t0), svc, pushes_since(t0), await server_view()))
        return entry

    async def n1():
        sub = Naming(env, "n-sub", update_cache_when_empty=True)
        clients.append(sub)
        await asyncio.wait_for(sub.start(), 15)
        st["sub"] = sub
        await sub.svc.subscribe(SubscribeServiceParam(service_name=svc, group_name=GROUP, subscribe_callback=events))
        r = [x for x in sub.calls if x["type"] == "SubscribeServiceRequest"]
        return "subscribed to %s@@%s: %s" % (GROUP, svc, (r[-1].get("response") or "")[:250] if r else "?")

    async def n2():
        need("sub", "subscriber")
        c1 = Naming(env, "n-c1")
        c2 = Naming(env, "n-c2")
        clients.extend([c1, c2])
        t_c = now()
        await asyncio.wait_for(asyncio.gather(c1.start(), c2.start()), 15)
        st["c1"], st["c2"] = c1, c2
        create_ms = (now() - t_c) * 1000
        mark = events.mark()
        t0 = time.time()
        for c, ip, who in ((c1, "10.1.0.1", "A"), (c2, "10.1.0.2", "B")):
            ok = await c.svc.register_instance(RegisterInstanceParam(service_name=svc, group_name=GROUP, ip=ip, port=PORT))
            if ok is not True:
                fail("register_instance(%s) returned %s: %s" % (who, show(ok), c.last("InstanceRequest")))
        reg_ms = (time.time() - t0) * 1000
        at, got, _ = await expect(lambda hs: keys(hs) == [A, B], "with exactly [%s, %s]" % (A, B), mark, t0)
        return "event %s %d ms after the first register (both returned True in %d ms; two clients connected in %d ms)" % (
            got, (at - t0) * 1000, reg_ms, create_ms)

    async def n3():
        need("sub", "subscriber")
        c2 = need("c2", "client 2")
        mark = events.mark()
        t0 = time.time()
        ok = await c2.svc.deregister_instance(DeregisterInstanceParam(service_name=svc, group_name=GROUP, ip="10.1.0.2",
                                                                      port=PORT))
        if ok is not True:
            fail("deregister_instance(B) returned %s: %s" % (show(ok), c2.last("InstanceRequest")))
        at, got, _ = await expect(lambda hs: keys(hs) == [A], "with exactly [%s]" % A, mark, t0)
        return "event %s %d ms after the deregister" % (got, (at - t0) * 1000)

    async def n4():
        sub = need("sub", "subscriber")
        problems = []
        page = None

        async def check(what, coro, want):
            try:
                got = await coro
            except Exception as e:  # noqa: BLE001
                problems.append("%s failed: %s" % (what, describe_exc(e)))
                return
            if keys(got) != want:
                problems.append("%s: %s, expected %s" % (what, brief(got), want))

        await check("ServiceQueryRequest", sub.query(svc), [A])
        await check("list_instances", sub.svc.list_instances(
            ListInstanceParam(service_name=svc, group_name=GROUP, healthy_only=None)), [A])
        await check("list_instances(healthy_only=True)", sub.svc.list_instances(
            ListInstanceParam(service_name=svc, group_name=GROUP, healthy_only=True)), [A])
        try:
            page = await sub.svc.list_services(ListServiceParam(group_name=GROUP, page_no=1, page_size=1000))
        except Exception as e:  # noqa: BLE001
            problems.append("list_services(%s, 1, 1000) failed: %s" % (GROUP, describe_exc(e)))
        if page is not None:
            if svc not in (page.services or []):
                problems.append("list_services(%s, 1, 1000) does not list %s: count=%s services=%s (%s)" % (
                    GROUP, svc, page.count, page.services, sub.last("ServiceListRequest")))
            elif page.count < len(page.services):
                problems.append("list_services: count %d < %d names" % (page.count, len(page.services)))
        if problems:
            fail("; ".join(problems))
        return "ServiceQueryRequest, list_instances and list_instances(healthy_only): [%s]; list_services lists it " \
               "(count %d, %d names)" % (A, page.count, len(page.services))

    async def n5():
        need("sub", "subscriber")
        c1 = need("c1", "client 1")
        cached = await st["sub"].svc.service_info_holder.get_service_info(svc, GROUP, "")
        if cached is None or A not in keys(cached.hosts):
            fail("precondition: the subscriber's cache does not hold A before client 1 dies: %s" % (
                brief(cached.hosts) if cached else None))
        mark = events.mark()
        t_shut = time.time()
        # shutdown closes the gRPC connection; nothing is deregistered first
        st["c1_closed"] = True
        await c1.close()
        t0 = time.time()
        at, got, inst = await expect(lambda hs: A not in keys(hs), "without %s" % A, mark, t0)
        return "event %s %d ms after client 1's connection closed (shutdown took %d ms)" % (
            got, (at - t0) * 1000, (t0 - t_shut) * 1000)

    async def n6():
        c = need("c2", "client 2")
        registered = False
        try:
            ok = await c.svc.register_instance(RegisterInstanceParam(service_name=psvc, group_name=GROUP, ip="127.0.0.3",
                                                                     port=PORT, ephemeral=False))
            if ok is not True:
                fail("register_instance(%s, ephemeral=False) returned %s: %s" % (psvc, show(ok), c.last("PersistentInstanceRequest")))
            registered = True
            t0 = now()
            got = await c.query(psvc)
            while C not in keys(got) and now() - t0 < READ_BACK_S:
                await asyncio.sleep(0.2)
                got = await c.query(psvc)
            if keys(got) != [C]:
                fail("after registering C (PersistentInstanceRequest) ServiceQueryRequest for %s = %s, expected [%s]: %s" % (
                    psvc, brief(got), C, c.last("ServiceQueryRequest")))
            if got[0].ephemeral is not False:
                fail("C read back with ephemeral=%s: %s" % (got[0].ephemeral, c.last("ServiceQueryRequest")))
            ok = await c.svc.deregister_instance(DeregisterInstanceParam(service_name=psvc, group_name=GROUP, ip="127.0.0.3",
                                                                         port=PORT, ephemeral=False))
            if ok is not True:
                fail("deregister_instance(%s, ephemeral=False) returned %s: %s" % (psvc, show(ok), c.last("PersistentInstanceRequest")))
            registered = False
            t1 = now()
            after = await c.query(psvc)
            while C in keys(after) and now() - t1 < READ_BACK_S:
                await asyncio.sleep(0.2)
                after = await c.query(psvc)
            if C in keys(after):
                fail("after deregister_instance(%s, ephemeral=False) ServiceQueryRequest still has C: %s; deregister: %s" % (
                    psvc, brief(after), c.last("PersistentInstanceRequest")))
            return "registered C via PersistentInstanceRequest, read back %s; deregistered, then %s" % (brief(got), brief(after))
        finally:
            if registered:
                try:
                    await c.svc.deregister_instance(DeregisterInstanceParam(service_name=psvc, group_name=GROUP,
                                                                            ip="127.0.0.3", port=PORT, ephemeral=False))
                except Exception:  # noqa: BLE001
                    pass

    await step("N1", 20, n1)
    await step("N2", 30, n2)
    await step("N3", 15, n3)
    await step("N4", 15, n4)
    await step("N5", 20, n5)
    await step("N6", 15, n6)
