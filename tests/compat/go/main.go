// Cross-SDK conformance scenario for nacos-sdk-go v2 (SDK id "go").
//
// Environment (see ../CONTRACT.md):
//
//	NACOS_ADDR  127.0.0.1:<httpPort>   (the SDK derives gRPC as httpPort+1000)
//	COMPAT_TMP  scratch dir for SDK logs and caches
//	COMPAT_RUN  random suffix used in every dataId / service name
//
// Prints one `RESULT go <step> PASS|FAIL <ms> <detail>` line per step and always exits 0.
// Steps are plain entries of the `steps` list in main(): the config steps C1–C6 are in this file,
// the naming steps N1–N6 in naming.go, the auth step A1 (COMPAT_AUTH=1 only) in auth.go.
package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nacos-group/nacos-sdk-go/v2/clients"
	"github.com/nacos-group/nacos-sdk-go/v2/clients/config_client"
	"github.com/nacos-group/nacos-sdk-go/v2/clients/naming_client"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"
)

const (
	sdkID       = "go"
	configGroup = "COMPAT_GROUP"
	// How long to wait for a listener push after a publish (contract: 2 s).
	pushBudget = 2 * time.Second
	// nacos-sdk-go sends its ConfigBatchListenRequest from a loop that wakes every 5 s, so a listener
	// is only registered on the server up to 5 s after ListenConfig returns.
	listenRegisterBudget = 7 * time.Second
	// The initial callback is fired from inside the SDK's executeConfigListen, which afterwards writes
	// back stale copies of its cache entries: a ConfigChangeNotifyRequest handled in that window loses
	// its "not in sync" mark and the change is only seen at the next full sync (5 min). Publishing
	// right after the initial callback hits that window now and then (seen on bnacos and r-nacos alike,
	// with the server's push in the SDK log), so wait this long first.
	listenSettle = 500 * time.Millisecond
)

// ---------------------------------------------------------------- environment

type env struct {
	host    string
	port    uint64
	tmp     string
	run     string
	clients int // counter used to give every SDK client its own cache dir
	mu      sync.Mutex
}

func loadEnv() *env {
	addr := os.Getenv("NACOS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8848"
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		host, portStr = addr, "8848"
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		port = 8848
	}
	tmp := os.Getenv("COMPAT_TMP")
	if tmp == "" {
		tmp, _ = os.MkdirTemp("", "compat-go-")
	}
	run := os.Getenv("COMPAT_RUN")
	if run == "" {
		run = strconv.FormatInt(time.Now().UnixNano()%1000000, 10)
	}
	return &env{host: host, port: port, tmp: filepath.Join(tmp, "go"), run: run}
}

// clientParam builds SDK parameters for one client; each client gets a private cache dir so that
// no client sees another's snapshot files.
func (e *env) clientParam(namespace, label string) vo.NacosClientParam {
	e.mu.Lock()
	e.clients++
	n := e.clients
	e.mu.Unlock()
	cc := constant.NewClientConfig(
		constant.WithNamespaceId(namespace),
		constant.WithTimeoutMs(5000),
		constant.WithNotLoadCacheAtStart(true),
		constant.WithDisableUseSnapShot(true),
		constant.WithUpdateCacheWhenEmpty(true),
		constant.WithCacheDir(filepath.Join(e.tmp, "cache", fmt.Sprintf("%02d-%s", n, label))),
		constant.WithLogDir(filepath.Join(e.tmp, "log")),
		constant.WithLogLevel("info"),
		constant.WithAppName("compat-go"),
	)
	// Auth pass: NACOS_USER / NACOS_PASS log every client in (the SDK refreshes the token itself).
	if user := os.Getenv("NACOS_USER"); user != "" {
		cc.Username = user
		cc.Password = os.Getenv("NACOS_PASS")
	}
	sc := []constant.ServerConfig{*constant.NewServerConfig(e.host, e.port)}
	return vo.NacosClientParam{ClientConfig: cc, ServerConfigs: sc}
}

func (e *env) newConfigClient(namespace, label string) (config_client.IConfigClient, error) {
	return clients.NewConfigClient(e.clientParam(namespace, label))
}

// newNamingClient is for the naming steps (N1–N6). Note: the constructor connects at once.
func (e *env) newNamingClient(namespace, label string) (naming_client.INamingClient, error) {
	return clients.NewNamingClient(e.clientParam(namespace, label))
}

// ---------------------------------------------------------------- step harness

