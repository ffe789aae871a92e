package nacos

import (
	"strings"
	"testing"
)

func TestRequestID(t *testing.T) {
	info := `{"name":"svc","hosts":[` + strings.Repeat(`{"ip":"10.0.0.1","port":8080,"metadata":{"k":"v"}},`, 300) + `{}]}`
	for _, c := range []struct{ name, body, want string }{
		{"bnacos: first", `{"headers":{},"requestId":"42","module":"naming","serviceInfo":` + info + `}`, "42"},
		{"java: last", `{"headers":{},"module":"naming","serviceInfo":` + info + `,"requestId":"7"}`, "7"},
		{"nested first", `{"headers":{},"x":{"requestId":"no"},"serviceInfo":` + info + `,"requestId":"9"}`, "9"},
		{"in a string", `{"headers":{},"note":"\"requestId\":\"no\"","requestId":"5","a":{}}`, "5"},
		{"none", `{"headers":{},"module":"naming"}`, ""},
	} {
		if got := RequestID([]byte(c.body)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func BenchmarkRequestID(b *testing.B) {
	info := `{"name":"svc","hosts":[` + strings.Repeat(`{"instanceId":"10.0.0.1#8080#DEFAULT#DEFAULT_GROUP@@svc","ip":"10.0.0.1","port":8080,"weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"DEFAULT","serviceName":"svc","metadata":{"source":"namingload"}},`, 150) + `{}]}`
	for _, c := range []struct{ name, body string }{
		{"bnacos", `{"headers":{},"requestId":"42","module":"naming","serviceInfo":` + info + `}`},
		{"java", `{"headers":{},"module":"naming","serviceInfo":` + info + `,"requestId":"42"}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			body := []byte(c.body)
			b.SetBytes(int64(len(body)))
			for i := 0; i < b.N; i++ {
				RequestID(body)
			}
		})
	}
}
