#!/usr/bin/env bash
# Fails if the captured output of the whole test suite (make test tees it to
# bin/test-output.log) contains anything shaped like a credential: GitHub
# tokens, our client API keys, private keys, bearer JWTs. Every test uses such
# fixtures, and none may ever reach a log line, an event or a message.
set -euo pipefail
log=${1:?usage: hack/leak-check.sh LOGFILE}
patterns=(
  'gh[pousr]_[A-Za-z0-9]{16,}'          # GitHub PATs, OAuth, server-to-server tokens
  'github_pat_[A-Za-z0-9_]{16,}'        # fine-grained PATs
  'mcpk_[A-Za-z0-9]{16,}'               # client API keys as docs/mcp-server.md mints them
  '-----BEGIN [A-Z ]*PRIVATE KEY-----'  # GitHub App keys, TLS keys
  'eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.' # JWTs (OIDC tokens, App JWTs)
)
hits=0
for p in "${patterns[@]}"; do
  if grep -nE -- "$p" "$log" | head -5 | sed 's/^/leak-check: /' | grep .; then
    hits=1
  fi
done
if (( hits )); then
  echo "leak-check: credential-shaped strings in the test output above; no secret may reach a log" >&2
  exit 1
fi
echo "leak-check: no credential-shaped string in $(wc -l < "$log") lines of test output"
