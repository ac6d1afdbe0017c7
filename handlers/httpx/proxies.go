package httpx

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the peers whose X-Forwarded-For and X-Forwarded-Proto are
// believed (DECLIC_TRUSTED_PROXIES). From any other peer those headers are
// ignored: on a classroom network every phone has a private address, so
// "private" says nothing about who may speak for whom.
type Proxies struct {
	prefixes []netip.Prefix
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges;
// "" trusts no one.
func ParseProxies(list string) (*Proxies, error) {
	p := &Proxies{}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			pre, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("DECLIC_TRUSTED_PROXIES: %q is not an address or a CIDR range", f)
			}
			p.prefixes = append(p.prefixes, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("DECLIC_TRUSTED_PROXIES: %q is not an address or a CIDR range", f)
		}
		a = a.Unmap()
		p.prefixes = append(p.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// Trusted tells whether a is one of the proxies.
func (p *Proxies) Trusted(a netip.Addr) bool {
	if p == nil {
		return false
	}
	a = a.Unmap()
	for _, pre := range p.prefixes {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, err := netip.ParseAddr(r.RemoteAddr)
		return a.Unmap(), err == nil
	}
	return ap.Addr().Unmap(), true
}

// Client is the address of whoever sent r: the peer, or, when the peer is
// a trusted proxy, the rightmost X-Forwarded-For address that is not one
// of the proxies (addresses to its left were written by the client itself
// and prove nothing).
func (p *Proxies) Client(r *http.Request) (netip.Addr, bool) {
	addr, ok := peerAddr(r)
	if !ok || !p.Trusted(addr) {
		return addr, ok
	}
	hops := strings.Join(r.Header.Values("X-Forwarded-For"), ",")
	if len(hops) > 4096 {
		return addr, true
	}
	fields := strings.Split(hops, ",")
	for i := len(fields) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(fields[i]))
		if err != nil {
			break
		}
		addr = a.Unmap()
		if !p.Trusted(addr) {
			break
		}
	}
	return addr, true
}

// HTTPS tells whether the client reached Déclic over HTTPS: a TLS
// connection, or a trusted proxy saying so.
func (p *Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, ok := peerAddr(r)
	return ok && p.Trusted(peer) && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// ClientKey is the client as rate limits and the login throttle count it:
// its address, an IPv6 client as its /64 (one household or phone gets a
// whole /64). Callers hash it before keeping it.
func (p *Proxies) ClientKey(r *http.Request) string {
	addr, ok := p.Client(r)
	if !ok {
		return "?"
	}
	if addr.Is6() {
		pre, _ := addr.Prefix(64)
		return pre.String()
	}
	return addr.String()
}
