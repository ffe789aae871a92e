// Conformance scenario for the npm `nacos` SDK (NacosConfigClient, HTTP v1 OpenAPI + long polling;
// NacosNamingClient for the naming steps, in naming.mjs).
// Contract: tests/compat/CONTRACT.md. Prints `RESULT node <step> PASS|FAIL <ms> <detail>` per step and
// always exits 0; a step failure never aborts the run.
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { namingSteps } from './naming.mjs';

const require = createRequire(import.meta.url);
const { NacosConfigClient, DataClient } = require('nacos');
// The SDK's own HTTP library, resolved from the SDK package so that we wrap exactly what it would use.
const urllib = require(require.resolve('urllib', { paths: [dirname(require.resolve('nacos-config'))] }));

const ID = 'node';
const ADDR = process.env.NACOS_ADDR || '127.0.0.1:8848';
const RUN = process.env.COMPAT_RUN || Math.random().toString(16).slice(2, 10);
const TMP = process.env.COMPAT_TMP || join(process.cwd(), '.tmp');
const GROUP = 'COMPAT_GROUP';
const LISTEN_BUDGET_MS = 2000; // contract: the listener fires within 2 s of the publish
const LISTEN_WAIT_MS = 10000; // how long we keep waiting to report a late notification
const REGISTER_WAIT_MS = 6000; // bound on "wait until the listener is registered"
// Auth (tests/compat/run.ts --auth). The SDK never logs in: with username/password it sends both as parameters
// on every request. COMPAT_AUTH=1 adds step A1: once the server's token TTL (30 s in that pass) has run out
// (AUTH_WAIT_MS after the main client was created), publish + get on that client still work.
const USER = process.env.NACOS_USER || undefined;
const PASS = process.env.NACOS_PASS;
const AUTH = USER && PASS !== undefined ? { username: USER, password: PASS } : {};
const AUTH_STEP = process.env.COMPAT_AUTH === '1';
const AUTH_WAIT_MS = 36000;

mkdirSync(TMP, { recursive: true });
const HTTP_LOG = join(TMP, 'node-http.log');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const oneLine = (s) => String(s).replace(/\s+/g, ' ').trim().slice(0, 400);
const show = (v) => (v === null ? 'null' : v === undefined ? 'undefined' : JSON.stringify(v));
const visible = (s) => String(s).replace(/\u0001/g, '<1>').replace(/\u0002/g, '<2>');

let passed = 0;
let failed = 0;

function report(step, ok, ms, detail) {
  if (ok) passed++;
  else failed++;
  process.stdout.write(`RESULT ${ID} ${step} ${ok ? 'PASS' : 'FAIL'} ${Math.round(ms)} ${oneLine(detail || '-')}\n`);
}

