// grpcload is the config-query load generator of bench/run.ts. It opens -conns connections, each set up as an SDK
// does (internal/nacos: ServerCheckRequest, bi-stream, ConnectionSetupRequest, wait for SetupAckRequest); then -streams
// workers per connection fire unary requests back to back for -d after -warmup.
// It prints one JSON object on stdout: req/s, p50/p99 latency, errors and its own CPU use.
//
// The setup step tolerates a server that ignores or rejects the bi-stream (a bare baseline server): it waits at most
// -setup-timeout for the ack and carries on, reporting how many connections were acknowledged.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"bnacos/bench/load/internal/measure"
	"bnacos/bench/load/internal/nacos"
)

type result struct {
	Conns        int     `json:"conns"`
	Streams      int     `json:"streams"`
	Acked        int     `json:"acked"`
	Seconds      float64 `json:"seconds"`
	Requests     int     `json:"requests"`
	Errors       int64   `json:"errors"`
	RPS          float64 `json:"rps"`
	P50ms        float64 `json:"p50_ms"`
	P99ms        float64 `json:"p99_ms"`
	CPUPct       float64 `json:"cpu_pct"`
	ServerCPUPct float64 `json:"server_cpu_pct"`
	FirstError   string  `json:"first_error,omitempty"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9848", "server address (loopback)")
	conns := flag.Int("conns", 10, "connections")
	streams := flag.Int("streams", 5, "concurrent requests per connection")
	dur := flag.Duration("d", 10*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measurement")
	typ := flag.String("type", "ConfigQueryRequest", "request type")
	body := flag.String("body", `{"headers":{},"module":"config","dataId":"bench.query","group":"DEFAULT_GROUP","tenant":""}`, "request JSON body")
	expect := flag.String("expect", "ConfigQueryResponse", "response type that counts as success (with resultCode 200)")
	setupTimeout := flag.Duration("setup-timeout", 3*time.Second, "bound on each connection's setup")
	ackWait := flag.Duration("ack-wait", 0, "if set, bound on the wait for SetupAckRequest alone (r-nacos sends none)")
	dump := flag.String("dump", "", "write the first response Payload (raw protobuf) to this file")
	procs := flag.Int("procs", 1, "GOMAXPROCS: on a 2-core machine one core for the generator leaves the other to the server")
	pid := flag.Int("pid", 0, "if set, also report this (server) process's CPU use over the measurement")
	flag.Parse()
	runtime.GOMAXPROCS(*procs)

	// Calls carry no deadline; a watchdog bounds the whole run instead.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	time.AfterFunc(*warmup+*dur+*setupTimeout+30*time.Second, func() {
		fmt.Fprintln(os.Stderr, "grpcload: run did not finish in time")
		os.Exit(1)
	})
	setup := nacos.Setup{Addr: *addr, Client: "grpcload", Module: "config", Timeout: *setupTimeout, AckWait: *ackWait, StreamOptional: true}
	cs := make([]*nacos.Conn, *conns)
	errs := make([]error, *conns)
	var setupWG sync.WaitGroup
	for i := range cs {
		setupWG.Add(1)
		go func(i int) { defer setupWG.Done(); cs[i], errs[i] = nacos.Dial(ctx, setup) }(i)
	}
	setupWG.Wait()
	acked := 0
	for i, c := range cs {
		if errs[i] != nil {
			fmt.Fprintln(os.Stderr, "grpcload: setup failed:", errs[i])
			os.Exit(1)
		}
		if c.Acked {
			acked++
		}
	}
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()

	// Metadata headers as the Java client sends them on a ConfigQueryRequest.
	req := nacos.EncodePayload(*typ, map[string]string{"notify": "false", "exConfigInfo": "true", "charset": "UTF-8", "Client-AppName": "grpcload"}, *body)
	start := time.Now()
	measureFrom := start.Add(*warmup)
	end := measureFrom.Add(*dur)
	failures := &measure.Errs{}
	var dumped atomic.Bool
	lats := make([][]uint32, *conns**streams)
	cpu0 := make(chan [2]float64, 1)
	go func() {
		time.Sleep(time.Until(measureFrom))
		cpu0 <- [2]float64{measure.SelfCPU(), measure.ProcCPU(*pid, false)}
	}()
	var wg sync.WaitGroup
	for i := range lats {
		wg.Add(1)
		go func(i int, c *nacos.Conn) {
			defer wg.Done()
			own := make([]uint32, 0, 1<<16) // µs
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				out, err := c.Invoke(ctx, req)
				t1 := time.Now()
				measured := !t0.Before(measureFrom) && t1.Before(end)
				if err == nil && *dump != "" && dumped.CompareAndSwap(false, true) {
					os.WriteFile(*dump, out, 0o644)
				}
				if err == nil {
					err = nacos.CheckResponse(out, *expect)
				}
				if !measured {
					continue
				}
				if err != nil {
					failures.Add(err.Error())
				} else {
					own = append(own, uint32(t1.Sub(t0).Microseconds()))
				}
			}
			lats[i] = own
		}(i, cs[i%*conns])
	}
	wg.Wait()
	c0 := <-cpu0
	cpu, server := measure.SelfCPU()-c0[0], measure.ProcCPU(*pid, false)-c0[1]
	all := slices.Concat(lats...)
	slices.Sort(all)
	pct := func(q float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(measure.Percentile(all, q)) / 1000
	}
	secs := dur.Seconds()
	json.NewEncoder(os.Stdout).Encode(result{Conns: *conns, Streams: *streams, Acked: acked, Seconds: secs,
		Requests: len(all), Errors: failures.Count(), RPS: float64(len(all)) / secs, P50ms: pct(0.50), P99ms: pct(0.99),
		CPUPct: 100 * cpu / secs, ServerCPUPct: 100 * server / secs, FirstError: failures.First()})
}
