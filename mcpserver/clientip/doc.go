// Package clientip resolves the address of the client behind a request.
//
// X-Forwarded-For is attacker-controlled unless it was written by a proxy we
// trust, so it is consulted only when the direct peer is inside one of the
// trusted-proxy CIDRs. The chain is then read right to left and the first
// hop that is not itself a trusted proxy is the client: everything left of it
// was supplied by the client and cannot be believed.
package clientip
