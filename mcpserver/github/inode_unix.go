//go:build unix

package github

import (
	"os"
	"syscall"
)

func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino // uint64 on every unix Go supports
	}
	return 0
}
