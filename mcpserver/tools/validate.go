package tools

import (
	"regexp"
	"strings"
	"unicode/utf8"

	gogithub "github.com/google/go-github/v62/github"
)

// The handlers re-check every argument even though the SDK validated the
// schema first: the checks are cheap, and the schema alone cannot express
// everything (no ".." segments, no control characters).

var (
	ownerRE = regexp.MustCompile(ownerPattern)
	repoRE  = regexp.MustCompile(repoPattern)
	shaRE   = regexp.MustCompile(shaPattern)
)

type repoArgs struct {
	Owner string `json:"owner"`
	Repo  string `json:"repo"`
}

func (a *repoArgs) check() error {
	if !ownerRE.MatchString(a.Owner) {
		return badArg("owner", "must be a GitHub login: 1-39 letters, digits or inner hyphens")
	}
	if !repoRE.MatchString(a.Repo) || a.Repo == "." || a.Repo == ".." {
		return badArg("repo", "must be a repository name: 1-100 letters, digits, '.', '-' or '_'")
	}
	return nil
}

type pageArgs struct {
	Page    int `json:"page"`
	PerPage int `json:"perPage"`
}

func (p *pageArgs) list() (gogithub.ListOptions, error) {
	if p.Page < 0 || p.Page > maxPage {
		return gogithub.ListOptions{}, badArg("page", "must be between 1 and %d", maxPage)
	}
	if p.PerPage < 0 || p.PerPage > maxPerPage {
		return gogithub.ListOptions{}, badArg("perPage", "must be between 1 and %d", maxPerPage)
	}
	o := gogithub.ListOptions{Page: p.Page, PerPage: p.PerPage}
	if o.PerPage == 0 {
		o.PerPage = 30
	}
	return o, nil
}

func checkNumber(arg string, n int) error {
	if n < 1 {
		return badArg(arg, "must be a positive number")
	}
	return nil
}

func checkID(arg string, n int64) error {
	if n < 1 {
		return badArg(arg, "must be a positive number")
	}
	return nil
}

// checkText bounds a free-text argument and refuses control characters
// other than newlines and tabs.
func checkText(arg, s string, maxLen int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return badArg(arg, "is required")
	}
	if len(s) > maxLen {
		return badArg(arg, "is longer than %d bytes", maxLen)
	}
	if !utf8.ValidString(s) {
		return badArg(arg, "is not valid UTF-8")
	}
	for _, r := range s {
		if r == 0 || (r < 0x20 && r != '\n' && r != '\t' && r != '\r') {
			return badArg(arg, "contains control characters")
		}
	}
	return nil
}

// checkPath accepts a repository-relative path: no absolute path, no ".."
// or "." segment, no NUL or control character, no backslash, bounded length.
// An empty path (the root) is allowed when allowRoot is set.
func checkPath(arg, p string, allowRoot bool) (string, error) {
	if len(p) > maxPathLen {
		return "", badArg(arg, "is longer than %d bytes", maxPathLen)
	}
	if strings.ContainsRune(p, 0) {
		return "", badArg(arg, "contains a NUL byte")
	}
	if err := checkText(arg, p, maxPathLen, false); err != nil {
		return "", err
	}
	if strings.HasPrefix(p, "/") && p != "/" || strings.HasPrefix(p, "~") || (len(p) > 1 && p[1] == ':') {
		return "", badArg(arg, "must be relative to the repository root, not absolute")
	}
	if strings.Contains(p, `\`) {
		return "", badArg(arg, "must use '/' as separator")
	}
	p = strings.Trim(p, "/")
	if p == "" {
		if !allowRoot {
			return "", badArg(arg, "is required")
		}
		return "", nil
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "..":
			return "", badArg(arg, "must not contain '..' segments")
		case ".", "":
			return "", badArg(arg, "must not contain empty or '.' segments")
		}
	}
	return p, nil
}

// checkRef accepts a branch, tag or ref name by git's check-ref-format
// rules (the parts that matter for URL safety).
func checkRef(arg, r string, required bool) error {
	if r == "" {
		if required {
			return badArg(arg, "is required")
		}
		return nil
	}
	if len(r) > maxRefLen {
		return badArg(arg, "is longer than %d bytes", maxRefLen)
	}
	if strings.Contains(r, "..") || strings.HasPrefix(r, "/") || strings.HasSuffix(r, "/") ||
		strings.HasSuffix(r, ".lock") || strings.Contains(r, "@{") || strings.Contains(r, "//") {
		return badArg(arg, "is not a valid git ref name")
	}
	for _, c := range r {
		if c <= 0x20 || c == 0x7f || strings.ContainsRune(`~^:?*[\`, c) {
			return badArg(arg, "is not a valid git ref name")
		}
	}
	return nil
}

func checkSHA(arg, s string, required bool) error {
	if s == "" && !required {
		return nil
	}
	if !shaRE.MatchString(s) {
		return badArg(arg, "must be a hex commit SHA (7-64 characters)")
	}
	return nil
}

func checkEnum(arg, v string, allowed ...string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return badArg(arg, "must be one of %s", strings.Join(allowed, ", "))
}

func checkLogins(arg string, logins []string) error {
	if len(logins) > maxListItems {
		return badArg(arg, "has more than %d items", maxListItems)
	}
	for _, l := range logins {
		if !ownerRE.MatchString(l) {
			return badArg(arg, "item %q is not a GitHub login", l)
		}
	}
	return nil
}

func checkLabels(arg string, labels []string) error {
	if len(labels) > maxListItems {
		return badArg(arg, "has more than %d items", maxListItems)
	}
	for _, l := range labels {
		if err := checkText(arg, l, 100, true); err != nil {
			return err
		}
	}
	return nil
}
