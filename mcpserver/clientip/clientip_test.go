package clientip

import (
	"net/http/httptest"
	"testing"
)

func TestResolve(t *testing.T) {
	trusted, err := ParseCIDRs([]string{"10.0.0.0/8", "192.168.1.1", " ", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	res := New(trusted)
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"untrusted peer ignores XFF", "203.0.113.9:4000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"trusted peer, one hop", "10.1.2.3:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"right-most untrusted hop wins over spoofed left", "10.1.2.3:4000", []string{"6.6.6.6, 198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
		{"multiple headers are concatenated", "10.1.2.3:4000", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"trusted peer without XFF", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"all hops trusted: left-most", "10.1.2.3:4000", []string{"10.5.5.5, 192.168.1.1"}, "10.5.5.5"},
		{"garbage hop stops the walk", "10.1.2.3:4000", []string{"nonsense, 10.5.5.5"}, "10.5.5.5"},
		{"ipv6 peer trusted", "[fd00::1]:443", []string{"2001:db8::5"}, "2001:db8::5"},
		{"hop with port", "10.1.2.3:1", []string{"198.51.100.7:5555"}, "198.51.100.7"},
		{"v4-mapped peer", "[::ffff:10.1.2.3]:1", []string{"198.51.100.8"}, "198.51.100.8"},
		{"single trusted /32", "192.168.1.1:1", []string{"198.51.100.9"}, "198.51.100.9"},
		{"neighbour of /32 not trusted", "192.168.1.2:1", []string{"198.51.100.9"}, "192.168.1.2"},
		// A zone makes netip.Prefix.Contains false: a zoned address would
		// escape both the trusted list and deny CIDRs, and key its own ban.
		{"zoned hop loses its zone", "10.1.2.3:1", []string{"2001:db8::7%eth0"}, "2001:db8::7"},
		{"zoned trusted hop stays trusted", "10.1.2.3:1", []string{"198.51.100.7, fd00::9%x"}, "198.51.100.7"},
		{"zoned peer loses its zone", "[fe80::1%eth0]:1", nil, "fe80::1"},
		{"zoned trusted peer stays trusted", "[fd00::1%eth0]:1", []string{"198.51.100.6"}, "198.51.100.6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := res.Resolve(r).String(); got != tc.want {
				t.Fatalf("Resolve = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestZeroResolverIgnoresXFF(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:9"
	r.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := (&Resolver{}).Resolve(r).String(); got != "127.0.0.1" {
		t.Fatalf("got %s", got)
	}
}

func TestParseCIDRsErrors(t *testing.T) {
	// An IPv4-mapped prefix shorter than /96 has no IPv4 equivalent: it
	// would silently match nothing, so it is an error.
	for _, bad := range []string{"10.0.0.0/33", "not-an-ip", "1.2.3", "::ffff:10.0.0.0/80"} {
		if _, err := ParseCIDRs([]string{bad}); err == nil {
			t.Errorf("ParseCIDRs(%q) succeeded", bad)
		}
	}
}

func TestParseCIDRsUnmapsIPv4MappedPrefixes(t *testing.T) {
	p, err := ParseCIDRs([]string{"::ffff:10.0.0.0/104"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 1 || p[0].String() != "10.0.0.0/8" {
		t.Fatalf("got %v, want [10.0.0.0/8]", p)
	}
}
