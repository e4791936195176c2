// Package filewatch re-reads a mounted file when its content changes.
//
// Kubernetes updates Secret and ConfigMap volumes by swapping a symlink
// (..data) to a new directory, which inotify watches on the file itself miss.
// Polling the content is simple, catches every update style, and costs one
// small read per interval, so that is what this package does.
package filewatch
