// Naming steps N1-N6 of the Node scenario (npm `nacos` 2.6.3, NacosNamingClient: HTTP v1 OpenAPI, UDP pushes).
// Contract: tests/compat/CONTRACT.md, "Naming steps".
//
// Three NacosNamingClient objects: `sub` subscribes (and makes the queries of N4 and the persistent registration
// of N6), `c1` registers A, `c2` registers B. Every HTTP exchange goes to $COMPAT_TMP/node-http.log (label
// naming-<client>), the SDK's own log (UDP pushes included) to $COMPAT_TMP/node-naming.log.
//
// What an HTTP client can observe:
//  - the subscriber learns changes from UDP pushes (`{"type":"dom"}` to the udpPort it sent on /instance/list)
//    or from polling /instance/list every cacheMillis (the reply's; first poll 1 s after subscribe);
//  - the SDK treats a reply with `hosts: []` as invalid and never reports it, so in N5 (A is the last instance)
//    the subscriber can see A turn unhealthy (15 s without beats) but not the final removal (30 s): N5 therefore
//    asks the server directly (raw /instance/list through the SDK's proxy) for the removal.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';

const require = createRequire(import.meta.url);
const { NacosNamingClient } = require('nacos');

const A = '10.1.0.1:8080';
const B = '10.1.0.2:8080';
const C = '127.0.0.3:8080';
const PORT = 8080;
const EVENT_WITHIN_MS = 10000; // contract: a change reaches the subscriber within 10 s
const DEATH_WITHIN_MS = 45000; // HTTP clients: beats stop -> unhealthy after 15 s, removed after 30 s
const READ_BACK_MS = 3000; // N6 read-after-write polling bound

/**
 * @param {object} h helpers of scenario.mjs: step, fail, StepFail, sleep, show, oneLine, urllib, ADDR, RUN, TMP, GROUP, ID
 */
