// Package measure holds what the load generators report besides the protocol: CPU time from getrusage and /proc,
// error counts and percentiles.
package measure

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
)

// SelfCPU is the CPU time (user + system, seconds) this process has used.
func SelfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// ProcCPU is the CPU time (user + system, seconds) a process (all threads) or, with mainThread, its main thread alone
// (the one that runs JavaScript in Bun) has used, from /proc; 0 without a pid.
func ProcCPU(pid int, mainThread bool) float64 {
	if pid == 0 {
		return 0
	}
	path := fmt.Sprintf("/proc/%d/stat", pid)
	if mainThread {
		path = fmt.Sprintf("/proc/%d/task/%d/stat", pid, pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	var ut, st float64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return (ut + st) / 100 // clock ticks, USER_HZ = 100
}

// MachineBusy is the non-idle CPU time (seconds) of the whole machine, from /proc/stat.
func MachineBusy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := strings.Fields(string(line))[1:]
	var sum, idle float64
	for i := 0; i < 8 && i < len(f); i++ {
		var v float64
		fmt.Sscan(f[i], &v)
		sum += v
		if i == 3 || i == 4 { // idle, iowait
			idle += v
		}
	}
	return (sum - idle) / 100
}

// Errs counts errors of one kind and keeps the first message; safe for concurrent use.
type Errs struct {
	n     atomic.Int64
	first atomic.Value
}

func (e *Errs) Add(msg string) {
	e.n.Add(1)
	e.first.CompareAndSwap(nil, msg)
}

func (e *Errs) Count() int64 { return e.n.Load() }

// First is the first message, "" if none.
func (e *Errs) First() string {
	s, _ := e.first.Load().(string)
	return s
}

// JSON is {"count": n, "first": "…"} (first only if any).
func (e *Errs) JSON() map[string]any {
	m := map[string]any{"count": e.Count()}
	if s := e.First(); s != "" {
		m["first"] = s
	}
	return m
}

// Percentile is the q-quantile (0 ≤ q ≤ 1, nearest rank below) of sorted, non-empty values.
func Percentile[T cmp.Ordered](sorted []T, q float64) T {
	return sorted[int(q*float64(len(sorted)-1))]
}
