package httpserver

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

type recorderT struct {
	header http.Header
	code   int
	body   strings.Builder
}

func (r *recorderT) Header() http.Header         { return r.header }
func (r *recorderT) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorderT) WriteHeader(c int)           { r.code = c }

func mustReq(t *testing.T, method, path string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, "http://ops"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
