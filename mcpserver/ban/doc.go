// Package ban is the fail2ban of the MCP server.
//
// It counts authentication failures per client address in a sliding window;
// past a threshold the address is banned for a period that doubles on each
// repeat offence, up to a maximum. A static deny list of CIDRs (from a flag
// and from a reloadable file) is refused outright. The HTTP front asks Check
// before any authentication work, so a banned client costs one map lookup.
//
// IPv6 clients are counted and banned per /64 prefix: one host usually owns a
// whole /64 and could otherwise step around a ban by changing its address.
//
// Memory is bounded: at most MaxTracked addresses are remembered; the least
// recently seen is evicted first, preferring ones that are not banned.
package ban
