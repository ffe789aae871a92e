// namingload is the load generator of the naming benchmark (bench/naming.ts). Over the Nacos SDK gRPC protocol it
//
//  1. opens -services × -subs connections (each: unary ServerCheckRequest, bi-stream, ConnectionSetupRequest with an
//     abilityTable, wait for SetupAckRequest) and sends one SubscribeServiceRequest on each (service i % -services);
//     every request the server pushes on a stream (NotifySubscriberRequest, ClientDetectionRequest, …) is answered
//     with the matching *Response carrying the push's requestId, as an SDK does;
//  2. opens -pubs publisher connections and one sampler connection the same way;
//  3. registers -per instances per publisher, all publishers at once (-mode single: -per InstanceRequests into -per
//     different services, one after the other; -mode batch: one BatchInstanceRequest of -per into one service), and
//     waits until every subscriber's latest push lists all instances of its service (convergence);
//  4. -samples times, one at a time: the sampler registers a fresh instance into service i % -services and every
//     subscriber of that service times the NotifySubscriberRequest that first lists it (from just before the request
//     is sent); then the sampler deregisters it and the push that no longer lists it is timed the same way;
//  5. prints a JSON line {"event":"ready",…} and keeps every connection open (answering pushes and sending
//     HealthCheckRequest on connections idle for -health, as the Java SDK does) until a line or EOF on stdin, or
//     -hold; then prints {"event":"end",…} and closes everything.
//
// CPU use of the generator, of the server (-pid) and of the whole machine is reported per phase.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bnacos/bench/load/internal/measure"
	"bnacos/bench/load/internal/nacos"
)

// ---- CPU accounting ----

type mark struct {
	t                                 time.Time
	self, server, serverMain, machine float64
}

var serverPid int

func markNow() mark {
	return mark{time.Now(), measure.SelfCPU(), measure.ProcCPU(serverPid, false), measure.ProcCPU(serverPid, true), measure.MachineBusy()}
}

// cpuSince gives the generator's, the server's (and its main thread's) and everyone else's CPU use since m, in % of
// one core.
func cpuSince(m mark) map[string]float64 {
	n := markNow()
	secs := n.t.Sub(m.t).Seconds()
	self, server := 100*(n.self-m.self)/secs, 100*(n.server-m.server)/secs
	return map[string]float64{"secs": secs, "generator_cpu_pct": self, "server_cpu_pct": server, "server_main_thread_cpu_pct": 100 * (n.serverMain - m.serverMain) / secs,
		"others_cpu_pct": max(0, 100*(n.machine-m.machine)/secs-self-server)}
}

// ---- connections ----

var (
	stats       nacos.Stats  // acks of the server's pushes
	pushes      atomic.Int64 // NotifySubscriberRequest received
	pushBytes   atomic.Int64
	otherPushes atomic.Int64 // other server requests (ClientDetectionRequest, …)
	curSample   atomic.Pointer[sample]
	instanceKey = []byte(`"instanceId"`)
	healthEvery time.Duration
	healthOK    atomic.Int64
	healthErrs  = &measure.Errs{}
)

// conn is one connection and, for a subscriber, its service, its slot among the service's subscribers and the number
// of instances its latest push listed.
type conn struct {
	*nacos.Conn
	svc, slot int
	hosts     atomic.Int32
}

// onPush counts the server's requests and, for a subscriber, reads each NotifySubscriberRequest.
func (c *conn) onPush(typ string, body []byte, size int, now time.Time) {
	if typ != "NotifySubscriberRequest" {
		otherPushes.Add(1)
		return
	}
	pushes.Add(1)
	pushBytes.Add(int64(size))
	c.hosts.Store(int32(bytes.Count(body, instanceKey)))
	if s := curSample.Load(); s != nil && s.svc == c.svc {
		s.observe(c.slot, body, now)
	}
}

