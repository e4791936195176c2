package tools

import (
	"encoding/json"

	"github.com/google/jsonschema-go/jsonschema"
)

// Schema building blocks. Each call returns a fresh value: schemas are
// resolved per tool by the SDK and must not share mutable parts.

// Bounds shared by the tools.
const (
	maxOwnerLen   = 39
	maxRepoLen    = 100
	maxPathLen    = 1024
	maxRefLen     = 255
	maxQueryLen   = 256 // GitHub rejects longer search queries
	maxTitleLen   = 256
	maxBodyLen    = 65536 // GitHub's limit for issue and comment bodies
	maxContentLen = 1 << 20
	maxPerPage    = 100
	maxPage       = 1000
	maxListItems  = 20
)

// GitHub's rules: logins are alphanumeric with single inner hyphens, at most
// 39 characters; repository names are ASCII letters, digits, '.', '-', '_'.
const (
	ownerPattern = `^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$`
	repoPattern  = `^[A-Za-z0-9._-]{1,100}$`
	shaPattern   = `^[0-9a-fA-F]{7,64}$`
)

func ptr[T any](v T) *T { return &v }

func object(required []string, props map[string]*jsonschema.Schema) *jsonschema.Schema {
	if props == nil {
		props = map[string]*jsonschema.Schema{}
	}
	return &jsonschema.Schema{Type: "object", Properties: props, Required: required}
}

func str(desc string, maxLen int) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Description: desc, MaxLength: ptr(maxLen)}
}

func nonEmpty(desc string, maxLen int) *jsonschema.Schema {
	s := str(desc, maxLen)
	s.MinLength = ptr(1)
	return s
}

func enum(desc string, vals ...string) *jsonschema.Schema {
	e := make([]any, len(vals))
	for i, v := range vals {
		e[i] = v
	}
	return &jsonschema.Schema{Type: "string", Description: desc, Enum: e}
}

func integer(desc string, minV, maxV float64) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "integer", Description: desc, Minimum: ptr(minV), Maximum: ptr(maxV)}
}

func boolean(desc string) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "boolean", Description: desc}
}

func strList(desc string, itemMax int) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "array", Description: desc, MaxItems: ptr(maxListItems),
		Items: &jsonschema.Schema{Type: "string", MinLength: ptr(1), MaxLength: ptr(itemMax)}}
}

func owner() *jsonschema.Schema {
	s := nonEmpty("Repository owner (user or organization login)", maxOwnerLen)
	s.Pattern = ownerPattern
	return s
}

func repo() *jsonschema.Schema {
	s := nonEmpty("Repository name", maxRepoLen)
	s.Pattern = repoPattern
	return s
}

func login(desc string) *jsonschema.Schema {
	s := nonEmpty(desc, maxOwnerLen)
	s.Pattern = ownerPattern
	return s
}

func filePath(desc string) *jsonschema.Schema {
	return str(desc+" Relative to the repository root; no '..' segments.", maxPathLen)
}

func ref(desc string) *jsonschema.Schema { return str(desc, maxRefLen) }

func sha(desc string) *jsonschema.Schema {
	s := str(desc, 64)
	s.Pattern = shaPattern
	return s
}

func number(desc string) *jsonschema.Schema { return integer(desc, 1, 1<<31-1) }

func id64(desc string) *jsonschema.Schema { return integer(desc, 1, 1<<53) }

func withDefault(s *jsonschema.Schema, v any) *jsonschema.Schema {
	b, _ := json.Marshal(v)
	s.Default = b
	return s
}

// repoProps returns owner and repo plus extra properties.
func repoProps(extra map[string]*jsonschema.Schema) map[string]*jsonschema.Schema {
	m := map[string]*jsonschema.Schema{"owner": owner(), "repo": repo()}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// pageProps adds page and perPage.
func pageProps(m map[string]*jsonschema.Schema) map[string]*jsonschema.Schema {
	m["page"] = integer("Page number for pagination (min 1)", 1, maxPage)
	m["perPage"] = integer("Results per page for pagination (min 1, max 100)", 1, maxPerPage)
	return m
}

func required(names ...string) []string { return names }