type stepDef struct {
	name   string
	budget time.Duration // hard limit; the step is reported FAIL when it is exceeded
	fn     func() (bool, string)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	if s == "" {
		s = "-"
	}
	return s
}

// runStep runs one step in its own goroutine so that a hung SDK call or a panic cannot stop the
// scenario; it prints the RESULT line.
func runStep(s stepDef) bool {
	type outcome struct {
		ok     bool
		detail string
	}
	start := time.Now()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- outcome{false, fmt.Sprintf("panic: %v", r)}
			}
		}()
		ok, d := s.fn()
		done <- outcome{ok, d}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-time.After(s.budget):
		o = outcome{false, fmt.Sprintf("step timed out after %s", s.budget)}
	}
	verdict := "FAIL"
	if o.ok {
		verdict = "PASS"
	}
	fmt.Printf("RESULT %s %s %s %d %s\n", sdkID, s.name, verdict, time.Since(start).Milliseconds(), oneLine(o.detail))
	return o.ok
}

// ---------------------------------------------------------------- listener helper

// recorder collects the values a config listener receives.
type recorder struct {
	ch chan string
}

func newRecorder() *recorder { return &recorder{ch: make(chan string, 64)} }

func (r *recorder) onChange(namespace, group, dataId, data string) {
	select {
	case r.ch <- data:
	default:
	}
}

// waitFor waits until the listener delivered `want`, ignoring other values; returns how long it
// took and the values seen on the way.
func (r *recorder) waitFor(want string, limit time.Duration) (bool, time.Duration, []string) {
	start := time.Now()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	var seen []string
	for {
		select {
		case v := <-r.ch:
			seen = append(seen, v)
			if v == want {
				return true, time.Since(start), seen
			}
		case <-deadline.C:
			return false, time.Since(start), seen
		}
	}
}

// expectPush waits `pushBudget` for want; when it does not come it keeps waiting up to `late` more
// to tell "late" (e.g. only caught by the SDK's periodic re-listen) from "never".
func (r *recorder) expectPush(want string, late time.Duration) (bool, string) {
	ok, took, seen := r.waitFor(want, pushBudget)
	if ok {
		return true, fmt.Sprintf("got %q after %dms", want, took.Milliseconds())
	}
	ok2, took2, seen2 := r.waitFor(want, late)
	seen = append(seen, seen2...)
	if ok2 {
		return false, fmt.Sprintf("late: got %q only after %dms (budget %dms; seen %q)", want,
			(took + took2).Milliseconds(), pushBudget.Milliseconds(), seen)
	}
	return false, fmt.Sprintf("no %q within %dms (seen %q)", want, (took + took2).Milliseconds(), seen)
}

// ---------------------------------------------------------------- scenario

type scenario struct {
	e *env

	main      config_client.IConfigClient // namespace "" (the SDK's documented default)
	mainErr   error
	confID    string
	missingID string
	eqID      string
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func (s *scenario) needMain() error {
	if s.main == nil {
		return fmt.Errorf("config client not created: %v", s.mainErr)
	}
	return nil
}

func (s *scenario) c1() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	ok, err := s.main.PublishConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup, Content: "v1"})
	if err != nil || !ok {
		return false, fmt.Sprintf("PublishConfig(%s,%s,v1) = %v, err=%s", s.confID, configGroup, ok, errText(err))
	}
	return true, "published v1"
}

func (s *scenario) c2() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	got, err := s.main.GetConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup})
	if err != nil || got != "v1" {
		return false, fmt.Sprintf("GetConfig(%s) = %q, err=%s; want \"v1\"", s.confID, got, errText(err))
	}
	return true, "got v1"
}

func (s *scenario) c3() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	// nacos-sdk-go maps the server's not-found (errorCode 300) to ("", nil).
	got, err := s.main.GetConfig(vo.ConfigParam{DataId: s.missingID, Group: configGroup})
	if err != nil {
		return false, fmt.Sprintf("GetConfig(%s) returned error %q; Go expects (\"\", nil) for not-found (errorCode 300)", s.missingID, errText(err))
	}
	if got != "" {
		return false, fmt.Sprintf("GetConfig(%s) = %q; want \"\"", s.missingID, got)
	}
	return true, "not found -> \"\""
}