// connectAll opens n connections with at most conc setups in flight; assign gives each its (service, slot). Each runs
// the SDK keep-alive from the end of its setup.
func connectAll(ctx context.Context, setup nacos.Setup, n, conc int, assign func(i int) (int, int), e *measure.Errs) []*conn {
	out := make([]*conn, n)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			c := &conn{}
			c.svc, c.slot = assign(i)
			s := setup
			s.OnPush = c.onPush
			var err error
			if c.Conn, err = nacos.Dial(ctx, s); err != nil {
				e.Add(err.Error())
				return
			}
			out[i] = c
			if healthEvery > 0 {
				go c.KeepAlive(ctx, healthEvery, countHealth)
			}
		}(i)
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(c *conn) bool { return c == nil })
}

func countHealth(err error) {
	if err != nil {
		healthErrs.Add(err.Error())
	} else {
		healthOK.Add(1)
	}
}

// ---- push latency samples ----

// sample is one registration (phase 0) then deregistration (phase 1) of a fresh instance, timed at each subscriber.
type sample struct {
	svc    int
	marker []byte
	mu     sync.Mutex
	phase  int
	t0     time.Time
	seen   []bool
	left   int
	done   chan struct{}
	lat    [2][]time.Duration
}

// begin starts a phase: t0 is taken just before the request is sent.
func (s *sample) begin(phase, subs int) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.phase, s.seen, s.left, s.done = phase, make([]bool, subs), subs, make(chan struct{})
	s.t0 = time.Now()
	return s.done
}

// observe records a subscriber's first push that lists the instance (phase 0) or no longer lists it (phase 1).
func (s *sample) observe(slot int, body []byte, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil || slot >= len(s.seen) || s.seen[slot] || bytes.Contains(body, s.marker) != (s.phase == 0) {
		return
	}
	s.seen[slot] = true
	s.lat[s.phase] = append(s.lat[s.phase], now.Sub(s.t0))
	if s.left--; s.left == 0 {
		close(s.done)
	}
}

func (s *sample) missing() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.left
}

func pcts(ds []time.Duration) map[string]any {
	if len(ds) == 0 {
		return map[string]any{"n": 0}
	}
	slices.Sort(ds)
	p := func(q float64) float64 { return float64(measure.Percentile(ds, q).Microseconds()) / 1000 }
	return map[string]any{"n": len(ds), "p50_ms": p(0.5), "p90_ms": p(0.9), "p99_ms": p(0.99), "max_ms": p(1), "min_ms": p(0)}
}