export async function namingSteps(h) {
  const { step, fail, sleep, show, urllib, ADDR, TMP, GROUP, ID, RUN, AUTH = {} } = h; // AUTH: { username, password } or {}
  const svc = `svc-${ID}-${RUN}`;
  const psvc = `psvc-${ID}-${RUN}`; // a service is either ephemeral or persistent: C gets its own
  const HTTP_LOG = join(TMP, 'node-http.log');
  const SDK_LOG = join(TMP, 'node-naming.log');

  const hostKey = (x) => `${x.ip}:${x.port}`;
  const keys = (hosts) => [...new Set((hosts || []).map(hostKey))].sort();
  const sameSet = (hosts, want) => JSON.stringify(keys(hosts)) === JSON.stringify([...want].sort());
  const brief = (hosts) =>
    hosts == null
      ? show(hosts)
      : `[${hosts
          .map((x) => `${hostKey(x)}${x.healthy === false ? '(unhealthy)' : ''}${x.enabled === false ? '(disabled)' : ''}` +
            `${x.ephemeral === false ? '(persistent)' : ''}`)
          .join(', ')}]`;

  function makeLogger(label) {
    const w = (level) => (...args) => {
      try {
        appendFileSync(SDK_LOG, `${new Date().toISOString()} [${label}] ${level} ${format(...args)}\n`);
      } catch {}
    };
    return { debug: w('DEBUG'), info: w('INFO'), warn: w('WARN'), error: w('ERROR') };
  }

  function makeNaming(label) {
    const exchanges = []; // {start, end, method, url, data, status, body, error}
    const httpclient = {
      async request(url, opts = {}) {
        const rec = { start: Date.now(), method: opts.method || 'GET', url: String(url), data: opts.data ? { ...opts.data } : undefined };
        exchanges.push(rec);
        try {
          const res = await urllib.request(url, opts);
          rec.status = res.status;
          rec.body = typeof res.data === 'string' ? res.data : String(res.data);
          return res;
        } catch (e) {
          rec.error = e.message;
          throw e;
        } finally {
          rec.end = Date.now();
          try {
            const q = rec.data ? new URLSearchParams(rec.data).toString() : '';
            appendFileSync(
              HTTP_LOG,
              `${new Date(rec.start).toISOString()} [naming-${label}] ${rec.method} ${rec.url}${q ? '?' + q : ''} -> ` +
                `${rec.status ?? 'ERR'} in ${rec.end - rec.start} ms ${JSON.stringify(rec.error ?? rec.body ?? '')}\n`,
            );
          } catch {}
        }
      },
    };
    const errors = [];
    const client = new NacosNamingClient({ logger: makeLogger(label), serverList: ADDR, namespace: 'public', httpclient, ...AUTH });
    client.on('error', (e) => errors.push(`${label}: ${e && e.message ? e.message : e}`));
    client._hostReactor.on('error', (e) => errors.push(`${label} host reactor: ${e && e.message ? e.message : e}`));
    /** The last exchange (optionally: whose url contains `part`), for FAIL details. */
    const last = (part) => {
      const list = part ? exchanges.filter((r) => r.url.includes(part)) : exchanges;
      const r = list[list.length - 1];
      if (!r) return 'no such request sent';
      const q = r.data ? new URLSearchParams(r.data).toString() : '';
      return `${r.method} ${r.url.replace(/^https?:\/\/[^/]+/, '')}?${q} -> ${r.status ?? r.error ?? 'pending'} ${show(String(r.body ?? '').slice(0, 300))}`;
    };
    return { label, client, exchanges, errors, last };
  }

  /** Raw /instance/list through the SDK's own proxy (no cache: an empty host list is not discarded). */
  async function serverHosts(n, name, healthyOnly = false) {
    const body = await n.client._serverProxy.queryList(`${GROUP}@@${name}`, '', 0, healthyOnly);
    let info;
    try {
      info = JSON.parse(body);
    } catch {
      fail(`/instance/list for ${name} answered a body that is not JSON: ${show(String(body).slice(0, 200))}`);
    }
    if (!info || !Array.isArray(info.hosts)) fail(`/instance/list for ${name} answered no hosts array: ${show(String(body).slice(0, 300))}`);
    return info.hosts;
  }

  /** Subscriber events: every listener call with its host list. */
  const events = [];
  let waiter = null;
  const onEvent = (hosts) => {
    const ev = { at: Date.now(), hosts: (hosts || []).map((x) => ({ ...x })) };
    events.push(ev);
    if (waiter && waiter.pred(ev.hosts)) {
      const w = waiter;
      waiter = null;
      w.resolve(ev);
    }
  };
  /** Waits for an event (index >= from) satisfying pred; null after ms. */
  function nextEvent(pred, from, ms) {
    const hit = events.slice(from).find((e) => pred(e.hosts));
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        waiter = null;
        resolve(null);
      }, ms);
      waiter = {
        pred,
        resolve: (ev) => {
          clearTimeout(t);
          resolve(ev);
        },
      };
    });
  }
  const describeEvents = (from, t0) =>
    events.slice(from).map((e) => `+${e.at - t0}ms ${brief(e.hosts)}`).join(' ; ') || 'none';

  let sub = null;
  let c1 = null;
  let c2 = null;
  let c1Closed = false;
  const need = (n, what) => n || fail(`no ${what} (an earlier step failed to create it)`);
  const pushesSeen = () => {
    try {
      return (require('node:fs').readFileSync(SDK_LOG, 'utf8').match(/\[sub\] INFO \[PushReceiver\] received push data/g) || []).length;
    } catch {
      return 0;
    }
  };
  const view = async (n) => {
    try {
      return `server now: ${brief(await serverHosts(n, svc))}`;
    } catch (e) {
      return `server query failed: ${e.message}`;
    }
  };

  /** Expects an event satisfying pred within EVENT_WITHIN_MS of t0; returns a detail. */
  async function expectEvent(pred, what, from, t0) {
    const ev = await nextEvent(pred, from, Math.max(0, t0 + EVENT_WITHIN_MS - Date.now()));
    if (!ev) {
      fail(
        `the subscriber got no event ${what} within ${EVENT_WITHIN_MS} ms; events: ${describeEvents(from, t0)}; ` +
          `${await view(sub)}; UDP pushes received so far: ${pushesSeen()}; last poll: ${sub.last('/instance/list')}` +
          (sub.errors.length ? `; SDK errors: ${sub.errors.slice(-2).join(' | ')}` : ''),
      );
    }
    return { ev, ms: ev.at - t0 };
  }

  await step('N1', 10000, async () => {
    sub = makeNaming('sub');
    await sub.client.ready();
    const t0 = Date.now();
    sub.client.subscribe({ serviceName: svc, groupName: GROUP }, onEvent);
    // subscribe() queries the service at once (with the UDP port): wait for that answer
    while (!sub.exchanges.some((r) => r.url.includes('/instance/list') && r.end) && Date.now() - t0 < 6000) await sleep(20);
    const q = sub.exchanges.find((r) => r.url.includes('/instance/list'));
    if (!q || !q.end) fail(`subscribe sent no /instance/list query answered within 6 s: ${sub.last()}`);
    if (q.status !== 200) fail(`the subscribe query failed: ${sub.last('/instance/list')}`);
    let info;
    try {
      info = JSON.parse(q.body);
    } catch {
      fail(`the subscribe query answered a body that is not JSON: ${sub.last('/instance/list')}`);
    }
    const problems = [];
    if (info.name !== `${GROUP}@@${svc}`) problems.push(`name ${show(info.name)} (expected ${show(`${GROUP}@@${svc}`)})`);
    if (info.clusters !== 'DEFAULT') problems.push(`clusters ${show(info.clusters)} (the request said clusters=DEFAULT)`);
    if (!Array.isArray(info.hosts)) problems.push(`hosts ${show(info.hosts)}`);
    if (problems.length) {
      fail(`the /instance/list reply does not match the SDK's subscription key (${GROUP}@@${svc}@@DEFAULT), so it would never ` +
        `notify: ${problems.join(', ')}; ${sub.last('/instance/list')}`);
    }
    if (sub.errors.length) fail(`SDK errors: ${sub.errors.join(' | ')}`);
    return `subscribed to ${GROUP}@@${svc} (udpPort ${sub.client._hostReactor._pushReceiver.udpPort}); first query: ` +
      `${q.status}, ${info.hosts.length} hosts, cacheMillis ${info.cacheMillis}`;
  });

  await step('N2', 20000, async () => {
    need(sub, 'subscriber');
    c1 = makeNaming('c1');
    c2 = makeNaming('c2');
    await Promise.all([c1.client.ready(), c2.client.ready()]);
    const from = events.length;
    const t0 = Date.now();
    try {
      await c1.client.registerInstance(svc, { ip: '10.1.0.1', port: PORT }, GROUP);
    } catch (e) {
      fail(`client 1 registerInstance(A) failed: ${e.message}; ${c1.last('/instance')}`);
    }
    try {
      await c2.client.registerInstance(svc, { ip: '10.1.0.2', port: PORT }, GROUP);
    } catch (e) {
      fail(`client 2 registerInstance(B) failed: ${e.message}; ${c2.last('/instance')}`);
    }
    const regMs = Date.now() - t0;
    for (const [n, who] of [[c1, 'A'], [c2, 'B']]) {
      const r = n.exchanges.find((x) => x.method === 'POST' && x.url.endsWith('/nacos/v1/ns/instance'));
      if (!r || r.body !== 'ok') fail(`register ${who} answered ${r ? `${r.status} ${show(r.body)}` : 'nothing'} (expected "ok")`);
    }
    const { ev, ms } = await expectEvent((hs) => sameSet(hs, [A, B]), `with exactly {${A}, ${B}}`, from, t0);
    return `event ${brief(ev.hosts)} ${ms} ms after the first register (both returned "ok" in ${regMs} ms; ` +
      `UDP pushes received: ${pushesSeen()})`;
  });

  await step('N3', 15000, async () => {
    need(sub, 'subscriber');
    need(c2, 'client 2');
    const from = events.length;
    const t0 = Date.now();
    try {
      await c2.client.deregisterInstance(svc, { ip: '10.1.0.2', port: PORT }, GROUP);
    } catch (e) {
      fail(`deregisterInstance(B) failed: ${e.message}; ${c2.last('/instance')}`);
    }
    const r = c2.exchanges.filter((x) => x.method === 'DELETE').pop();
    if (!r || r.body !== 'ok') fail(`deregister B answered ${r ? `${r.status} ${show(r.body)}` : 'nothing'} (expected "ok")`);
    const { ev, ms } = await expectEvent((hs) => sameSet(hs, [A]), `with exactly {${A}}`, from, t0);
    return `event ${brief(ev.hosts)} ${ms} ms after the deregister`;
  });

  await step('N4', 10000, async () => {
    need(sub, 'subscriber');
    const problems = [];
    // subscribe=false: straight from the server (udpPort 0)
    const all = await sub.client.getAllInstances(svc, GROUP, '', false);
    if (!sameSet(all, [A])) problems.push(`getAllInstances(subscribe=false) = ${brief(all)}, expected {${A}} (${sub.last('/instance/list')})`);
    const healthy = await sub.client.selectInstances(svc, GROUP, '', true, false);
    if (!sameSet(healthy, [A])) problems.push(`selectInstances(healthy=true, subscribe=false) = ${brief(healthy)}, expected {${A}}`);
    // subscribe=true: the subscriber's cache. clusters 'DEFAULT' is the key subscribe() used; '' would start a
    // second polling loop whose /instance/list calls (same udpPort) re-subscribe the UDP push with clusters=''
    const cached = await sub.client.getAllInstances(svc, GROUP, 'DEFAULT');
    if (!sameSet(cached, [A])) problems.push(`getAllInstances (subscriber cache) = ${brief(cached)}, expected {${A}}`);
    let page;
    try {
      page = await sub.client._serverProxy.getServiceList(1, 1000, GROUP);
    } catch (e) {
      problems.push(`/service/list failed: ${e.message}; ${sub.last('/service/list')}`);
    }
    if (page) {
      const names = Array.isArray(page.data) ? page.data : [];
      if (!names.includes(svc)) problems.push(`/service/list?pageNo=1&pageSize=1000&groupName=${GROUP} does not list ${svc}: ${sub.last('/service/list')}`);
      if (!Number.isFinite(page.count) || page.count < names.length) problems.push(`/service/list count ${show(page.count)} < ${names.length} names`);
    }
    if (problems.length) fail(problems.join('; '));
    return `getAllInstances/selectInstances(healthy) from the server and the cache: {${A}}; /service/list lists it ` +
      `(count ${page.count}, ${page.data.length} names)`;
  });

  await step('N5', DEATH_WITHIN_MS + 20000, async () => {
    need(sub, 'subscriber');
    need(c1, 'client 1');
    const cached = await sub.client.getAllInstances(svc, GROUP, 'DEFAULT');
    if (!keys(cached).includes(A)) fail(`precondition: the subscriber's cache does not hold A before client 1 stops: ${brief(cached)}`);
    // "beats stop" needs beats first: client 1's beat loop starts 10 s after the client was created
    const tb = Date.now();
    const isBeat = (r) => r.url.includes('/instance/beat') && r.end;
    while (!c1.exchanges.some(isBeat) && Date.now() - tb < 12000) await sleep(100);
    const beat = c1.exchanges.find(isBeat);
    if (!beat) fail(`client 1 sent no beat within 12 s of N5's start (the SDK beats 10 s after it starts, then every clientBeatInterval)`);
    let beatReply = null;
    try {
      beatReply = JSON.parse(beat.body);
    } catch {}
    if (beat.status !== 200 || !beatReply || beatReply.code !== 10200 || !(Number(beatReply.clientBeatInterval) > 0)) {
      fail(`client 1's beat was answered ${beat.status ?? beat.error} ${show(beat.body)} (expected 200 {"clientBeatInterval":5000,"code":10200,...}): ${c1.last('/instance/beat')}`);
    }
    const beatWait = Date.now() - tb;
    const from = events.length;
    const t0 = Date.now();
    // close() stops the beat reactor (and the UDP receiver); nothing is deregistered
    c1Closed = true;
    await c1.client.close();
    const lastBeat = c1.exchanges.filter((r) => r.url.includes('/instance/beat')).pop();
    // the subscriber: an event where A is unhealthy (15 s) or gone (Node never reports an empty list)
    const sawDeath = nextEvent((hs) => !hs.some((x) => hostKey(x) === A && x.healthy !== false), from, DEATH_WITHIN_MS);
    // the server: A removed (30 s), asked once a second
    let unhealthyAt = null;
    let goneAt = null;
    let lastView = null;
    while (Date.now() - t0 < DEATH_WITHIN_MS) {
      try {
        const hs = await serverHosts(sub, svc);
        lastView = brief(hs);
        const a = hs.find((x) => hostKey(x) === A);
        if (a && a.healthy === false && unhealthyAt === null) unhealthyAt = Date.now() - t0;
        if (!a) {
          goneAt = Date.now() - t0;
          break;
        }
      } catch (e) {
        lastView = `query failed: ${e.message}`;
      }
      await sleep(1000);
    }
    const ev = await Promise.race([sawDeath, sleep(Math.max(0, t0 + DEATH_WITHIN_MS - Date.now())).then(() => null)]);
    const beatNote = `client 1's first beat came after ${beatWait} ms of waiting, its last one ${t0 - lastBeat.start} ms before close: ${lastBeat.status} ${show(lastBeat.body)}`;
    const problems = [];
    if (goneAt === null) problems.push(`the server still lists A ${DEATH_WITHIN_MS} ms after client 1's beats stopped (last view ${lastView})`);
    if (!ev) problems.push(`the subscriber saw no event with A unhealthy or gone within ${DEATH_WITHIN_MS} ms (events: ${describeEvents(from, t0)}; UDP pushes so far: ${pushesSeen()})`);
    if (problems.length) fail(`${problems.join('; ')}; ${beatNote}`);
    return `after close: server: A unhealthy at ${unhealthyAt === null ? '?' : `+${unhealthyAt} ms`}, removed at +${goneAt} ms; subscriber event ` +
      `${brief(ev.hosts)} at +${ev.at - t0} ms (an empty list is never reported by this SDK); ${beatNote}`;
  });

  await step('N6', 15000, async () => {
    const n = need(sub, 'subscriber');
    const inst = { ip: '127.0.0.3', port: PORT, ephemeral: false };
    let registered = false;
    try {
      try {
        await n.client.registerInstance(psvc, inst, GROUP);
      } catch (e) {
        fail(`registerInstance(${psvc}, ephemeral=false) failed: ${e.message}; ${n.last('/instance')}`);
      }
      registered = true;
      const t0 = Date.now();
      let got = await serverHosts(n, psvc);
      while (!keys(got).includes(C) && Date.now() - t0 < READ_BACK_MS) {
        await sleep(200);
        got = await serverHosts(n, psvc);
      }
      if (!sameSet(got, [C])) fail(`after registering C (ephemeral=false), /instance/list of ${psvc} = ${brief(got)}, expected {${C}}: ${n.last('/instance/list')}`);
      if (got[0].ephemeral !== false) fail(`C read back with ephemeral=${show(got[0].ephemeral)}: ${n.last('/instance/list')}`);
      const sdkView = await n.client.getAllInstances(psvc, GROUP, '', false);
      if (!sameSet(sdkView, [C])) fail(`getAllInstances(${psvc}, subscribe=false) = ${brief(sdkView)}, expected {${C}}`);
      try {
        await n.client.deregisterInstance(psvc, inst, GROUP);
      } catch (e) {
        fail(`deregisterInstance(${psvc}, ephemeral=false) failed: ${e.message}; ${n.last('/instance')}`);
      }
      registered = false;
      const t1 = Date.now();
      let after = await serverHosts(n, psvc);
      while (keys(after).includes(C) && Date.now() - t1 < READ_BACK_MS) {
        await sleep(200);
        after = await serverHosts(n, psvc);
      }
      if (keys(after).includes(C)) fail(`after deregisterInstance(${psvc}, ephemeral=false), /instance/list still has C: ${brief(after)}; deregister: ${lastDelete(n)}`);
      return `registered C ephemeral=false, read back ${brief(got)}; deregistered, then ${brief(after)}`;
    } finally {
      if (registered) await n.client.deregisterInstance(psvc, inst, GROUP).catch(() => {});
    }
  });

  function lastDelete(n) {
    const r = n.exchanges.filter((x) => x.method === 'DELETE').pop();
    if (!r) return 'no DELETE sent';
    return `DELETE ${r.url.replace(/^https?:\/\/[^/]+/, '')}?${new URLSearchParams(r.data || {}).toString()} -> ${r.status} ${show(r.body)}`;
  }

  for (const n of [c2, c1Closed ? null : c1, sub]) {
    if (n) await Promise.race([n.client.close().catch(() => {}), sleep(3000)]);
  }
}
