package ban

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newBanner(t testing.TB, cfg Config) (*Banner, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg.Now = c.Now
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b, c
}

var (
	attacker = netip.MustParseAddr("198.51.100.1")
	innocent = netip.MustParseAddr("198.51.100.2")
)

func TestBanAfterThresholdOthersUnaffected(t *testing.T) {
	b, _ := newBanner(t, Config{Metrics: metrics.New()})
	for i := 1; i < DefaultThreshold; i++ {
		if b.Failure(attacker) {
			t.Fatalf("banned after %d failures", i)
		}
		if b.Check(attacker) != Allowed {
			t.Fatalf("not allowed after %d failures", i)
		}
	}
	if !b.Failure(attacker) {
		t.Fatal("20th failure did not ban")
	}
	if v := b.Check(attacker); v != Banned {
		t.Fatalf("verdict %v, want banned", v)
	}
	if v := b.Check(innocent); v != Allowed {
		t.Fatalf("innocent verdict %v", v)
	}
	if b.ActiveBans() != 1 {
		t.Fatalf("active bans %d", b.ActiveBans())
	}
}

func TestBanExpiresAndGrows(t *testing.T) {
	b, c := newBanner(t, Config{Threshold: 3, Duration: time.Minute, MaxDuration: 5 * time.Minute})
	offend := func() {
		t.Helper()
		for i := 0; i < 3; i++ {
			b.Failure(attacker)
		}
		if b.Check(attacker) != Banned {
			t.Fatal("not banned")
		}
	}
	// Ban periods: 1m, 2m, 4m, then capped at 5m.
	for _, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute} {
		offend()
		c.Advance(want - time.Second)
		if b.Check(attacker) != Banned {
			t.Fatalf("ban of %s ended early", want)
		}
		c.Advance(time.Second)
		if b.Check(attacker) != Allowed {
			t.Fatalf("ban of %s did not expire", want)
		}
	}
}

func TestWindowSlides(t *testing.T) {
	b, c := newBanner(t, Config{Threshold: 3, Window: time.Minute})
	b.Failure(attacker)
	b.Failure(attacker)
	c.Advance(61 * time.Second) // both fall out of the window
	b.Failure(attacker)
	b.Failure(attacker)
	if b.Check(attacker) != Allowed {
		t.Fatal("failures outside the window counted")
	}
	b.Failure(attacker)
	if b.Check(attacker) != Banned {
		t.Fatal("three failures inside the window did not ban")
	}
}

func TestOffencesForgottenAfterQuietPeriod(t *testing.T) {
	b, c := newBanner(t, Config{Threshold: 1, Duration: time.Minute, MaxDuration: time.Hour, ForgetAfter: time.Hour})
	b.Failure(attacker) // 1m
	c.Advance(time.Minute)
	b.Failure(attacker) // 2m
	c.Advance(2*time.Minute + 2*time.Hour)
	b.Failure(innocent) // triggers forgetStale of the quiet attacker
	b.Failure(attacker) // first offence again: 1m
	c.Advance(time.Minute)
	if b.Check(attacker) != Allowed {
		t.Fatal("offence count survived the quiet period")
	}
}

func TestIPv6BannedPerSlash64(t *testing.T) {
	b, _ := newBanner(t, Config{Threshold: 2})
	b.Failure(netip.MustParseAddr("2001:db8:1:2::1"))
	b.Failure(netip.MustParseAddr("2001:db8:1:2::ffff"))
	if b.Check(netip.MustParseAddr("2001:db8:1:2:abcd::9")) != Banned {
		t.Fatal("same /64 not banned")
	}
	if b.Check(netip.MustParseAddr("2001:db8:1:3::1")) != Allowed {
		t.Fatal("neighbouring /64 banned")
	}
}