func instanceJSON(ip string, port int, svc string) string {
	return fmt.Sprintf(`{"ip":"%s","port":%d,"weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"DEFAULT","serviceName":"%s","metadata":{"source":"namingload"}}`, ip, port, svc)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9848", "server gRPC address (loopback)")
	services := flag.Int("services", 100, "services")
	subsPer := flag.Int("subs", 10, "subscriber connections per service")
	pubs := flag.Int("pubs", 1000, "publisher connections")
	per := flag.Int("per", 10, "instances per publisher")
	mode := flag.String("mode", "single", "single: one InstanceRequest per instance, each into another service; batch: one BatchInstanceRequest per publisher")
	group := flag.String("group", "DEFAULT_GROUP", "group of the services")
	prefix := flag.String("prefix", "bench.svc.", "service name prefix (the services are <prefix>0 … <prefix>N-1)")
	samples := flag.Int("samples", 200, "push latency samples (each a register then a deregister)")
	gap := flag.Duration("gap", 20*time.Millisecond, "pause between samples")
	sampleTimeout := flag.Duration("sample-timeout", 3*time.Second, "bound on waiting for a sample's pushes")
	conc := flag.Int("setup-conc", 64, "connection setups in flight")
	setupTimeout := flag.Duration("setup-timeout", 5*time.Second, "bound on each connection's setup (the Java SDK waits 5 s for SetupAck)")
	ackWait := flag.Duration("ack-wait", 0, "if set, bound on the wait for SetupAckRequest alone (r-nacos sends none)")
	convergeTimeout := flag.Duration("converge-timeout", 60*time.Second, "bound on waiting for every subscriber to see every instance")
	health := flag.Duration("health", 5*time.Second, "send HealthCheckRequest on connections idle this long (Java SDK: 5 s); 0 disables")
	hold := flag.Duration("hold", 5*time.Minute, "longest time to keep the connections after the ready line")
	maxRun := flag.Duration("max", 10*time.Minute, "watchdog on the whole run")
	procs := flag.Int("procs", 1, "GOMAXPROCS: on a 2-core machine one core for the generator leaves the other to the server")
	pid := flag.Int("pid", 0, "server pid, for its CPU use per phase")
	connectOnly := flag.Int("connect-only", 0, "if set: only open this many connections (setup, no subscribe or register), then hold as in step 5")
	flag.Parse()
	runtime.GOMAXPROCS(*procs)
	serverPid = *pid
	healthEvery = *health
	if *mode != "single" && *mode != "batch" {
		fmt.Fprintln(os.Stderr, "namingload: -mode must be single or batch")
		os.Exit(2)
	}
	time.AfterFunc(*maxRun, func() {
		fmt.Fprintln(os.Stderr, "namingload: run did not finish in time")
		os.Exit(1)
	})
	say := func(f string, a ...any) { fmt.Fprintf(os.Stderr, "[namingload] "+f+"\n", a...) }
	out := json.NewEncoder(os.Stdout)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svcName := func(i int) string { return fmt.Sprintf("%s%d", *prefix, i) }
	res := map[string]any{"event": "ready", "mode": *mode, "services": *services, "gomaxprocs": *procs}
	setup := nacos.Setup{Addr: *addr, Client: "namingload", Module: "naming", Timeout: *setupTimeout, AckWait: *ackWait, Stats: &stats}
	noService := func(int) (int, int) { return -1, -1 }

	if *connectOnly > 0 {
		m := markNow()
		e := &measure.Errs{}
		all := connectAll(ctx, setup, *connectOnly, *conc, noService, e)
		res["connections"] = map[string]any{"wanted": *connectOnly, "connected": len(all), "setup_acked": countAcked(all), "setup_errors": e.JSON(), "cpu": cpuSince(m)}
		say("%d/%d connections set up in %.1f s", len(all), *connectOnly, time.Since(m.t).Seconds())
		holdAndEnd(out, res, all, *hold)
		return
	}

	// 1. Subscribers.
	nSubs := *services * *subsPer
	setupErrs, subErrs := &measure.Errs{}, &measure.Errs{}
	m := markNow()
	subs := connectAll(ctx, setup, nSubs, *conc, func(i int) (int, int) { return i % *services, i / *services }, setupErrs)
	var wg sync.WaitGroup
	sem := make(chan struct{}, *conc)
	for _, c := range subs {
		wg.Add(1)
		sem <- struct{}{}
		go func(c *conn) {
			defer func() { <-sem; wg.Done() }()
			body := fmt.Sprintf(`{"headers":{},"namespace":"public","serviceName":"%s","groupName":"%s","module":"naming","subscribe":true,"clusters":""}`, svcName(c.svc), *group)
			cctx, cc := context.WithTimeout(ctx, 10*time.Second)
			defer cc()
			if err := c.Call(cctx, "SubscribeServiceRequest", body, "SubscribeServiceResponse"); err != nil {
				subErrs.Add(err.Error())
			}
		}(c)
	}
	wg.Wait()
	res["subscribers"] = map[string]any{"wanted": nSubs, "connected": len(subs), "cpu": cpuSince(m)}
	say("%d/%d subscriber connections set up and subscribed in %.1f s", len(subs), nSubs, time.Since(m.t).Seconds())

	// 2. Publishers and the sampler.
	m = markNow()
	pubConns := connectAll(ctx, setup, *pubs+1, *conc, noService, setupErrs)
	res["publishers"] = map[string]any{"wanted": *pubs + 1, "connected": len(pubConns), "cpu": cpuSince(m)}
	say("%d/%d publisher connections set up in %.1f s", len(pubConns), *pubs+1, time.Since(m.t).Seconds())
	all := slices.Concat(subs, pubConns)
	res["connections"] = map[string]any{"wanted": nSubs + *pubs + 1, "connected": len(all), "setup_acked": countAcked(all), "setup_errors": setupErrs.JSON(), "subscribe_errors": subErrs.JSON()}
	if len(pubConns) < 2 || len(subs) == 0 {
		res["event"] = "failed"
		out.Encode(res)
		os.Exit(1)
	}
	sampler, pubConns := pubConns[len(pubConns)-1], pubConns[:len(pubConns)-1]

	// 3. Registration, all publishers at once.
	expected := make([]int32, *services)
	type job struct{ typ, body, expect string }
	plans := make([][]job, len(pubConns))
	instances := 0
	for j := range pubConns {
		ip := fmt.Sprintf("10.%d.%d.%d", 1+j/65536, (j/256)%256, j%256)
		if *mode == "batch" {
			svc := j % *services
			list := make([]string, *per)
			for k := range list {
				list[k] = instanceJSON(ip, 8000+k, svcName(svc))
			}
			body := fmt.Sprintf(`{"headers":{},"namespace":"public","serviceName":"%s","groupName":"%s","module":"naming","type":"batchRegisterInstance","instances":[%s]}`, svcName(svc), *group, strings.Join(list, ","))
			plans[j] = []job{{"BatchInstanceRequest", body, "BatchInstanceResponse"}}
			expected[svc] += int32(*per)
		} else {
			stride := max(1, *services / *per)
			for k := 0; k < *per; k++ {
				svc := (j + k*stride) % *services
				body := fmt.Sprintf(`{"headers":{},"namespace":"public","serviceName":"%s","groupName":"%s","module":"naming","type":"registerInstance","instance":%s}`, svcName(svc), *group, instanceJSON(ip, 8000+k, svcName(svc)))
				plans[j] = append(plans[j], job{"InstanceRequest", body, "InstanceResponse"})
				expected[svc]++
			}
		}
		instances += *per
	}
	regErrs := &measure.Errs{}
	lats := make([][]time.Duration, len(pubConns))
	var lastDone atomic.Int64
	p0 := pushes.Load()
	start := make(chan struct{})
	for j, c := range pubConns {
		wg.Add(1)
		go func(j int, c *conn) {
			defer wg.Done()
			<-start
			for _, jb := range plans[j] {
				t := time.Now()
				cctx, cc := context.WithTimeout(ctx, 30*time.Second)
				err := c.Call(cctx, jb.typ, jb.body, jb.expect)
				cc()
				if err != nil {
					regErrs.Add(err.Error())
					continue
				}
				lats[j] = append(lats[j], time.Since(t))
			}
			for {
				now, last := time.Now().UnixNano(), lastDone.Load()
				if now <= last || lastDone.CompareAndSwap(last, now) {
					break
				}
			}
		}(j, c)
	}
	time.Sleep(200 * time.Millisecond) // let the goroutines park on the start line
	m = markNow()
	close(start)
	wg.Wait()
	regSecs := time.Unix(0, lastDone.Load()).Sub(m.t).Seconds()
	regCPU := cpuSince(m)
	requests := 0
	for _, p := range plans {
		requests += len(p)
	}
	converged := false
	for time.Since(m.t) < *convergeTimeout {
		converged = true
		for _, c := range subs {
			if c.hosts.Load() != expected[c.svc] {
				converged = false
				break
			}
		}
		if converged {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	convSecs := time.Since(m.t).Seconds()
	convCPU := cpuSince(m)
	notSeen := 0
	for _, c := range subs {
		if c.hosts.Load() != expected[c.svc] {
			notSeen++
		}
	}
	ok := requests - int(regErrs.Count())
	res["register"] = map[string]any{
		"requests": requests, "instances": instances, "errors": regErrs.JSON(), "secs": regSecs,
		"requests_per_s": float64(ok) / regSecs, "instances_per_s": float64(instances*ok/requests) / regSecs,
		"latency": pcts(slices.Concat(lats...)), "cpu": regCPU,
		"converged": converged, "converge_secs": convSecs, "converge_cpu": convCPU, "subscribers_not_converged": notSeen,
		"pushes": pushes.Load() - p0, "expected_per_service": expected[0],
	}
	say("registered %d instances with %d requests in %.2f s (%d errors); subscribers converged: %v after %.2f s", instances, requests, regSecs, regErrs.Count(), converged, convSecs)

	// 4. Push latency samples, one at a time.
	time.Sleep(time.Second)
	m = markNow()
	var reg, dereg []time.Duration
	missing := [2]int{}
	sampleErrs := &measure.Errs{}
	for i := 0; i < *samples; i++ {
		svc := i % *services
		ip := fmt.Sprintf("10.250.%d.%d", i/250, 1+i%250)
		port := 30000 + i
		// The ip (unique to this sample) as a quoted JSON string: it matches the instance's "ip" field whatever the
		// server's instanceId format (bnacos and Java: ip#port#cluster#service; r-nacos: ip#port).
		s := &sample{svc: svc, marker: []byte(fmt.Sprintf(`"%s"`, ip))}
		curSample.Store(s)
		n := 0
		for _, c := range subs {
			if c.svc == svc {
				n = max(n, c.slot+1)
			}
		}
		for phase, typ := range []string{"registerInstance", "deregisterInstance"} {
			body := fmt.Sprintf(`{"headers":{},"namespace":"public","serviceName":"%s","groupName":"%s","module":"naming","type":"%s","instance":%s}`, svcName(svc), *group, typ, instanceJSON(ip, port, svcName(svc)))
			done := s.begin(phase, n)
			cctx, cc := context.WithTimeout(ctx, *sampleTimeout)
			if err := sampler.Call(cctx, "InstanceRequest", body, "InstanceResponse"); err != nil {
				sampleErrs.Add(err.Error())
			}
			select {
			case <-done:
			case <-cctx.Done():
			}
			cc()
			missing[phase] += s.missing()
		}
		curSample.Store(nil)
		reg, dereg = append(reg, s.lat[0]...), append(dereg, s.lat[1]...)
		time.Sleep(*gap)
	}
	res["samples"] = map[string]any{
		"samples": *samples, "subscribers_per_service": *subsPer, "register": pcts(reg), "deregister": pcts(dereg),
		"missing_register": missing[0], "missing_deregister": missing[1], "errors": sampleErrs.JSON(), "cpu": cpuSince(m),
	}
	say("push latency: %d samples", *samples)

	// 5. Hold until told.
	holdAndEnd(out, res, all, *hold)
}

func countAcked(all []*conn) int {
	n := 0
	for _, c := range all {
		if c.Acked {
			n++
		}
	}
	return n
}

// holdAndEnd prints the ready line, keeps the connections (answering pushes; health checks go on) until a line or EOF on
// stdin or `hold`, prints the end line and closes every connection.
func holdAndEnd(out *json.Encoder, res map[string]any, all []*conn, hold time.Duration) {
	res["pushes"] = pushes.Load()
	res["push_mb"] = float64(pushBytes.Load()) / (1 << 20)
	res["acks"] = stats.Acks.Load()
	res["ack_errors"] = stats.AckErrors.Load()
	res["other_server_requests"] = otherPushes.Load()
	out.Encode(res)
	release := make(chan struct{})
	go func() {
		bufio.NewReader(os.Stdin).ReadString('\n')
		close(release)
	}()
	pHold := pushes.Load()
	select {
	case <-release:
	case <-time.After(hold):
	}
	dead := 0
	for _, c := range all {
		if s := c.CC.GetState().String(); s == "SHUTDOWN" || s == "TRANSIENT_FAILURE" {
			dead++
		}
	}
	out.Encode(map[string]any{
		"event": "end", "health_checks": healthOK.Load(), "health_errors": healthErrs.JSON(), "pushes_while_held": pushes.Load() - pHold,
		"pushes": pushes.Load(), "acks": stats.Acks.Load(), "ack_errors": stats.AckErrors.Load(), "other_server_requests": otherPushes.Load(), "dead_connections": dead,
	})
	for _, c := range all {
		c.Close()
	}
}
