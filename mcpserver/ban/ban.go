package ban

import (
	"container/list"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
)

// Defaults, chosen to be invisible to a client that mistypes a key a few
// times and decisive against a credential-stuffing loop.
const (
	DefaultThreshold   = 20
	DefaultWindow      = time.Minute
	DefaultDuration    = 10 * time.Minute
	DefaultMaxDuration = 24 * time.Hour
	DefaultMaxTracked  = 10000
	DefaultForgetAfter = 24 * time.Hour
)

// Config configures a Banner. Zero fields take the defaults above.
type Config struct {
	Threshold   int           // failures within Window that trigger a ban
	Window      time.Duration // sliding window for counting failures
	Duration    time.Duration // first ban; doubles on each repeat offence
	MaxDuration time.Duration // cap on the ban period
	MaxTracked  int           // bound on remembered addresses
	// ForgetAfter is how long an address must stay quiet (no failures, no
	// ban in force) before its offence count is forgotten.
	ForgetAfter time.Duration
	// Deny is the static deny list given on the command line.
	Deny    []netip.Prefix
	Now     func() time.Time // injectable clock for tests
	Logger  *slog.Logger
	Metrics *metrics.Metrics
}

// Validate reports nonsensical settings.
func (c Config) Validate() error {
	switch {
	case c.Threshold < 0, c.Window < 0, c.Duration < 0, c.MaxDuration < 0, c.MaxTracked < 0, c.ForgetAfter < 0:
		return fmt.Errorf("ban settings must not be negative")
	case c.Duration > 0 && c.MaxDuration > 0 && c.MaxDuration < c.Duration:
		return fmt.Errorf("ban max duration %s is shorter than the ban duration %s", c.MaxDuration, c.Duration)
	}
	return nil
}

// Verdict is the answer of Check.
type Verdict int

const (
	Allowed Verdict = iota
	Banned          // banned for repeated authentication failures
	Denied          // inside a static deny CIDR
)

func (v Verdict) String() string {
	switch v {
	case Banned:
		return "banned"
	case Denied:
		return "deny_cidr"
	default:
		return "allowed"
	}
}

// Banner tracks failures and bans. It is safe for concurrent use.
type Banner struct {
	cfg      Config
	flagDeny []netip.Prefix
	deny     atomic.Pointer[[]netip.Prefix] // flag list + file list

	mu      sync.Mutex
	entries map[netip.Addr]*entry
	lru     *list.List // front: most recently seen
}

type entry struct {
	key         netip.Addr
	failures    []time.Time // within the window, oldest first, len < Threshold
	offences    int
	bannedUntil time.Time
	lastSeen    time.Time
	elem        *list.Element
}

// New returns a Banner with cfg's zero fields defaulted.
func New(cfg Config) (*Banner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultThreshold
	}
	if cfg.MaxTracked == 0 {
		cfg.MaxTracked = DefaultMaxTracked
	}
	def(&cfg.Window, DefaultWindow)
	def(&cfg.Duration, DefaultDuration)
	def(&cfg.MaxDuration, max(DefaultMaxDuration, cfg.Duration))
	def(&cfg.ForgetAfter, DefaultForgetAfter)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	b := &Banner{cfg: cfg, flagDeny: cfg.Deny, entries: map[netip.Addr]*entry{}, lru: list.New()}
	b.deny.Store(&b.flagDeny)
	cfg.Metrics.RegisterActiveBans(b.ActiveBans)
	return b, nil
}

// SetFileDeny replaces the part of the deny list that came from the file.
func (b *Banner) SetFileDeny(prefixes []netip.Prefix) {
	all := append(append([]netip.Prefix(nil), b.flagDeny...), prefixes...)
	b.deny.Store(&all)
}

// key folds an address to the unit we ban: the address itself for IPv4,
// its /64 for IPv6.
func key(ip netip.Addr) netip.Addr {
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.Addr()
	}
	return ip
}

// Check tells whether requests from ip may proceed. A nil Banner allows
// everything.
func (b *Banner) Check(ip netip.Addr) Verdict {
	if b == nil || !ip.IsValid() {
		return Allowed
	}
	ip = ip.Unmap().WithZone("") // Prefix.Contains is false for any zoned address
	for _, p := range *b.deny.Load() {
		if p.Contains(ip) {
			return Denied
		}
	}
	k := key(ip)
	now := b.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.entries[k]
	if ok && now.Before(e.bannedUntil) {
		return Banned
	}
	return Allowed
}

// Failure records one authentication failure from ip and reports whether it
// triggered a new ban. A nil Banner records nothing.
func (b *Banner) Failure(ip netip.Addr) bool {
	if b == nil || !ip.IsValid() {
		return false
	}
	k := key(ip)
	now := b.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.lookupOrAdd(k, now)
	if now.Before(e.bannedUntil) {
		return false // already banned; the request never got this far normally
	}
	cut := now.Add(-b.cfg.Window)
	i := 0
	for i < len(e.failures) && !e.failures[i].After(cut) {
		i++
	}
	e.failures = append(e.failures[:0], e.failures[i:]...)
	e.failures = append(e.failures, now)
	if len(e.failures) < b.cfg.Threshold {
		return false
	}
	e.failures = e.failures[:0]
	e.offences++
	d := b.cfg.Duration
	for n := 1; n < e.offences && d < b.cfg.MaxDuration; n++ {
		d *= 2
	}
	d = min(d, b.cfg.MaxDuration)
	e.bannedUntil = now.Add(d)
	b.cfg.Metrics.Banned()
	b.cfg.Logger.Warn("Banned client for repeated authentication failures",
		"client_ip", k.String(), "duration", d.String(), "offence", e.offences,
		"threshold", b.cfg.Threshold, "window", b.cfg.Window.String())
	return true
}

func (b *Banner) lookupOrAdd(k netip.Addr, now time.Time) *entry {
	if e, ok := b.entries[k]; ok {
		e.lastSeen = now
		b.lru.MoveToFront(e.elem)
		return e
	}
	b.forgetStale(now)
	if len(b.entries) >= b.cfg.MaxTracked {
		b.evictOne(now)
	}
	e := &entry{key: k, lastSeen: now, failures: make([]time.Time, 0, 4)}
	e.elem = b.lru.PushFront(e)
	b.entries[k] = e
	return e
}

// forgetStale drops quiet entries from the back of the LRU list.
func (b *Banner) forgetStale(now time.Time) {
	for el := b.lru.Back(); el != nil; el = b.lru.Back() {
		e := el.Value.(*entry)
		if now.Before(e.bannedUntil) || now.Sub(e.lastSeen) < b.cfg.ForgetAfter {
			return
		}
		b.remove(e)
	}
}

// evictOne makes room for one entry: the least recently seen address that
// is not banned among the oldest few, else the oldest outright (memory bound
// beats keeping one more ban).
func (b *Banner) evictOne(now time.Time) {
	el := b.lru.Back()
	for i := 0; i < 16 && el != nil; i, el = i+1, el.Prev() {
		if e := el.Value.(*entry); !now.Before(e.bannedUntil) {
			b.remove(e)
			return
		}
	}
	if back := b.lru.Back(); back != nil {
		b.remove(back.Value.(*entry))
	}
}

func (b *Banner) remove(e *entry) {
	b.lru.Remove(e.elem)
	delete(b.entries, e.key)
}

// ActiveBans counts bans in force.
func (b *Banner) ActiveBans() int {
	now := b.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, e := range b.entries {
		if now.Before(e.bannedUntil) {
			n++
		}
	}
	return n
}

// Tracked returns how many addresses are remembered (for tests and debugging).
func (b *Banner) Tracked() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entries)
}
