package controllers

import (
	"strings"
	"testing"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Owner: the edge engineer (issue 4). Table tests of the edge's pure checks.

func TestCheckHtpasswd(t *testing.T) {
	const bc = "$2y$05$0123456789012345678901uQ0Rw5nXl0H1Zr0mG9l3e8C9J8qYq3y" // 60 chars, cost 05
	if len(bc) != 60 {
		t.Fatalf("fixture length %d", len(bc))
	}
	cases := []struct {
		name, data, wantIn string // wantIn "" means accepted
	}{
		{"bcrypt y", "alice:" + bc + "\n", ""},
		{"bcrypt a and b, comments, blanks", "# ops\n\nalice:" + strings.Replace(bc, "$2y$", "$2a$", 1) + "\nbob:" + strings.Replace(bc, "$2y$", "$2b$", 1), ""},
		{"empty", "", "missing or empty"},
		{"only comments", "# nobody\n", "has no user"},
		{"md5 apr1", "alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/", `user "alice" (line 1) is not bcrypt`},
		{"sha1", "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", `user "bob"`},
		{"plain text", "carol:hunter2", `user "carol"`},
		{"no colon", "dave", "line 1"},
		{"empty user", ":" + bc, "line 1"},
		{"bcrypt with bad cost", "erin:" + strings.Replace(bc, "$05$", "$99$", 1), "not bcrypt"},
		{"bcrypt too short", "frank:" + bc[:59], "not bcrypt"},
		{"bcrypt with a bad character", "gina:" + bc[:59] + "!", "not bcrypt"},
		{"second line bad", "alice:" + bc + "\nmallory:$1$abc$def", "line 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := checkHtpasswd([]byte(tc.data))
			if tc.wantIn == "" {
				if got != "" {
					t.Fatalf("rejected: %s", got)
				}
				return
			}
			if !strings.Contains(got, tc.wantIn) {
				t.Fatalf("got %q, want it to contain %q", got, tc.wantIn)
			}
			if strings.Contains(got, "$apr1$") || strings.Contains(got, "{SHA}") || strings.Contains(got, "hunter2") {
				t.Fatalf("message leaks a hash or password: %q", got)
			}
		})
	}
}

func TestCertificateState(t *testing.T) {
	cert := func(gen int64, conds ...cmv1.CertificateCondition) *cmv1.Certificate {
		c := &cmv1.Certificate{ObjectMeta: metav1.ObjectMeta{Name: "c", Generation: gen}, Spec: cmv1.CertificateSpec{DNSNames: []string{"mcp.example.com"}}}
		c.Status.Conditions = conds
		return c
	}
	ready := func(s cmmeta.ConditionStatus, gen int64) cmv1.CertificateCondition {
		return cmv1.CertificateCondition{Type: cmv1.CertificateConditionReady, Status: s, Reason: "Reason", ObservedGeneration: gen}
	}
	cases := []struct {
		name string
		c    *cmv1.Certificate
		want depState
	}{
		{"no status yet", cert(1), depWaiting},
		{"ready", cert(2, ready(cmmeta.ConditionTrue, 2)), depReady},
		{"not ready", cert(2, ready(cmmeta.ConditionFalse, 2)), depWaiting},
		{"ready for an older spec", cert(3, ready(cmmeta.ConditionTrue, 2)), depWaiting},
		{"other condition only", cert(1, cmv1.CertificateCondition{Type: cmv1.CertificateConditionIssuing, Status: cmmeta.ConditionTrue}), depWaiting},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason, msg := certificateState(tc.c)
			if got != tc.want || reason == "" || !strings.Contains(msg, "mcp.example.com") {
				t.Fatalf("got %v %q %q, want state %v", got, reason, msg, tc.want)
			}
		})
	}
}

func TestLeafCertificateRejectsJunk(t *testing.T) {
	for _, in := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, err := leafCertificate([]byte(in)); err == nil {
			t.Errorf("leafCertificate(%q) accepted junk", in)
		}
	}
}