func (s *scenario) c4() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	// The listener lives in its own client with an empty cache: the SDK then fires an initial
	// callback with the current value ("v1") as soon as its batch-listen is answered, which tells
	// us the listener is registered on the server.
	lis, err := s.e.newConfigClient("", "c4-listener")
	if err != nil {
		return false, "NewConfigClient(listener): " + err.Error()
	}
	defer closeQuietly(lis)
	rec := newRecorder()
	p := vo.ConfigParam{DataId: s.confID, Group: configGroup, OnChange: rec.onChange}
	if err := lis.ListenConfig(p); err != nil {
		return false, "ListenConfig: " + err.Error()
	}
	regNote := ""
	if ok, took, seen := rec.waitFor("v1", listenRegisterBudget); ok {
		regNote = fmt.Sprintf("registered (initial v1 callback after %dms)", took.Milliseconds())
	} else {
		regNote = fmt.Sprintf("no initial v1 callback within %dms (seen %q): batch-listen with md5 \"\" did not report the key as changed, or failed",
			took.Milliseconds(), seen)
	}
	time.Sleep(listenSettle)
	ok, err := s.main.PublishConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup, Content: "v2"})
	if err != nil || !ok {
		return false, fmt.Sprintf("%s; PublishConfig(v2) = %v, err=%s", regNote, ok, errText(err))
	}
	pushed, detail := rec.expectPush("v2", 4*time.Second)
	_ = lis.CancelListenConfig(p)
	return pushed, regNote + "; " + detail
}

func (s *scenario) c5() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	ok, err := s.main.DeleteConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup})
	if err != nil || !ok {
		return false, fmt.Sprintf("DeleteConfig(%s) = %v, err=%s", s.confID, ok, errText(err))
	}
	got, err := s.main.GetConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup})
	if err != nil || got != "" {
		return false, fmt.Sprintf("removed; then GetConfig = %q, err=%s; want (\"\", nil)", got, errText(err))
	}
	return true, "removed; get -> \"\""
}

func (s *scenario) c6() (bool, string) {
	if err := s.needMain(); err != nil {
		return false, err.Error()
	}
	pub, err := s.e.newConfigClient("public", "c6-public")
	if err != nil {
		return false, "NewConfigClient(public): " + err.Error()
	}
	defer closeQuietly(pub)
	def := s.main // namespace ""
	var notes []string
	pass := true
	fail := func(msg string) { pass = false; notes = append(notes, "FAIL "+msg) }
	param := func(content string) vo.ConfigParam {
		return vo.ConfigParam{DataId: s.eqID, Group: configGroup, Content: content}
	}

	// 1. publish with "public", read with "".
	if ok, err := pub.PublishConfig(param("e1")); err != nil || !ok {
		fail(fmt.Sprintf("publish(ns=public,e1)=%v err=%s", ok, errText(err)))
	} else if got, err := def.GetConfig(param("")); err != nil || got != "e1" {
		fail(fmt.Sprintf("published e1 with ns=public, get with ns=\"\" = %q err=%s", got, errText(err)))
	} else {
		notes = append(notes, "public->\"\" read ok")
	}
	// 2. publish with "", read with "public".
	if ok, err := def.PublishConfig(param("e2")); err != nil || !ok {
		fail(fmt.Sprintf("publish(ns=\"\",e2)=%v err=%s", ok, errText(err)))
	} else if got, err := pub.GetConfig(param("")); err != nil || got != "e2" {
		fail(fmt.Sprintf("published e2 with ns=\"\", get with ns=public = %q err=%s", got, errText(err)))
	} else {
		notes = append(notes, "\"\"->public read ok")
	}

	// 3. listeners with each spelling (fresh clients, so their initial callback marks registration).
	lisDef, err1 := s.e.newConfigClient("", "c6-listen-default")
	lisPub, err2 := s.e.newConfigClient("public", "c6-listen-public")
	if err1 != nil || err2 != nil {
		fail(fmt.Sprintf("listener clients: %s / %s", errText(err1), errText(err2)))
		return false, strings.Join(notes, "; ")
	}
	defer closeQuietly(lisDef)
	defer closeQuietly(lisPub)
	recDef, recPub := newRecorder(), newRecorder()
	pDef := vo.ConfigParam{DataId: s.eqID, Group: configGroup, OnChange: recDef.onChange}
	pPub := vo.ConfigParam{DataId: s.eqID, Group: configGroup, OnChange: recPub.onChange}
	if err := lisDef.ListenConfig(pDef); err != nil {
		fail("ListenConfig(ns=\"\"): " + err.Error())
	}
	if err := lisPub.ListenConfig(pPub); err != nil {
		fail("ListenConfig(ns=public): " + err.Error())
	}
	var wg sync.WaitGroup
	var regDef, regPub string
	wg.Add(2)
	reg := func(r *recorder, out *string) {
		defer wg.Done()
		if ok, took, seen := r.waitFor("e2", listenRegisterBudget); ok {
			*out = fmt.Sprintf("initial e2 after %dms", took.Milliseconds())
		} else {
			*out = fmt.Sprintf("no initial e2 callback within %dms (seen %q)", took.Milliseconds(), seen)
		}
	}
	go reg(recDef, &regDef)
	go reg(recPub, &regPub)
	wg.Wait()
	notes = append(notes, "listener(\"\") "+regDef, "listener(public) "+regPub)
	time.Sleep(listenSettle)

	// 4. publish with "public" -> the "" listener must fire; then publish with "" -> the public one.
	if ok, err := pub.PublishConfig(param("e3")); err != nil || !ok {
		fail(fmt.Sprintf("publish(ns=public,e3)=%v err=%s", ok, errText(err)))
	} else if ok, d := recDef.expectPush("e3", 3*time.Second); !ok {
		fail("listener(ns=\"\") after publish(ns=public): " + d)
	} else {
		notes = append(notes, "listener(\"\") "+d)
	}
	// Both clients were pushed e3 (the public listener is on the same key). Publishing e4 while the public
	// client is still inside executeConfigListen for e3 hits the SDK race described at listenSettle: the
	// server's e4 push is logged by the SDK and then dropped. Let that client finish e3 first.
	recPub.waitFor("e3", 3*time.Second)
	time.Sleep(listenSettle)
	if ok, err := def.PublishConfig(param("e4")); err != nil || !ok {
		fail(fmt.Sprintf("publish(ns=\"\",e4)=%v err=%s", ok, errText(err)))
	} else if ok, d := recPub.expectPush("e4", 3*time.Second); !ok {
		fail("listener(ns=public) after publish(ns=\"\"): " + d)
	} else {
		notes = append(notes, "listener(public) "+d)
	}
	_ = lisDef.CancelListenConfig(pDef)
	_ = lisPub.CancelListenConfig(pPub)
	return pass, strings.Join(notes, "; ")
}

