// Package builders turns a GitHubMCPServer into the Kubernetes objects the
// operator applies. Every builder is a pure function of the CR and Inputs (the
// operator's settings and the facts it observed, such as referenced Secrets'
// resourceVersions): no client, no I/O, and the CR is never mutated.
//
// The builders are the whole truth of what the operator creates: the
// reconciler applies their output with server-side apply, `manager render`
// prints it, and golden-file tests pin it (go test ./controllers/builders
// -update rewrites testdata/*.golden.yaml).
package builders
