// Interop check: the official TypeScript MCP SDK client against a running
// github-mcp-server. Usage: node client.mjs <mcp-url>, with the client's API
// key in MCP_API_KEY. Prints one JSON summary line and exits non-zero on any
// mismatch. ts_test.go starts the server against the fake GitHub and runs it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = new URL(process.argv[2] ?? "");
const apiKey = process.env.MCP_API_KEY ?? "";
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

function connect(token) {
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name: "ts-interop", version: "1.0.0" });
  return { client, transport };
}

const summary = {};
try {
  // Without credentials the server must refuse the handshake.
  const anon = connect("");
  let refused = false;
  try {
    await anon.client.connect(anon.transport);
  } catch (err) {
    refused = /401|nauthorized/.test(String(err));
  }
  check(refused, "unauthenticated connect was not refused with 401");
  await anon.client.close().catch(() => {});

  const { client, transport } = connect(apiKey);
  await client.connect(transport);
  const info = client.getServerVersion();
  summary.server = info?.name;
  summary.protocolVersion = transport.protocolVersion;
  check(info?.name === "github-mcp-server", `server name ${info?.name}`);

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  summary.tools = names.length;
  check(names.includes("get_me"), "get_me missing from tools/list");
  check(!names.includes("create_branch"), "write tool listed in read-only mode");
  for (const t of tools) {
    check(t.inputSchema?.type === "object", `${t.name}: input schema is not an object`);
    check(t.annotations?.readOnlyHint === true, `${t.name}: readOnlyHint not true`);
  }

  const me = await client.callTool({ name: "get_me", arguments: {} });
  const meText = JSON.stringify(me.content);
  summary.getMe = !me.isError && meText.includes("octocat");
  check(summary.getMe, `get_me: ${meText.slice(0, 200)}`);

  const branches = await client.callTool({
    name: "list_branches",
    arguments: { owner: "octo-org", repo: "hello-world" },
  });
  summary.listBranches = !branches.isError && JSON.stringify(branches.content).includes("main");
  check(summary.listBranches, "list_branches did not return main");

  // Bad input is a tool error naming the argument, not a crash.
  const traversal = await client.callTool({
    name: "get_file_contents",
    arguments: { owner: "octo-org", repo: "hello-world", path: "../../etc/passwd" },
  });
  summary.traversalRejected = traversal.isError === true && JSON.stringify(traversal.content).includes("path");
  check(summary.traversalRejected, "path traversal not rejected as a tool error naming path");

  // An unknown tool is a JSON-RPC error (-32602 Invalid params), not a
  // tool result: the spec keeps tool errors for tools that ran.
  let unknownCode;
  try {
    const r = await client.callTool({ name: "no_such_tool", arguments: {} });
    unknownCode = `a result (isError ${r.isError})`;
  } catch (err) {
    unknownCode = err?.code;
  }
  summary.unknownToolCode = unknownCode;
  check(unknownCode === -32602, `unknown tool: want JSON-RPC error -32602, got ${unknownCode}`);

  await client.close();
} catch (err) {
  failures.push(`unexpected error: ${err?.stack ?? err}`);
}

summary.failures = failures;
console.log(JSON.stringify(summary));
process.exit(failures.length === 0 ? 0 : 1);
