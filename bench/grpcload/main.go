// grpcload is a load generator for the Nacos SDK gRPC protocol. It opens -conns HTTP/2 connections and, on each, does
// what an SDK does before its first request (unary ServerCheckRequest, open the bi-stream, send ConnectionSetupRequest
// and wait for SetupAckRequest); then -streams workers per connection fire unary requests back to back for -d.
// It prints one JSON object on stdout: req/s, p50/p99 latency, errors and its own CPU use.
//
// The setup step tolerates a server that ignores or rejects the bi-stream (a bare baseline server): it waits at most
// -setup-timeout for the ack and carries on, reporting how many connections were acknowledged.
package main

import (
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
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protowire"
)

// rawCodec passes already-encoded Payload bytes through, so no generated protobuf code is needed.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)      { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error { *(v.(*[]byte)) = data; return nil }
func (rawCodec) Name() string                       { return "proto" }

// encodePayload builds Payload{metadata{type=3, headers=7, clientIp=8}, body Any{value=2}}.
func encodePayload(typ string, headers map[string]string, body string) []byte {
	var meta []byte
	meta = protowire.AppendTag(meta, 3, protowire.BytesType)
	meta = protowire.AppendString(meta, typ)
	for k, v := range headers {
		var e []byte
		e = protowire.AppendTag(e, 1, protowire.BytesType)
		e = protowire.AppendString(e, k)
		e = protowire.AppendTag(e, 2, protowire.BytesType)
		e = protowire.AppendString(e, v)
		meta = protowire.AppendTag(meta, 7, protowire.BytesType)
		meta = protowire.AppendBytes(meta, e)
	}
	meta = protowire.AppendTag(meta, 8, protowire.BytesType)
	meta = protowire.AppendString(meta, "127.0.0.1")
	var anyMsg []byte
	anyMsg = protowire.AppendTag(anyMsg, 2, protowire.BytesType)
	anyMsg = protowire.AppendString(anyMsg, body)
	var p []byte
	p = protowire.AppendTag(p, 2, protowire.BytesType)
	p = protowire.AppendBytes(p, meta)
	p = protowire.AppendTag(p, 3, protowire.BytesType)
	p = protowire.AppendBytes(p, anyMsg)
	return p
}

// fieldsOf returns the length-delimited fields of one message by number (the last occurrence wins).
func fieldsOf(b []byte) map[protowire.Number][]byte {
	out := map[protowire.Number][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return out
		}
		b = b[n:]
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return out
			}
			out[num] = v
			b = b[m:]
		} else {
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return out
			}
			b = b[m:]
		}
	}
	return out
}

// decodePayload returns the metadata type and the JSON body of a Payload.
func decodePayload(b []byte) (string, []byte) {
	f := fieldsOf(b)
	return string(fieldsOf(f[2])[3]), fieldsOf(f[3])[2]
}

const unary = "/Request/request"

var streamDesc = &grpc.StreamDesc{StreamName: "requestBiStream", ServerStreams: true, ClientStreams: true}

// conn is one SDK-like connection: the ClientConn and its open bi-stream.
type conn struct {
	cc    *grpc.ClientConn
	acked bool
}