class StepFail extends Error {}
const fail = (msg) => {
  throw new StepFail(msg);
};

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new StepFail(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

/** Runs one step; `fn` returns a detail string (PASS) or throws (FAIL). Never throws. */
async function step(name, budgetMs, fn) {
  const t0 = performance.now();
  try {
    const detail = await withTimeout(Promise.resolve().then(fn), budgetMs, `step ${name}`);
    report(name, true, performance.now() - t0, detail);
    return true;
  } catch (e) {
    const msg = e instanceof StepFail ? e.message : `${e && e.name ? e.name + ': ' : ''}${e && e.message ? e.message : e}`;
    report(name, false, performance.now() - t0, msg);
    return false;
  }
}

/**
 * Per-client tracer: wraps the SDK's urllib so we can see every HTTP exchange (logged to
 * $COMPAT_TMP/node-http.log) and know when a long poll carrying a given dataId is in flight.
 */
function makeTracer(label) {
  const polls = [];
  const httpclient = {
    async request(url, opts = {}) {
      const method = opts.method || 'GET';
      const isPoll = String(url).includes('/v1/cs/configs/listener');
      const rec = { start: Date.now(), url, method, data: opts.data && typeof opts.data === 'object' ? { ...opts.data } : opts.data };
      if (isPoll) polls.push(rec);
      try {
        const res = await urllib.request(url, opts);
        rec.end = Date.now();
        rec.status = res.status;
        rec.body = typeof res.data === 'string' ? res.data : String(res.data);
        return res;
      } catch (e) {
        rec.end = Date.now();
        rec.error = e.message;
        throw e;
      } finally {
        try {
          const data = typeof rec.data === 'string' ? rec.data : rec.data ? visible(JSON.stringify(rec.data)) : '';
          appendFileSync(
            HTTP_LOG,
            `${new Date(rec.start).toISOString()} [${label}] ${method} ${url} ${data} -> ` +
              `${rec.status ?? 'ERR'} in ${(rec.end ?? Date.now()) - rec.start} ms ` +
              `${visible(JSON.stringify(rec.error ?? rec.body ?? ''))}\n`,
          );
        } catch {}
      }
    },
  };
  return {
    httpclient,
    polls,
    /** Resolves once a long poll that lists `dataId` and started after `since` is in flight. */
    async waitPolling(dataId, since, maxMs = REGISTER_WAIT_MS) {
      const deadline = Date.now() + maxMs;
      while (Date.now() < deadline) {
        const p = polls.find(
          (r) =>
            r.start >= since &&
            r.end === undefined &&
            String(r.data?.['Listening-Configs'] ?? '')
              .split('\u0001')
              .some((line) => line.startsWith(dataId + '\u0002')),
        );
        if (p) {
          // The server must park it (hold up to Long-Pulling-Timeout - 0.5 s): check it is still held 1 s later.
          await sleep(1000);
          if (p.end !== undefined) {
            fail(
              `long poll for ${dataId} was answered after ${p.end - p.start} ms with ${p.status ?? p.error} ` +
                `${show(visible(p.body ?? ''))} although nothing changed (client md5 is current); the server must hold it ` +
                `until a change or Long-Pulling-Timeout - 500 ms; ${this.describe(since)}`,
            );
          }
          return true;
        }
        await sleep(50);
      }
      return false;
    },
    /** Short description of the long polls since `since` (for FAIL details). */
    describe(since) {
      const list = polls.filter((r) => r.start >= since);
      const quick = list.filter((r) => r.end !== undefined && r.end - r.start < 1000 && !r.body && !r.error).length;
      const last = list[list.length - 1];
      let s = `${list.length} long polls`;
      if (quick) s += ` (${quick} answered empty in <1 s: server does not hold the poll)`;
      if (last) {
        s += `; last: Listening-Configs=${show(visible(last.data?.['Listening-Configs'] ?? ''))}`;
        if (last.data?.tenant !== undefined) s += ` tenant=${show(last.data.tenant)}`;
        s += last.end === undefined ? ' (still held)' : ` -> ${last.status ?? last.error} ${show(visible(last.body ?? ''))} after ${last.end - last.start} ms`;
      }
      return s;
    },
  };
}

/**
 * `NacosConfigClient` is a cluster-client wrapper: every instance in one process with the same `endpoint`
 * shares a single leader `DataClient`, so a second namespace in the same process needs `DataClient`
 * itself (the class NacosConfigClient delegates to; same API). C1-C5 use NacosConfigClient.
 */
function makeClient(label, namespace, Klass = NacosConfigClient) {
  const tracer = makeTracer(label);
  const opts = {
    serverAddr: ADDR,
    cacheDir: join(TMP, `node-cache-${label}`),
    requestTimeout: 6000,
    httpclient: tracer.httpclient,
    ...AUTH,
  };
  if (namespace !== undefined) opts.namespace = namespace;
  const client = new Klass(opts);
  client.on('error', (e) => process.stderr.write(`[${label}] client error: ${e && e.stack ? e.stack : e}\n`));
  return { client, tracer, label };
}

/** Collects listener callbacks; `next(pred)` waits for a value satisfying pred. */
function makeInbox() {
  const seen = [];
  let waiter = null;
  return {
    seen,
    push(v) {
      seen.push({ at: Date.now(), v });
      if (waiter && waiter.pred(v)) {
        const w = waiter;
        waiter = null;
        w.resolve(Date.now());
      }
    },
    until(pred, sinceIdx, ms) {
      const hit = seen.slice(sinceIdx).find((x) => pred(x.v));
      if (hit) return Promise.resolve(hit.at);
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          waiter = null;
          resolve(null);
        }, ms);
        waiter = {
          pred,
          resolve: (at) => {
            clearTimeout(t);
            resolve(at);
          },
        };
      });
    },
  };
}

