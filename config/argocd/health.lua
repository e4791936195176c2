-- Argo CD health check for mcp.githubmcp.dev/GitHubMCPServer.
--
-- Argo CD sets the global `obj` to the live object and expects a table
-- {status = ..., message = ...} back. The operator reports kstatus conditions
-- (Ready, Reconciling, Stalled) and status.observedGeneration, so this script
-- reads the same signals kstatus and Flux read:
--   1. Stalled=True for the current generation (a spec or Secret the operator
--      cannot act on) is Degraded, even if status.observedGeneration lags:
--      a failed pass may leave it behind, and the condition carries its own;
--   2. a status older than the spec is Progressing, whatever it says;
--   3. spec.suspend (the emergency stop) is Suspended;
--   4. Ready=True is Healthy;
--   5. anything else (Reconciling, Ready=False/Unknown, no status) is Progressing.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local generation = 0
if obj.metadata ~= nil and obj.metadata.generation ~= nil then
  generation = obj.metadata.generation
end
local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local stalled = condition(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  local seen = stalled.observedGeneration or status.observedGeneration
  if seen ~= nil and seen >= generation then
    hs.status = "Degraded"
    hs.message = text(stalled, "The operator cannot make progress")
    return hs
  end
end

if status.observedGeneration == nil or status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: spec.suspend is true, the server is scaled to zero and its routes are withdrawn"
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
  return hs
end

local reconciling = condition(status.conditions, "Reconciling")
hs.status = "Progressing"
if reconciling ~= nil and reconciling.status == "True" then
  hs.message = text(reconciling, "Reconciling")
else
  hs.message = text(ready, "Waiting for the Ready condition")
end
return hs
