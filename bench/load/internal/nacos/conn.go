package nacos

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

const unaryMethod = "/Request/request"

var biStream = &grpc.StreamDesc{StreamName: "requestBiStream", ServerStreams: true, ClientStreams: true}

// Setup says how a connection presents itself to the server and what it does with the requests pushed to it.
type Setup struct {
	Addr    string        // loopback host:port of the server's gRPC port
	Client  string        // the generator's name: clientVersion "bnacos-<Client>:v1" and label AppName
	Module  string        // label module of the ConnectionSetupRequest: "config", "naming"
	Timeout time.Duration // bound on ServerCheckRequest and on the wait for SetupAckRequest
	// AckWait, if set, bounds the wait for SetupAckRequest alone: r-nacos 0.8 never sends one, so a generator would
	// otherwise wait Timeout on every connection.
	AckWait time.Duration
	// StreamOptional: a server without the bi-stream (a bare baseline) leaves the connection unacknowledged instead
	// of failing its setup.
	StreamOptional bool
	// OnPush, if set, sees each request the server sends on the stream (SetupAckRequest aside) before it is
	// answered; size is that of the whole Payload. It runs on the connection's receiving goroutine.
	OnPush func(typ string, body []byte, size int, at time.Time)
	Stats  *Stats // counts the answers to pushes; may be nil
}

// Stats counts, over any number of connections, the answers sent to the server's pushes.
type Stats struct{ Acks, AckErrors atomic.Int64 }

// Conn is one SDK-like connection: the ClientConn with its bi-stream open for as long as the connection lives.
type Conn struct {
	CC         *grpc.ClientConn
	Acked      bool         // the server sent SetupAckRequest in time
	lastActive atomic.Int64 // unix ns of the last successful Call or received push
}

// Dial does what an SDK does before its first request: unary ServerCheckRequest, open the bi-stream, send
// ConnectionSetupRequest with an abilityTable and wait (at most s.Timeout) for SetupAckRequest. Every later request
// on the stream that carries a requestId is answered with the matching *Response, as an SDK does.
func Dial(ctx context.Context, s Setup) (*Conn, error) {
	// Fixed flow-control windows (no BDP pings) and a shared write buffer keep the generator's own CPU use low.
	cc, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(10<<20)),
		grpc.WithInitialWindowSize(1<<20), grpc.WithInitialConnWindowSize(1<<22), grpc.WithSharedWriteBuffer(true))
	if err != nil {
		return nil, err
	}
	c := &Conn{CC: cc}
	c.touch(time.Now())
	cctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	if _, err := c.Invoke(cctx, EncodePayload("ServerCheckRequest", nil, `{"headers":{},"module":"internal"}`)); err != nil {
		cc.Close()
		return nil, fmt.Errorf("ServerCheckRequest: %w", err)
	}
	stream, err := cc.NewStream(ctx, biStream, "/BiRequestStream/requestBiStream")
	if err == nil {
		body := fmt.Sprintf(`{"headers":{},"clientVersion":"bnacos-%s:v1","tenant":"","labels":{"source":"sdk","module":%q,"AppName":%q},"abilityTable":{"supportPersistentInstanceByGrpc":true}}`, s.Client, s.Module, s.Client)
		err = stream.SendMsg(EncodePayload("ConnectionSetupRequest", nil, body))
	}
	if err != nil {
		if s.StreamOptional {
			return c, nil
		}
		cc.Close()
		return nil, fmt.Errorf("bi-stream: %w", err)
	}
	ack := make(chan struct{}, 1)
	ended := make(chan struct{})
	go c.serve(stream, s, ack, ended)
	ackCtx := cctx
	if s.AckWait > 0 {
		var cancelAck context.CancelFunc
		ackCtx, cancelAck = context.WithTimeout(cctx, s.AckWait)
		defer cancelAck()
	}
	select {
	case <-ack:
		c.Acked = true
	case <-ended: // e.g. Unimplemented from a server without the bi-stream
	case <-ackCtx.Done():
	}
	return c, nil
}

// serve receives on the bi-stream until it ends: it signals the SetupAckRequest and answers every other request.
func (c *Conn) serve(stream grpc.ClientStream, s Setup, ack, ended chan struct{}) {
	defer close(ended)
	for {
		var m []byte
		if err := stream.RecvMsg(&m); err != nil {
			return
		}
		now := time.Now()
		c.touch(now)
		typ, body := DecodePayload(m)
		if typ == "SetupAckRequest" {
			select {
			case ack <- struct{}{}:
			default:
			}
			continue
		}
		if s.OnPush != nil {
			s.OnPush(typ, body, len(m), now)
		}
		id := RequestID(body)
		if id == "" {
			continue
		}
		reply := fmt.Sprintf(`{"headers":{},"requestId":%q,"resultCode":200,"errorCode":0,"success":true}`, id)
		err := stream.SendMsg(EncodePayload(strings.TrimSuffix(typ, "Request")+"Response", nil, reply))
		switch {
		case s.Stats == nil:
		case err == nil:
			s.Stats.Acks.Add(1)
		default:
			s.Stats.AckErrors.Add(1)
		}
	}
}

func (c *Conn) touch(t time.Time) { c.lastActive.Store(t.UnixNano()) }

// Invoke sends one encoded request Payload on the unary method and returns the response Payload. Calls carry no
// deadline unless ctx has one (no grpc-timeout header, so the server arms no timer per call, as with the Java SDK).
func (c *Conn) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var out []byte
	err := c.CC.Invoke(ctx, unaryMethod, payload, &out)
	return out, err
}

// Call sends one request and checks that the answer has type `expect` and resultCode 200.
func (c *Conn) Call(ctx context.Context, typ, body, expect string) error {
	out, err := c.Invoke(ctx, EncodePayload(typ, nil, body))
	if err == nil {
		err = CheckResponse(out, expect)
	}
	if err == nil {
		c.touch(time.Now())
	}
	return err
}

// KeepAlive runs the Java SDK's keep-alive loop (RpcClient) until ctx ends: wake every `every` and send a
// HealthCheckRequest if nothing succeeded on the connection (a Call or a push received) for `every`; done gets each
// check's result.
func (c *Conn) KeepAlive(ctx context.Context, every time.Duration, done func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if time.Now().UnixNano()-c.lastActive.Load() < int64(every) {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		done(c.Call(cctx, "HealthCheckRequest", `{"headers":{},"module":"internal"}`, "HealthCheckResponse"))
		cancel()
	}
}

// Close closes the connection and its stream.
func (c *Conn) Close() { c.CC.Close() }