/**
 * Subscribes `sub` to dataId, waits until its long poll is in flight, publishes `value` with `pub`
 * and waits for the listener. Returns a detail string or throws StepFail.
 */
async function listenAndPublish(sub, pub, dataId, value, tag) {
  const inbox = makeInbox();
  const listener = (content) => inbox.push(content);
  const since = Date.now();
  sub.client.subscribe({ dataId, group: GROUP }, listener);
  try {
    const registered = await sub.tracer.waitPolling(dataId, since).catch((e) => fail(`${tag}: ${e.message}`));
    if (!registered) fail(`${tag}: no long poll for ${dataId} in flight within ${REGISTER_WAIT_MS} ms; ${sub.tracer.describe(since)}`);
    const mark = inbox.seen.length;
    const ok = await pub.client.publishSingle(dataId, GROUP, value);
    if (ok !== true) fail(`${tag}: publish of ${show(value)} returned ${show(ok)}`);
    const published = Date.now();
    const at = await inbox.until((v) => v === value, mark, LISTEN_WAIT_MS);
    if (at === null) {
      fail(
        `${tag}: listener did not get ${show(value)} within ${LISTEN_WAIT_MS} ms; callbacks=${show(inbox.seen.map((x) => x.v))}; ` +
          sub.tracer.describe(since),
      );
    }
    const lat = at - published;
    if (lat > LISTEN_BUDGET_MS) fail(`${tag}: listener got ${show(value)} after ${lat} ms (> ${LISTEN_BUDGET_MS} ms); ${sub.tracer.describe(since)}`);
    return `${tag}: notified in ${lat} ms`;
  } finally {
    sub.client.unSubscribe({ dataId, group: GROUP }, listener);
  }
}

