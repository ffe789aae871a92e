// configload is the config-push generator of the side-by-side benchmark (bench/compare.ts). Over the Nacos SDK gRPC
// protocol it
//
//  1. opens one writer connection and publishes the initial content of one config (ConfigPublishRequest);
//  2. opens -listeners connections (each set up as an SDK does, internal/nacos) and sends one ConfigBatchListenRequest
//     on each for that config with the md5 of its current content; every ConfigChangeNotifyRequest the server pushes is
//     answered with ConfigChangeNotifyResponse (as the SDK does) and timed;
//  3. -samples times, one at a time: the writer publishes new content and waits for its ConfigPublishResponse (the
//     write's acknowledgement); each listener's first ConfigChangeNotifyRequest for the config after the request was
//     sent is timed from the acknowledgement (0 if it came before it) and from the send;
//  4. prints one JSON line and closes everything.
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
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

// sample is one publish, timed at each listener.
type sample struct {
	mu       sync.Mutex
	sent     time.Time
	acked    time.Time
	recv     []time.Time // per listener, zero until seen
	left     int
	done     chan struct{}
	fromAck  []time.Duration
	fromSend []time.Duration
}

var (
	cur      atomic.Pointer[sample]
	notifies atomic.Int64
	others   atomic.Int64
	stats    nacos.Stats
)

func (s *sample) observe(slot int, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slot >= len(s.recv) || !s.recv[slot].IsZero() || now.Before(s.sent) {
		return
	}
	s.recv[slot] = now
	if s.left--; s.left == 0 {
		close(s.done)
	}
}

// finish computes the latencies once the acknowledgement time is known and the wait is over.
func (s *sample) finish() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.recv {
		if t.IsZero() {
			continue
		}
		s.fromSend = append(s.fromSend, t.Sub(s.sent))
		s.fromAck = append(s.fromAck, max(0, t.Sub(s.acked)))
	}
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

