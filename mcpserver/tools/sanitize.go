package tools

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Sanitize makes text that came from GitHub safer to hand to a model: it
// strips invisible characters (StripInvisible) and removes unsafe HTML
// (RemoveUnsafeHTML). Both hide instructions from a human reviewer while a
// model still reads them, the classic prompt-injection carriers.
//
// Removing a comment can join two harmless halves into a new tag ("<" +
// "<!-- -->" + "script>"), so HTML removal repeats until nothing changes.
// Every pass that changes the text shortens it, so this ends; the bound is
// a guard.
func Sanitize(s string) string {
	s = StripInvisible(s)
	for range 16 {
		next := RemoveUnsafeHTML(s)
		if next == s {
			return s
		}
		s = next
	}
	return html.EscapeString(s) // pathological nesting: neutralise all markup
}

// isInvisible reports whether r renders as nothing (or reorders text) and so
// can hide content: Unicode format characters (zero-width space/joiners, word
// joiner, BOM, soft hyphen, BiDi embeddings, overrides and isolates
// U+202A-202E and U+2066-2069, the tag block U+E0000-E007F), control
// characters other than tab and newlines, and the variation selectors
// supplement (used for "ASCII smuggling").
func isInvisible(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return true
	case r >= 0xE0000 && r <= 0xE007F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	case r == utf8.RuneError:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// StripInvisible removes invisible, tag and BiDi control characters and
// invalid UTF-8. It returns s itself when there is nothing to strip.
func StripInvisible(s string) string {
	i := strings.IndexFunc(s, isInvisible)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !isInvisible(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropWithContent are elements removed together with everything inside.
var dropWithContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Frameset: true,
	atom.Object: true, atom.Applet: true, atom.Noscript: true, atom.Template: true,
	atom.Noembed: true, atom.Noframes: true,
}

// dropTagOnly are elements whose tags are removed but whose text is kept
// (void elements among them have no content anyway).
var dropTagOnly = map[atom.Atom]bool{
	atom.Embed: true, atom.Frame: true, atom.Meta: true, atom.Link: true, atom.Base: true, atom.Form: true, atom.Input: true,
	atom.Button: true, atom.Plaintext: true, atom.Xmp: true,
}

// RemoveUnsafeHTML removes HTML comments, script-like elements with their
// content, event-handler and style attributes and javascript:/data: URLs.
// Everything else, including Markdown and harmless tags, is kept byte for
// byte, so code and prose are not mangled by escaping.
func RemoveUnsafeHTML(s string) string {
	if !strings.ContainsRune(s, '<') {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	skipDepth, skipAtom := 0, atom.Atom(0)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		tok := z.Token()
		a := tok.DataAtom
		if skipDepth > 0 {
			switch {
			case tt == html.StartTagToken && a == skipAtom:
				skipDepth++
			case tt == html.EndTagToken && a == skipAtom:
				skipDepth--
			}
			continue
		}
		switch tt {
		case html.CommentToken, html.DoctypeToken:
			continue
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			if dropWithContent[a] {
				if tt == html.StartTagToken {
					skipDepth, skipAtom = 1, a
				}
				continue
			}
			if dropTagOnly[a] || !plainTagName(tok.Data) {
				// Odd names such as "scr<script" are dropped too: they only
				// serve to confuse filters.
				continue
			}
			if tt != html.EndTagToken && hasUnsafeAttr(tok.Attr) {
				tok.Attr = safeAttrs(tok.Attr)
				b.WriteString(tok.String())
				continue
			}
		}
		b.Write(raw)
	}
	return b.String()
}

// plainTagName rejects tag names that smuggle a '<' (e.g. "scr<script").
// Other odd names stay: Markdown autolinks such as <user@example.com> are
// tags to the tokenizer.
func plainTagName(name string) bool { return !strings.ContainsRune(name, '<') }

func unsafeAttr(a html.Attribute) bool {
	k := strings.ToLower(a.Key)
	if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" || k == "formaction" {
		return true
	}
	switch k {
	case "href", "src", "action", "xlink:href", "data", "poster", "background":
		v := strings.ToLower(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.IsControl(r) {
				return -1
			}
			return r
		}, a.Val))
		return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")
	}
	return false
}

func hasUnsafeAttr(attrs []html.Attribute) bool {
	for _, a := range attrs {
		if unsafeAttr(a) {
			return true
		}
	}
	return false
}

func safeAttrs(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0:0]
	for _, a := range attrs {
		if !unsafeAttr(a) {
			out = append(out, a)
		}
	}
	return out
}

// SanitizeJSON applies Sanitize to every string (values and keys are
// untouched structurally) in the JSON document b and re-encodes it.
func SanitizeJSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	v = sanitizeValue(v)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(out.Bytes(), "\n"), nil
}

func sanitizeValue(v any) any {
	switch x := v.(type) {
	case string:
		return Sanitize(x)
	case []any:
		for i := range x {
			x[i] = sanitizeValue(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = sanitizeValue(e)
		}
	}
	return v
}