// setup does ServerCheck, opens the bi-stream, sends ConnectionSetupRequest and waits (bounded) for SetupAckRequest.
// The stream stays open for the run; server pushes on it that carry a requestId are answered as an SDK would.
func setup(ctx context.Context, addr string, timeout time.Duration) (*conn, error) {
	// Fixed flow-control windows (no BDP pings) and a shared write buffer keep the generator's own CPU use low.
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})),
		grpc.WithInitialWindowSize(1<<20), grpc.WithInitialConnWindowSize(1<<22), grpc.WithSharedWriteBuffer(true))
	if err != nil {
		return nil, err
	}
	c := &conn{cc: cc}
	var out []byte
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := cc.Invoke(cctx, unary, encodePayload("ServerCheckRequest", nil, `{"headers":{},"module":"internal"}`), &out); err != nil {
		cc.Close()
		return nil, fmt.Errorf("ServerCheckRequest: %w", err)
	}
	stream, err := cc.NewStream(ctx, streamDesc, "/BiRequestStream/requestBiStream")
	if err != nil {
		return c, nil // a server without the stream: carry on unacknowledged
	}
	body := `{"headers":{},"clientVersion":"bnacos-grpcload:v1","tenant":"","labels":{"source":"sdk","module":"config"},"abilityTable":{"supportPersistentInstanceByGrpc":true}}`
	if err := stream.SendMsg(encodePayload("ConnectionSetupRequest", nil, body)); err != nil {
		return c, nil
	}
	ack := make(chan struct{}, 1)
	ended := make(chan struct{})
	go func() {
		for {
			var m []byte
			if err := stream.RecvMsg(&m); err != nil {
				close(ended) // e.g. Unimplemented from a server without the bi-stream
				return
			}
			typ, b := decodePayload(m)
			if typ == "SetupAckRequest" {
				ack <- struct{}{}
				continue
			}
			var push struct {
				RequestID string `json:"requestId"`
			}
			if json.Unmarshal(b, &push) == nil && push.RequestID != "" {
				reply := fmt.Sprintf(`{"headers":{},"requestId":%q,"resultCode":200,"errorCode":0,"success":true}`, push.RequestID)
				stream.SendMsg(encodePayload(strings.TrimSuffix(typ, "Request")+"Response", nil, reply))
			}
		}
	}()
	select {
	case <-ack:
		c.acked = true
	case <-ended:
	case <-cctx.Done():
	}
	return c, nil
}

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

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// procCPU is the CPU time (user + system, all threads) a process has used, from /proc/<pid>/stat; 0 without a pid.
func procCPU(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	var ut, st float64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return (ut + st) / 100 // clock ticks, USER_HZ = 100
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
	dump := flag.String("dump", "", "write the first response Payload (raw protobuf) to this file")
	procs := flag.Int("procs", 1, "GOMAXPROCS: on a 2-core machine one core for the generator leaves the other to the server")
	pid := flag.Int("pid", 0, "if set, also report this (server) process's CPU use over the measurement")
	flag.Parse()
	runtime.GOMAXPROCS(*procs)

	// Calls carry no deadline (no grpc-timeout header, so the server arms no timer per call, as with the Java SDK);
	// a watchdog bounds the whole run instead.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	time.AfterFunc(*warmup+*dur+*setupTimeout+30*time.Second, func() {
		fmt.Fprintln(os.Stderr, "grpcload: run did not finish in time")
		os.Exit(1)
	})
	cs := make([]*conn, *conns)
	errs := make([]error, *conns)
	var setupWG sync.WaitGroup
	for i := range cs {
		setupWG.Add(1)
		go func(i int) { defer setupWG.Done(); cs[i], errs[i] = setup(ctx, *addr, *setupTimeout) }(i)
	}
	setupWG.Wait()
	acked := 0
	for i, c := range cs {
		if errs[i] != nil {
			fmt.Fprintln(os.Stderr, "grpcload: setup failed:", errs[i])
			os.Exit(1)
		}
		if c.acked {
			acked++
		}
	}
	defer func() {
		for _, c := range cs {
			c.cc.Close()
		}
	}()

	// Metadata headers as the Java client sends them on a ConfigQueryRequest.
	req := encodePayload(*typ, map[string]string{"notify": "false", "exConfigInfo": "true", "charset": "UTF-8", "Client-AppName": "grpcload"}, *body)
	start := time.Now()
	measureFrom := start.Add(*warmup)
	end := measureFrom.Add(*dur)
	var errors atomic.Int64
	var firstErr atomic.Value
	var dumped atomic.Bool
	fail := func(s string) {
		errors.Add(1)
		firstErr.CompareAndSwap(nil, s)
	}
	lats := make([][]uint32, *conns**streams)
	cpu0 := make(chan [2]float64, 1)
	go func() { time.Sleep(time.Until(measureFrom)); cpu0 <- [2]float64{cpuSeconds(), procCPU(*pid)} }()
	var wg sync.WaitGroup
	for i := range lats {
		wg.Add(1)
		go func(i int, cc *grpc.ClientConn) {
			defer wg.Done()
			own := make([]uint32, 0, 1<<16)
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				var out []byte
				err := cc.Invoke(ctx, unary, req, &out)
				t1 := time.Now()
				measured := !t0.Before(measureFrom) && t1.Before(end)
				if err != nil {
					if measured {
						fail(err.Error())
					}
					continue
				}
				if *dump != "" && dumped.CompareAndSwap(false, true) {
					os.WriteFile(*dump, out, 0o644)
				}
				rt, rb := decodePayload(out)
				if rt != *expect || !bytes.Contains(rb, []byte(`"resultCode":200`)) {
					if measured {
						fail(rt + " " + string(rb))
					}
					continue
				}
				if measured {
					own = append(own, uint32(t1.Sub(t0).Microseconds()))
				}
			}
			lats[i] = own
		}(i, cs[i%*conns].cc)
	}
	wg.Wait()
	c0 := <-cpu0
	cpu, server := cpuSeconds()-c0[0], procCPU(*pid)-c0[1]
	all := slices.Concat(lats...)
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))]) / 1000
	}
	secs := dur.Seconds()
	r := result{Conns: *conns, Streams: *streams, Acked: acked, Seconds: secs, Requests: len(all), Errors: errors.Load(),
		RPS: float64(len(all)) / secs, P50ms: pct(0.50), P99ms: pct(0.99), CPUPct: 100 * cpu / secs, ServerCPUPct: 100 * server / secs}
	if s, ok := firstErr.Load().(string); ok {
		r.FirstError = s
	}
	json.NewEncoder(os.Stdout).Encode(r)
}