func main() {
	addr := flag.String("addr", "127.0.0.1:9848", "server gRPC address (loopback)")
	listeners := flag.Int("listeners", 1000, "listener connections")
	dataID := flag.String("data-id", "bench.listen", "dataId of the config listened to")
	group := flag.String("group", "DEFAULT_GROUP", "group")
	tenant := flag.String("tenant", "", "tenant (namespace); empty is public")
	size := flag.Int("size", 200, "content size in bytes")
	samples := flag.Int("samples", 100, "publishes, one at a time")
	gap := flag.Duration("gap", 20*time.Millisecond, "pause between publishes")
	sampleTimeout := flag.Duration("sample-timeout", 3*time.Second, "bound on waiting for a publish's pushes")
	conc := flag.Int("setup-conc", 64, "connection setups in flight")
	setupTimeout := flag.Duration("setup-timeout", 5*time.Second, "bound on each connection's setup")
	ackWait := flag.Duration("ack-wait", 0, "if set, bound on the wait for SetupAckRequest alone (r-nacos sends none)")
	procs := flag.Int("procs", 1, "GOMAXPROCS")
	pid := flag.Int("pid", 0, "server pid, for its CPU use during the samples")
	maxRun := flag.Duration("max", 3*time.Minute, "watchdog on the whole run")
	flag.Parse()
	runtime.GOMAXPROCS(*procs)
	time.AfterFunc(*maxRun, func() {
		fmt.Fprintln(os.Stderr, "configload: run did not finish in time")
		os.Exit(1)
	})
	ctx := context.Background()
	fail := func(what string, err error) {
		json.NewEncoder(os.Stdout).Encode(map[string]any{"event": "failed", "what": what, "error": err.Error()})
		os.Exit(1)
	}
	content := func(i int) string {
		return (fmt.Sprintf("# bench listened config, version %d\nendpoint=http://svc.bench.local:8080\ntimeout=3000\n", i) + strings.Repeat("#", *size))[:*size]
	}
	publish := func(c *nacos.Conn, i int) error {
		body, _ := json.Marshal(map[string]any{"headers": map[string]string{}, "dataId": *dataID, "group": *group, "tenant": *tenant, "content": content(i), "casMd5": "", "additionMap": map[string]string{}, "module": "config"})
		cctx, cancel := context.WithTimeout(ctx, *sampleTimeout)
		defer cancel()
		return c.Call(cctx, "ConfigPublishRequest", string(body), "ConfigPublishResponse")
	}

	base := nacos.Setup{Addr: *addr, Client: "configload", Module: "config", Timeout: *setupTimeout, AckWait: *ackWait, Stats: &stats}
	writer, err := nacos.Dial(ctx, base)
	if err != nil {
		fail("writer setup", err)
	}
	if err := publish(writer, 0); err != nil {
		fail("initial publish", err)
	}
	sum := md5.Sum([]byte(content(0)))
	md5hex := hex.EncodeToString(sum[:])
	key := []byte(fmt.Sprintf(`"dataId":%q`, *dataID))

	// Listeners.
	t0 := time.Now()
	conns := make([]*nacos.Conn, *listeners)
	setupErrs, listenErrs := &measure.Errs{}, &measure.Errs{}
	sem := make(chan struct{}, *conc)
	var wg sync.WaitGroup
	listenBody, _ := json.Marshal(map[string]any{"headers": map[string]string{}, "listen": true, "module": "config",
		"configListenContexts": []map[string]string{{"dataId": *dataID, "group": *group, "tenant": *tenant, "md5": md5hex}}})
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			s := base
			s.OnPush = func(typ string, body []byte, _ int, now time.Time) {
				if typ != "ConfigChangeNotifyRequest" {
					others.Add(1)
					if os.Getenv("CONFIGLOAD_DEBUG") != "" {
						fmt.Fprintf(os.Stderr, "[configload] push %s %.300s\n", typ, body)
					}
					return
				}
				notifies.Add(1)
				if smp := cur.Load(); smp != nil && strings.Contains(string(body), string(key)) {
					smp.observe(i, now)
				}
			}
			c, err := nacos.Dial(ctx, s)
			if err != nil {
				setupErrs.Add(err.Error())
				return
			}
			conns[i] = c
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := c.Call(cctx, "ConfigBatchListenRequest", string(listenBody), "ConfigChangeBatchListenResponse"); err != nil {
				listenErrs.Add(err.Error())
			}
		}(i)
	}
	wg.Wait()
	setupSecs := time.Since(t0).Seconds()
	acked, connected := 0, 0
	for _, c := range conns {
		if c != nil {
			connected++
		}
		if c != nil && c.Acked {
			acked++
		}
	}
	fmt.Fprintf(os.Stderr, "[configload] %d listeners set up (%d acked) and listening in %.1f s\n", connected, acked, setupSecs)
	time.Sleep(500 * time.Millisecond)
	n0 := notifies.Load()

	// Samples.
	cpu0, srv0, m0, w0 := measure.SelfCPU(), measure.ProcCPU(*pid, false), measure.MachineBusy(), time.Now()
	pubErrs := &measure.Errs{}
	var fromAck, fromSend []time.Duration
	missing := 0
	pubLat := make([]time.Duration, 0, *samples)
	for i := 1; i <= *samples; i++ {
		s := &sample{recv: make([]time.Time, *listeners), left: *listeners, done: make(chan struct{})}
		s.sent = time.Now()
		cur.Store(s)
		err := publish(writer, i)
		s.mu.Lock()
		s.acked = time.Now()
		s.mu.Unlock()
		if err != nil {
			pubErrs.Add(err.Error())
		} else {
			pubLat = append(pubLat, s.acked.Sub(s.sent))
		}
		select {
		case <-s.done:
		case <-time.After(*sampleTimeout):
		}
		cur.Store(nil)
		missing += s.finish()
		fromAck, fromSend = append(fromAck, s.fromAck...), append(fromSend, s.fromSend...)
		time.Sleep(*gap)
	}
	secs := time.Since(w0).Seconds()
	self, srv, machine := 100*(measure.SelfCPU()-cpu0)/secs, 100*(measure.ProcCPU(*pid, false)-srv0)/secs, 100*(measure.MachineBusy()-m0)/secs
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"event": "done", "listeners": *listeners, "connected": connected, "acked": acked, "setup_secs": setupSecs, "setup_errors": setupErrs.JSON(),
		"listen_errors": listenErrs.JSON(), "samples": *samples, "publish_errors": pubErrs.JSON(), "publish_latency": pcts(pubLat),
		"from_ack": pcts(fromAck), "from_send": pcts(fromSend), "missing": missing, "notifies": notifies.Load() - n0,
		"other_server_requests": others.Load(), "acks": stats.Acks.Load(), "ack_errors": stats.AckErrors.Load(),
		"cpu": map[string]float64{"generator_cpu_pct": self, "server_cpu_pct": srv, "others_cpu_pct": max(0, machine-self-srv)},
	})
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	writer.Close()
}
