package argocd

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Script is health.lua, the health check argocd-cm.yaml installs.
//
//go:embed health.lua
var Script string

// Evaluate runs Script against obj (an object as JSON-decoded maps, e.g.
// unstructured.Unstructured.Object) the way Argo CD does, so tests can ask
// what Argo CD would show for a live GitHubMCPServer.
func Evaluate(obj map[string]any) (Health, error) {
	return runHealth(Script, obj)
}

// HealthKey is the argocd-cm key Argo CD looks up for our kind:
// resource.customizations.health.<group>_<kind>.
const HealthKey = "resource.customizations.health.mcp.githubmcp.dev_GitHubMCPServer"

// Health is Argo CD's HealthStatus: what a health script must return.
type Health struct {
	Status  string
	Message string
}

// validStatuses are the codes Argo CD accepts; anything else it turns into
// Unknown with an "invalid health status" message.
var validStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true,
	"Suspended": true, "Missing": true, "Unknown": true,
}

// runHealth mirrors Argo CD's util/lua VM.ExecuteHealthLua: a state without
// the standard libraries except package, base and table (so the script must
// not use string, os or io), a one-second deadline, the object decoded into a
// global table named obj, and a returned table read as {status, message}.
func runHealth(script string, obj map[string]any) (Health, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", decode(l, obj))
	if err := l.DoString(script); err != nil {
		return Health{}, err
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return Health{}, fmt.Errorf("health script returned %s, want a table", l.Get(-1).Type())
	}
	h := Health{
		Status:  lua.LVAsString(ret.RawGetString("status")),
		Message: lua.LVAsString(ret.RawGetString("message")),
	}
	if !validStatuses[h.Status] {
		return Health{}, fmt.Errorf("health script returned status %q, which Argo CD turns into Unknown", h.Status)
	}
	return h, nil
}

// decode is Argo CD's decodeValue: JSON-shaped Go values to Lua values.
func decode(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(decode(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for k, item := range v {
			t.RawSetH(lua.LString(k), decode(l, item))
		}
		return t
	}
	return lua.LNil
}