async function configSteps() {
  const dataId = `conf-${ID}-${RUN}`;
  const missing = `missing-${ID}-${RUN}`;
  const eqId = `eq-${ID}-${RUN}`;
  const startedAt = Date.now();
  const main = makeClient('default');
  await withTimeout(main.client.ready(), 5000, 'client.ready()').catch((e) => process.stderr.write(`${e.message}\n`));

  await step('C1', 8000, async () => {
    const ok = await main.client.publishSingle(dataId, GROUP, 'v1');
    if (ok !== true) fail(`publishSingle(${dataId}, ${GROUP}, "v1") returned ${show(ok)}`);
    return `published ${dataId}`;
  });

  await step('C2', 8000, async () => {
    const v = await main.client.getConfig(dataId, GROUP);
    if (v !== 'v1') fail(`getConfig(${dataId}) = ${show(v)}, expected "v1"`);
    return 'got "v1"';
  });

  await step('C3', 8000, async () => {
    const v = await main.client.getConfig(missing, GROUP);
    if (v !== null) fail(`getConfig(${missing}) = ${show(v)}, expected null (HTTP 404)`);
    return 'null';
  });

  await step('C4', 20000, async () => listenAndPublish(main, main, dataId, 'v2', 'listen default'));

  await step('C5', 10000, async () => {
    const ok = await main.client.remove(dataId, GROUP);
    if (ok !== true) fail(`remove(${dataId}) returned ${show(ok)}`);
    const v = await main.client.getConfig(dataId, GROUP);
    if (v !== null) fail(`after remove, getConfig(${dataId}) = ${show(v)}, expected null (HTTP 404)`);
    return 'removed, then null';
  });

  // C6: "" (the SDK default: no tenant sent) vs "public". Fresh clients: the SDK runs one long-poll loop
  // per client and a new key joins it only after the held poll returns.
  await step('C6', 45000, async () => {
    const def = makeClient('c6-default', undefined, DataClient);
    const pub = makeClient('c6-public', 'public', DataClient);
    await Promise.all([def.client.ready(), pub.client.ready()]);
    const problems = [];
    const notes = [];
    try {
      let ok = await pub.client.publishSingle(eqId, GROUP, 'by-public');
      if (ok !== true) problems.push(`publish with tenant=public returned ${show(ok)}`);
      let v = await def.client.getConfig(eqId, GROUP);
      if (v !== 'by-public') problems.push(`published with tenant=public, read with no tenant: ${show(v)}`);
      ok = await def.client.publishSingle(eqId, GROUP, 'by-default');
      if (ok !== true) problems.push(`publish with no tenant returned ${show(ok)}`);
      v = await pub.client.getConfig(eqId, GROUP);
      if (v !== 'by-default') problems.push(`published with no tenant, read with tenant=public: ${show(v)}`);
      for (const [sub, by, value, tag] of [
        [def, pub, 'notify-from-public', 'listen "" / publish public'],
        [pub, def, 'notify-from-default', 'listen public / publish ""'],
      ]) {
        try {
          notes.push(await listenAndPublish(sub, by, eqId, value, tag));
        } catch (e) {
          problems.push(e.message);
        }
      }
    } finally {
      await def.client.remove(eqId, GROUP).catch(() => {});
      def.client.close();
      pub.client.close();
    }
    if (problems.length) fail(problems.join(' | '));
    return `reads match; ${notes.join('; ')}`;
  });

  if (!AUTH_STEP) {
    main.client.close();
    return null;
  }
  return { main, startedAt }; // A1 uses it after the naming steps
}

/** A1 (COMPAT_AUTH=1): after the token TTL has passed, publish + get on the client created first still work. */
async function authStep({ main, startedAt }) {
  const dataId = `auth-${ID}-${RUN}`;
  await step('A1', AUTH_WAIT_MS + 10000, async () => {
    const left = startedAt + AUTH_WAIT_MS - Date.now();
    if (left > 0) await sleep(left);
    const age = Math.round((Date.now() - startedAt) / 1000);
    const ok = await main.client.publishSingle(dataId, GROUP, 'a1');
    if (ok !== true) fail(`${age} s after start: publishSingle(${dataId}, ${GROUP}, "a1") returned ${show(ok)}`);
    const v = await main.client.getConfig(dataId, GROUP);
    if (v !== 'a1') fail(`${age} s after start: getConfig(${dataId}) = ${show(v)}, expected "a1"`);
    await main.client.remove(dataId, GROUP).catch(() => {});
    return `${age} s after start: publish + get ok`;
  });
  main.client.close();
}

async function main() {
  process.stderr.write(`node scenario: NACOS_ADDR=${ADDR} COMPAT_RUN=${RUN} COMPAT_TMP=${TMP}\n`);
  const forAuth = await configSteps();
  await namingSteps({ step, fail, sleep, show, urllib, ADDR, RUN, TMP, GROUP, ID, AUTH });
  if (forAuth) await authStep(forAuth);
  process.stderr.write(`node scenario done: ${passed} passed, ${failed} failed\n`);
}

// config ~5 s + naming ~60 s (N5 alone waits up to 45 s for the beat timeout); the driver kills us at 120 s
const hardStop = setTimeout(() => {
  process.stderr.write('node scenario: overall deadline (110 s) reached\n');
  process.exit(0);
}, 110000);
main()
  .catch((e) => process.stderr.write(`node scenario crashed: ${e && e.stack ? e.stack : e}\n`))
  .finally(() => {
    clearTimeout(hardStop);
    // held long polls keep sockets open; leave at once
    setTimeout(() => process.exit(0), 50);
  });
