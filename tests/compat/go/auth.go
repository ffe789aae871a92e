package main

// Auth step A1 (auth pass only, COMPAT_AUTH=1; see ../CONTRACT.md): a config client logged in at the
// start of the scenario still publishes and reads after its first token expired (TTL 30 s in the
// driver's auth pass), i.e. the SDK refreshed the token. The wait overlaps the C and N steps.

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/nacos-group/nacos-sdk-go/v2/clients/config_client"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"
)

type authCheck struct {
	client  config_client.IConfigClient
	err     error
	created time.Time
	wait    time.Duration // how long after login A1 publishes
	dataID  string
}

func newAuthCheck(e *env) *authCheck {
	wait := 35 * time.Second
	if ms, err := strconv.Atoi(os.Getenv("COMPAT_AUTH_WAIT_MS")); err == nil && ms >= 0 {
		wait = time.Duration(ms) * time.Millisecond
	}
	a := &authCheck{created: time.Now(), wait: wait, dataID: fmt.Sprintf("auth-%s-%s", sdkID, e.run)}
	a.client, a.err = e.newConfigClient("", "auth")
	return a
}

// budget bounds A1 (it is taken when the step list is built, before the C and N steps): the rest of
// the wait plus time for the calls.
func (a *authCheck) budget() time.Duration {
	return a.remaining() + 15*time.Second
}

func (a *authCheck) remaining() time.Duration {
	if r := time.Until(a.created.Add(a.wait)); r > 0 {
		return r
	}
	return 0
}

func (a *authCheck) a1() (bool, string) {
	if a.client == nil {
		return false, fmt.Sprintf("config client not created: %v", a.err)
	}
	time.Sleep(a.remaining())
	age := time.Since(a.created).Round(time.Millisecond)
	value := fmt.Sprintf("a1-%d", age.Milliseconds())
	ok, err := a.client.PublishConfig(vo.ConfigParam{DataId: a.dataID, Group: configGroup, Content: value})
	if err != nil || !ok {
		return false, fmt.Sprintf("PublishConfig(%s) %s after login = %v, err=%s", a.dataID, age, ok, errText(err))
	}
	got, err := a.client.GetConfig(vo.ConfigParam{DataId: a.dataID, Group: configGroup})
	if err != nil || got != value {
		return false, fmt.Sprintf("GetConfig(%s) %s after login = %q, err=%s; want %q", a.dataID, age, got, errText(err), value)
	}
	return true, fmt.Sprintf("publish+get %s after login (token TTL 30 s)", age)
}

func (a *authCheck) cleanup() {
	if a.client == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer func() { _ = recover(); close(done) }()
		_, _ = a.client.DeleteConfig(vo.ConfigParam{DataId: a.dataID, Group: configGroup})
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
	closeQuietly(a.client)
}