func TestDenyList(t *testing.T) {
	flag := netip.MustParsePrefix("203.0.113.0/24")
	b, _ := newBanner(t, Config{Deny: []netip.Prefix{flag}})
	if b.Check(netip.MustParseAddr("203.0.113.77")) != Denied {
		t.Fatal("flag CIDR not denied")
	}
	file, err := ParseDenyFile([]byte("# comment\n\n192.0.2.0/28  # office\n2001:db8::/32\n"))
	if err != nil {
		t.Fatal(err)
	}
	b.SetFileDeny(file)
	for _, ip := range []string{"192.0.2.5", "2001:db8::1", "203.0.113.1", "::ffff:192.0.2.5", "2001:db8::1%eth0"} {
		if v := b.Check(netip.MustParseAddr(ip)); v != Denied {
			t.Errorf("%s: verdict %v", ip, v)
		}
	}
	if b.Check(netip.MustParseAddr("192.0.2.16")) != Allowed {
		t.Fatal("address outside the file's /28 denied")
	}
	b.SetFileDeny(nil)
	if b.Check(netip.MustParseAddr("192.0.2.5")) != Allowed {
		t.Fatal("file CIDR survived a reload that removed it")
	}
	if b.Check(netip.MustParseAddr("203.0.113.77")) != Denied {
		t.Fatal("flag CIDR lost on file reload")
	}
}

func TestParseDenyFileError(t *testing.T) {
	_, err := ParseDenyFile([]byte("10.0.0.0/8\nbogus\n"))
	if err == nil || err.Error()[:6] != "line 2" {
		t.Fatalf("err = %v", err)
	}
}

func TestMemoryBounded(t *testing.T) {
	b, _ := newBanner(t, Config{Threshold: 2, MaxTracked: 100})
	b.Failure(attacker)
	b.Failure(attacker) // banned
	for i := 0; i < 10000; i++ {
		b.Failure(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
	}
	if n := b.Tracked(); n > 100 {
		t.Fatalf("tracking %d addresses, cap 100", n)
	}
	if b.Check(attacker) != Banned {
		t.Fatal("eviction dropped a ban while unbanned entries were available")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{Threshold: -1}, {Duration: time.Hour, MaxDuration: time.Minute}} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) succeeded", c)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	b, _ := newBanner(t, Config{Threshold: 50, MaxTracked: 64})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				ip := netip.AddrFrom4([4]byte{10, 0, byte(g), byte(i)})
				b.Failure(ip)
				b.Check(ip)
			}
		}()
	}
	wg.Wait()
	if b.Tracked() > 64 {
		t.Fatal("cap exceeded under concurrency")
	}
}

func BenchmarkCheckAllowed(bm *testing.B) {
	b, _ := newBanner(bm, Config{})
	for i := 0; i < DefaultMaxTracked; i++ {
		b.Failure(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
	}
	ip := netip.MustParseAddr("192.0.2.1")
	bm.ReportAllocs()
	for bm.Loop() {
		if b.Check(ip) != Allowed {
			bm.Fatal("not allowed")
		}
	}
}

func BenchmarkCheckBanned(bm *testing.B) {
	b, _ := newBanner(bm, Config{Threshold: 1})
	b.Failure(attacker)
	bm.ReportAllocs()
	for bm.Loop() {
		if b.Check(attacker) != Banned {
			bm.Fatal("not banned")
		}
	}
}

func BenchmarkCheckDenyList100(bm *testing.B) {
	var deny []netip.Prefix
	for i := 0; i < 100; i++ {
		deny = append(deny, netip.MustParsePrefix(fmt.Sprintf("172.16.%d.0/24", i)))
	}
	b, _ := newBanner(bm, Config{Deny: deny})
	ip := netip.MustParseAddr("192.0.2.1")
	bm.ReportAllocs()
	for bm.Loop() {
		b.Check(ip)
	}
}

func BenchmarkFailure(bm *testing.B) {
	b, _ := newBanner(bm, Config{Threshold: 1 << 30})
	bm.ReportAllocs()
	i := 0
	for bm.Loop() {
		b.Failure(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
		i++
	}
}
