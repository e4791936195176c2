// Command manager is the github-mcp-operator binary.
//
//	manager [flags]            run the operator (see --help)
//	manager render -f cr.yaml  print every object the operator would create
//	                           for the CRs in cr.yaml, offline, with no cluster
package main