// cleanup removes what the scenario created; not a step, errors are ignored.
func (s *scenario) cleanup() {
	if s.main == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = s.main.DeleteConfig(vo.ConfigParam{DataId: s.eqID, Group: configGroup})
		_, _ = s.main.DeleteConfig(vo.ConfigParam{DataId: s.confID, Group: configGroup})
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
	closeQuietly(s.main)
}

func closeQuietly(c config_client.IConfigClient) {
	done := make(chan struct{})
	go func() {
		defer func() { _ = recover(); close(done) }()
		c.CloseClient()
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

func main() {
	e := loadEnv()
	_ = os.MkdirAll(e.tmp, 0o755)
	s := &scenario{
		e:         e,
		confID:    fmt.Sprintf("conf-%s-%s", sdkID, e.run),
		missingID: fmt.Sprintf("missing-%s-%s", sdkID, e.run),
		eqID:      fmt.Sprintf("eq-%s-%s", sdkID, e.run),
	}
	s.main, s.mainErr = e.newConfigClient("", "main")
	n := newNaming(e)
	// Auth pass only: A1's client logs in now and is checked after the other steps (auth.go).
	var a *authCheck
	if os.Getenv("COMPAT_AUTH") == "1" {
		a = newAuthCheck(e)
	}

	steps := []stepDef{
		{"C1", 8 * time.Second, s.c1},
		{"C2", 6 * time.Second, s.c2},
		{"C3", 6 * time.Second, s.c3},
		{"C4", 16 * time.Second, s.c4},
		{"C5", 8 * time.Second, s.c5},
		{"C6", 26 * time.Second, s.c6},
		// Naming steps (naming.go); they share nothing with the config steps.
		{"N1", 8 * time.Second, n.n1},
		{"N2", 16 * time.Second, n.n2},
		{"N3", 12 * time.Second, n.n3},
		{"N4", 10 * time.Second, n.n4},
		{"N5", 16 * time.Second, n.n5},
		{"N6", 16 * time.Second, n.n6},
	}
	if a != nil {
		steps = append(steps, stepDef{"A1", a.budget(), a.a1})
	}
	for _, st := range steps {
		runStep(st)
	}
	if a != nil {
		a.cleanup()
	}
	s.cleanup()
	n.cleanup()
	os.Exit(0)
}
