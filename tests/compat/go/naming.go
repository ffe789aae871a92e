// Naming steps N1–N6 of the Go scenario (see ../CONTRACT.md, "Naming steps").
//
// Clients: one subscriber, client 1 (registers A, later dies), client 2 (registers and deregisters B,
// then registers the persistent instance C over HTTP v1, which is what nacos-sdk-go does for
// Ephemeral=false), plus short-lived "query" clients. A query client is always fresh because
// SelectAllInstances on a client that already knows the service answers from its local cache; on a
// fresh client it sends a gRPC SubscribeServiceRequest and reads the serviceInfo of the reply (the Go
// SDK exposes no plain ServiceQueryRequest).
//
// Every naming client is built with UpdateCacheWhenEmpty=true (see env.clientParam), so the
// subscriber's callback also fires for an empty host list.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nacos-group/nacos-sdk-go/v2/clients/naming_client"
	"github.com/nacos-group/nacos-sdk-go/v2/model"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"
)

const (
	namingGroup = "COMPAT_GROUP"
	// Contract: subscriber events within 10 s.
	eventBudget = 10 * time.Second
	ipA         = "10.1.0.1"
	ipB         = "10.1.0.2"
	ipC         = "127.0.0.3"
	instPort    = 8080
)

type closer interface{ CloseClient() }

// closeWithin closes an SDK client without letting a hung Close block the scenario.
func closeWithin(c closer, limit time.Duration) bool {
	if c == nil {
		return true
	}
	done := make(chan struct{})
	go func() {
		defer func() { _ = recover(); close(done) }()
		c.CloseClient()
	}()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		return false
	}
}

// hostSet renders instances as a sorted "ip:port" list, the identity the steps compare.
func hostSet(hosts []model.Instance) []string {
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		out = append(out, fmt.Sprintf("%s:%d", h.Ip, h.Port))
	}
	sort.Strings(out)
	return out
}

func sameSet(got []string, want ...string) bool {
	w := append([]string(nil), want...)
	sort.Strings(w)
	if len(got) != len(w) {
		return false
	}
	for i := range got {
		if got[i] != w[i] {
			return false
		}
	}
	return true
}

