// Package edgenocrds runs the operator on a control plane without the Traefik
// and cert-manager CRDs and checks that a CR asking for the edge gets clear
// conditions naming what to install, while the operator keeps running and
// builds the workload (issue 4).
package edgenocrds