func hostDetail(hosts []model.Instance) string {
	parts := make([]string, 0, len(hosts))
	for _, h := range hosts {
		parts = append(parts, fmt.Sprintf("%s:%d(ephemeral=%t,healthy=%t,enabled=%t,cluster=%q)",
			h.Ip, h.Port, h.Ephemeral, h.Healthy, h.Enable, h.ClusterName))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func addr(ip string) string { return fmt.Sprintf("%s:%d", ip, instPort) }

// ---------------------------------------------------------------- subscriber events

type hostEvents struct {
	ch chan []string
}

func (h *hostEvents) callback(services []model.Instance, err error) {
	if err != nil {
		return
	}
	select {
	case h.ch <- hostSet(services):
	default:
	}
}

// waitSet waits until an event satisfies match; returns how long it took and the events seen.
func (h *hostEvents) waitSet(match func([]string) bool, limit time.Duration) (bool, time.Duration, [][]string) {
	start := time.Now()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	var seen [][]string
	for {
		select {
		case v := <-h.ch:
			seen = append(seen, v)
			if match(v) {
				return true, time.Since(start), seen
			}
		case <-deadline.C:
			return false, time.Since(start), seen
		}
	}
}

// drain drops queued events (e.g. the initial callback of Subscribe).
func (h *hostEvents) drain() [][]string {
	var seen [][]string
	for {
		select {
		case v := <-h.ch:
			seen = append(seen, v)
		default:
			return seen
		}
	}
}

// ---------------------------------------------------------------- naming scenario

type naming struct {
	e    *env
	svc  string // ephemeral service of N1–N5
	psvc string // persistent service of N6 (a service is either ephemeral or persistent)

	mu     sync.Mutex
	sub    naming_client.INamingClient
	c1, c2 naming_client.INamingClient
	aUp    bool // client 1 registered A (N2)
	events *hostEvents
}

func newNaming(e *env) *naming {
	return &naming{
		e:      e,
		svc:    fmt.Sprintf("svc-%s-%s", sdkID, e.run),
		psvc:   fmt.Sprintf("persist-%s-%s", sdkID, e.run),
		events: &hostEvents{ch: make(chan []string, 64)},
	}
}

func (n *naming) clients() (sub, c1, c2 naming_client.INamingClient) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sub, n.c1, n.c2
}

// query reads all instances of a service through a fresh naming client (see the file comment).
func (n *naming) query(service, label string) ([]model.Instance, error) {
	q, err := n.e.newNamingClient("", label)
	if err != nil {
		return nil, fmt.Errorf("NewNamingClient(%s): %v", label, err)
	}
	defer closeWithin(q, 2*time.Second)
	return q.SelectAllInstances(vo.SelectAllInstancesParam{ServiceName: service, GroupName: namingGroup})
}

func register(c naming_client.INamingClient, service, ip string, ephemeral bool) (bool, error) {
	return c.RegisterInstance(vo.RegisterInstanceParam{
		Ip: ip, Port: instPort, ServiceName: service, GroupName: namingGroup,
		Weight: 1, Enable: true, Healthy: true, Ephemeral: ephemeral,
	})
}

func deregister(c naming_client.INamingClient, service, ip string, ephemeral bool) (bool, error) {
	return c.DeregisterInstance(vo.DeregisterInstanceParam{
		Ip: ip, Port: instPort, ServiceName: service, GroupName: namingGroup, Ephemeral: ephemeral,
	})
}

// N1: subscribe with one naming client.
func (n *naming) n1() (bool, string) {
	sub, err := n.e.newNamingClient("", "n-sub")
	if err != nil {
		return false, "NewNamingClient(subscriber): " + err.Error()
	}
	n.mu.Lock()
	n.sub = sub
	n.mu.Unlock()
	err = sub.Subscribe(&vo.SubscribeParam{ServiceName: n.svc, GroupName: namingGroup, SubscribeCallback: n.events.callback})
	if err != nil {
		return false, fmt.Sprintf("Subscribe(%s, %s): %v", n.svc, namingGroup, err)
	}
	// Subscribe processes the reply's serviceInfo synchronously, so its callback (if any) is queued.
	initial := n.events.drain()
	return true, fmt.Sprintf("subscribed %s@@%s; initial callbacks %v", namingGroup, n.svc, initial)
}

// N2: A from client 1, B from client 2; the subscriber must see exactly {A, B}.
func (n *naming) n2() (bool, string) {
	sub, _, _ := n.clients()
	if sub == nil {
		return false, "no subscriber (N1 failed)"
	}
	var wg sync.WaitGroup
	var c1, c2 naming_client.INamingClient
	var err1, err2 error
	wg.Add(2)
	go func() { defer wg.Done(); c1, err1 = n.e.newNamingClient("", "n-client1") }()
	go func() { defer wg.Done(); c2, err2 = n.e.newNamingClient("", "n-client2") }()
	wg.Wait()
	n.mu.Lock()
	n.c1, n.c2 = c1, c2
	n.mu.Unlock()
	if err1 != nil || err2 != nil {
		return false, fmt.Sprintf("NewNamingClient: client1 %s, client2 %s", errText(err1), errText(err2))
	}
	okA, errA := register(c1, n.svc, ipA, true)
	okB, errB := register(c2, n.svc, ipB, true)
	n.mu.Lock()
	n.aUp = okA && errA == nil
	n.mu.Unlock()
	if !okA || !okB || errA != nil || errB != nil {
		return false, fmt.Sprintf("RegisterInstance A = %v err=%s; B = %v err=%s", okA, errText(errA), okB, errText(errB))
	}
	ok, took, seen := n.events.waitSet(func(s []string) bool { return sameSet(s, addr(ipA), addr(ipB)) }, eventBudget)
	if !ok {
		return false, fmt.Sprintf("registered A and B; no event with exactly [%s %s] within %dms (events seen %v)",
			addr(ipA), addr(ipB), took.Milliseconds(), seen)
	}
	return true, fmt.Sprintf("event {A,B} after %dms (events seen %v)", took.Milliseconds(), seen)
}

// N3: deregister B; the subscriber must see exactly {A}.
func (n *naming) n3() (bool, string) {
	sub, _, c2 := n.clients()
	if sub == nil || c2 == nil {
		return false, "clients missing (N1/N2 failed)"
	}
	ok, err := deregister(c2, n.svc, ipB, true)
	if !ok || err != nil {
		return false, fmt.Sprintf("DeregisterInstance(B) = %v err=%s", ok, errText(err))
	}
	got, took, seen := n.events.waitSet(func(s []string) bool { return sameSet(s, addr(ipA)) }, eventBudget)
	if !got {
		return false, fmt.Sprintf("deregistered B; no event with exactly [%s] within %dms (events seen %v)",
			addr(ipA), took.Milliseconds(), seen)
	}
	return true, fmt.Sprintf("event {A} after %dms (events seen %v)", took.Milliseconds(), seen)
}

// N4: query the instances (fresh client) and list the services of the group.
func (n *naming) n4() (bool, string) {
	var notes []string
	pass := true
	hosts, err := n.query(n.svc, "n4-query")
	if err != nil {
		pass = false
		notes = append(notes, "FAIL SelectAllInstances: "+err.Error())
	} else if !sameSet(hostSet(hosts), addr(ipA)) {
		pass = false
		notes = append(notes, fmt.Sprintf("FAIL SelectAllInstances = %s; want exactly [%s]", hostDetail(hosts), addr(ipA)))
	} else {
		notes = append(notes, "SelectAllInstances = "+hostDetail(hosts))
	}

	// The listing is done by the subscriber's connection (ServiceListRequest over gRPC), page by page.
	sub, _, _ := n.clients()
	if sub == nil {
		return false, strings.Join(append(notes, "FAIL no subscriber client for the listing"), "; ")
	}
	const pageSize = 100
	found, total, pages := false, int64(-1), 0
	var listErr error
	for page := uint32(1); page <= 20 && !found; page++ {
		list, err := sub.GetAllServicesInfo(vo.GetAllServiceInfoParam{GroupName: namingGroup, PageNo: page, PageSize: pageSize})
		if err != nil {
			listErr = err
			break
		}
		pages++
		total = list.Count
		for _, d := range list.Doms {
			if d == n.svc {
				found = true
			}
		}
		if len(list.Doms) < pageSize || int64(page)*pageSize >= list.Count {
			break
		}
	}
	switch {
	case listErr != nil:
		pass = false
		notes = append(notes, "FAIL GetAllServicesInfo: "+listErr.Error())
	case !found:
		pass = false
		notes = append(notes, fmt.Sprintf("FAIL %s not in GetAllServicesInfo(group=%s) (count=%d, %d page(s) read)", n.svc, namingGroup, total, pages))
	default:
		notes = append(notes, fmt.Sprintf("listed (count=%d)", total))
	}
	return pass, strings.Join(notes, "; ")
}

// N5: client 1 closes without deregistering; the subscriber must see A go.
func (n *naming) n5() (bool, string) {
	sub, c1, _ := n.clients()
	n.mu.Lock()
	aUp := n.aUp
	n.mu.Unlock()
	if sub == nil || c1 == nil || !aUp {
		return false, "no subscriber or A was never registered (N1/N2 failed)"
	}
	n.events.drain()
	start := time.Now()
	closed := closeWithin(c1, 3*time.Second)
	n.mu.Lock()
	n.c1 = nil
	n.mu.Unlock()
	closeNote := "client 1 closed (CloseClient, no deregister)"
	if !closed {
		closeNote = "client 1 CloseClient did not return within 3s"
	}
	noA := func(s []string) bool {
		for _, h := range s {
			if h == addr(ipA) {
				return false
			}
		}
		return true
	}
	ok, _, seen := n.events.waitSet(noA, eventBudget-time.Since(start))
	if ok {
		return true, fmt.Sprintf("%s; subscriber event without A after %dms (events seen %v)", closeNote, time.Since(start).Milliseconds(), seen)
	}
	// The last instance went away: the push carries an empty host list, which Go reports to the
	// callback only with UpdateCacheWhenEmpty=true (set here). Check with a query as well.
	hosts, err := n.query(n.svc, "n5-query")
	took := time.Since(start).Milliseconds()
	if err != nil {
		return false, fmt.Sprintf("%s; no subscriber event without A within %dms (events seen %v); query after %dms failed: %v",
			closeNote, eventBudget.Milliseconds(), seen, took, err)
	}
	if len(hosts) != 0 {
		return false, fmt.Sprintf("%s; no subscriber event without A within %dms (events seen %v); query after %dms still returns %s",
			closeNote, eventBudget.Milliseconds(), seen, took, hostDetail(hosts))
	}
	return true, fmt.Sprintf("%s; WARN no empty push reached the subscriber within %dms (events seen %v) although UpdateCacheWhenEmpty=true; a fresh query after %dms shows A gone (checked via query)",
		closeNote, eventBudget.Milliseconds(), seen, took)
}

// N6: persistent instance C (Go registers it with HTTP POST /nacos/v1/ns/instance ephemeral=false).
func (n *naming) n6() (bool, string) {
	_, _, c2 := n.clients()
	if c2 == nil {
		var err error
		if c2, err = n.e.newNamingClient("", "n6-client"); err != nil {
			return false, "NewNamingClient: " + err.Error()
		}
		defer closeWithin(c2, 2*time.Second)
	}
	ok, err := register(c2, n.psvc, ipC, false)
	if !ok || err != nil {
		return false, fmt.Sprintf("RegisterInstance(C, ephemeral=false) via HTTP v1 = %v err=%s", ok, errText(err))
	}
	var notes []string
	// Read it back (the registration is synchronous, but allow a little slack).
	var hosts []model.Instance
	var qerr error
	start := time.Now()
	for {
		hosts, qerr = n.query(n.psvc, "n6-query")
		if (qerr == nil && len(hosts) > 0) || time.Since(start) > 3*time.Second {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	pass := true
	switch {
	case qerr != nil:
		pass = false
		notes = append(notes, "FAIL read back: "+qerr.Error())
	case !sameSet(hostSet(hosts), addr(ipC)):
		pass = false
		notes = append(notes, fmt.Sprintf("FAIL read back %s; want exactly [%s]", hostDetail(hosts), addr(ipC)))
	case hosts[0].Ephemeral:
		pass = false
		notes = append(notes, fmt.Sprintf("FAIL read back %s: ephemeral=true, want false", hostDetail(hosts)))
	default:
		notes = append(notes, "read back "+hostDetail(hosts))
	}

	ok, err = deregister(c2, n.psvc, ipC, false)
	if !ok || err != nil {
		return false, strings.Join(append(notes, fmt.Sprintf("FAIL DeregisterInstance(C, ephemeral=false) via HTTP v1 = %v err=%s", ok, errText(err))), "; ")
	}
	start = time.Now()
	for {
		hosts, qerr = n.query(n.psvc, "n6-query-after")
		if (qerr == nil && len(hosts) == 0) || time.Since(start) > 3*time.Second {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	switch {
	case qerr != nil:
		pass = false
		notes = append(notes, "FAIL query after deregister: "+qerr.Error())
	case len(hosts) != 0:
		pass = false
		notes = append(notes, fmt.Sprintf("FAIL after deregister the query still returns %s", hostDetail(hosts)))
	default:
		notes = append(notes, "deregistered; query -> []")
	}
	return pass, strings.Join(notes, "; ")
}

// cleanup deregisters what may be left and closes the naming clients; not a step.
func (n *naming) cleanup() {
	sub, c1, c2 := n.clients()
	done := make(chan struct{})
	go func() {
		defer func() { _ = recover(); close(done) }()
		if c2 != nil {
			_, _ = deregister(c2, n.psvc, ipC, false)
		}
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
	for _, c := range []naming_client.INamingClient{c1, c2, sub} {
		if c != nil {
			closeWithin(c, 2*time.Second)
		}
	}
}
