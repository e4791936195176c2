package tools

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/google/jsonschema-go/jsonschema"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// Job log bounds: the last tail_lines lines, and never more than
// maxLogBytes, however long the log.
const (
	defaultTailLines = 500
	maxTailLines     = 5000
	maxLogBytes      = 64 << 10
)

// A workflow is named by its numeric ID or the file name under
// .github/workflows (letters, digits, '.', '-', '_'; .yml or .yaml).
const (
	workflowIDPattern = `^(?:[1-9][0-9]{0,18}|[A-Za-z0-9_][A-Za-z0-9._-]{0,250}\.ya?ml)?$`
	maxWorkflowIDLen  = 255
)

var workflowIDRE = regexp.MustCompile(workflowIDPattern)

type emptyArgs struct{}

type listRunsArgs struct {
	repoArgs
	pageArgs
	WorkflowID string `json:"workflow_id"`
	Actor      string `json:"actor"`
	Branch     string `json:"branch"`
	Event      string `json:"event"`
	Status     string `json:"status"`
}

type runArgs struct {
	repoArgs
	RunID int64 `json:"run_id"`
}

type jobLogsArgs struct {
	repoArgs
	JobID     int64 `json:"job_id"`
	TailLines int   `json:"tail_lines"`
}

type listAlertsArgs struct {
	repoArgs
	Ref      string `json:"ref"`
	State    string `json:"state"`
	Severity string `json:"severity"`
	ToolName string `json:"tool_name"`
}

type alertArgs struct {
	repoArgs
	AlertNumber int64 `json:"alertNumber"`
}

var (
	runStatuses = []string{"completed", "action_required", "cancelled", "failure", "neutral", "skipped", "stale",
		"success", "timed_out", "in_progress", "queued", "requested", "waiting", "pending"}
	alertSeverities = []string{"critical", "high", "medium", "low", "warning", "note", "error"}
)

func init() {
	define(ToolInfo{Name: "get_me", Toolset: pc.ToolsetContext, ReadOnly: true}, "Get my user profile",
		"Get the GitHub user this server acts as (its own credential, not the MCP client's)."+untrustedNote,
		object(nil, nil),
		func(ctx context.Context, d *deps, _ *emptyArgs) (any, error) {
			return nil2(d.gh.REST().Users.Get(ctx, ""))
		})

	define(ToolInfo{Name: "search_users", Toolset: pc.ToolsetUsers, ReadOnly: true}, "Search users",
		"Search GitHub users with GitHub's user search syntax."+untrustedNote,
		object(required("query"), pageProps(map[string]*jsonschema.Schema{
			"query": nonEmpty("User search query, e.g. 'location:berlin language:go'.", maxQueryLen),
			"sort":  enum("Sort field (default: best match).", "followers", "repositories", "joined"),
			"order": enum("Sort order.", "asc", "desc"),
		})),
		func(ctx context.Context, d *deps, in *searchArgs) (any, error) {
			so, err := in.options("followers", "repositories", "joined")
			if err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().Search.Users(ctx, in.Query, so))
		})

	define(ToolInfo{Name: "list_workflows", Toolset: pc.ToolsetActions, ReadOnly: true}, "List workflows",
		"List the GitHub Actions workflows of a repository."+untrustedNote,
		object(required("owner", "repo"), pageProps(repoProps(nil))),
		func(ctx context.Context, d *deps, in *repoPageArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().Actions.ListWorkflows(ctx, in.Owner, in.Repo, &lo))
		})

	define(ToolInfo{Name: "list_workflow_runs", Toolset: pc.ToolsetActions, ReadOnly: true}, "List workflow runs",
		"List GitHub Actions workflow runs of a repository, optionally of one workflow (ID or file name)."+untrustedNote,
		object(required("owner", "repo"), pageProps(repoProps(map[string]*jsonschema.Schema{
			"workflow_id": func() *jsonschema.Schema {
				s := str("Workflow ID or workflow file name (e.g. ci.yml, no directory); all workflows when empty.", maxWorkflowIDLen)
				s.Pattern = workflowIDPattern
				return s
			}(),
			"actor":  login("Only runs triggered by this login."),
			"branch": ref("Only runs on this branch."),
			"event":  str("Only runs for this event (push, pull_request, ...).", 64),
			"status": enum("Only runs with this status or conclusion.", runStatuses...),
		}))),
		func(ctx context.Context, d *deps, in *listRunsArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			if in.Actor != "" {
				if err := checkLogins("actor", []string{in.Actor}); err != nil {
					return nil, err
				}
			}
			if err := checkRef("branch", in.Branch, false); err != nil {
				return nil, err
			}
			if err := checkText("event", in.Event, 64, false); err != nil {
				return nil, err
			}
			if err := checkEnum("status", in.Status, runStatuses...); err != nil {
				return nil, err
			}
			opts := &gogithub.ListWorkflowRunsOptions{Actor: in.Actor, Branch: in.Branch, Event: in.Event,
				Status: in.Status, ListOptions: lo}
			acts := d.gh.REST().Actions
			if in.WorkflowID == "" {
				return nil2(acts.ListRepositoryWorkflowRuns(ctx, in.Owner, in.Repo, opts))
			}
			if id, err := strconv.ParseInt(in.WorkflowID, 10, 64); err == nil && id > 0 {
				return nil2(acts.ListWorkflowRunsByID(ctx, in.Owner, in.Repo, id, opts))
			}
			// go-github puts the file name into the URL unescaped, so only a
			// plain file name may pass (no '/', '?', '#' or '%').
			if !workflowIDRE.MatchString(in.WorkflowID) {
				return nil, badArg("workflow_id", "must be a positive workflow ID or a workflow file name such as ci.yml")
			}
			return nil2(acts.ListWorkflowRunsByFileName(ctx, in.Owner, in.Repo, in.WorkflowID, opts))
		})

	define(ToolInfo{Name: "get_workflow_run", Toolset: pc.ToolsetActions, ReadOnly: true}, "Get workflow run",
		"Get one GitHub Actions workflow run."+untrustedNote,
		object(required("owner", "repo", "run_id"), repoProps(map[string]*jsonschema.Schema{
			"run_id": id64("The unique identifier of the workflow run."),
		})),
		func(ctx context.Context, d *deps, in *runArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkID("run_id", in.RunID); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().Actions.GetWorkflowRunByID(ctx, in.Owner, in.Repo, in.RunID))
		})

	define(ToolInfo{Name: "get_job_logs", Toolset: pc.ToolsetActions, ReadOnly: true}, "Get GitHub Actions workflow job logs",
		fmt.Sprintf("Get the tail of a GitHub Actions job log: the last tail_lines lines (default %d, max %d), never more than %d KiB.",
			defaultTailLines, maxTailLines, maxLogBytes>>10)+untrustedNote,
		object(required("owner", "repo", "job_id"), repoProps(map[string]*jsonschema.Schema{
			"job_id":     id64("The unique identifier of the workflow job."),
			"tail_lines": withDefault(integer("Number of lines to return from the end of the log.", 1, maxTailLines), defaultTailLines),
		})),
		func(ctx context.Context, d *deps, in *jobLogsArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkID("job_id", in.JobID); err != nil {
				return nil, err
			}
			if in.TailLines == 0 {
				in.TailLines = defaultTailLines
			}
			if in.TailLines < 1 || in.TailLines > maxTailLines {
				return nil, badArg("tail_lines", "must be between 1 and %d", maxTailLines)
			}
			u, _, err := d.gh.REST().Actions.GetWorkflowJobLogs(ctx, in.Owner, in.Repo, in.JobID, 1)
			if err != nil {
				return nil, err
			}
			data, truncated, err := d.gh.DownloadTail(ctx, u.String(), maxLogBytes)
			if err != nil {
				return nil, err
			}
			return formatLogTail(in.JobID, data, truncated, in.TailLines), nil
		})

	define(ToolInfo{Name: "list_code_scanning_alerts", Toolset: pc.ToolsetCodeSecurity, ReadOnly: true}, "List code scanning alerts",
		"List code scanning alerts of a repository."+untrustedNote,
		object(required("owner", "repo"), repoProps(map[string]*jsonschema.Schema{
			"ref":       ref("The git reference for the results you want to list."),
			"state":     enum("Filter by state (default: open).", "open", "closed", "dismissed", "fixed"),
			"severity":  enum("Filter by severity.", alertSeverities...),
			"tool_name": str("The name of the code scanning tool.", 100),
		})),
		func(ctx context.Context, d *deps, in *listAlertsArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkRef("ref", in.Ref, false); err != nil {
				return nil, err
			}
			if err := checkEnum("state", in.State, "open", "closed", "dismissed", "fixed"); err != nil {
				return nil, err
			}
			if err := checkEnum("severity", in.Severity, alertSeverities...); err != nil {
				return nil, err
			}
			if err := checkText("tool_name", in.ToolName, 100, false); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().CodeScanning.ListAlertsForRepo(ctx, in.Owner, in.Repo, &gogithub.AlertListOptions{
				Ref: in.Ref, State: in.State, Severity: in.Severity, ToolName: in.ToolName,
			}))
		})

	define(ToolInfo{Name: "get_code_scanning_alert", Toolset: pc.ToolsetCodeSecurity, ReadOnly: true}, "Get code scanning alert",
		"Get one code scanning alert."+untrustedNote,
		object(required("owner", "repo", "alertNumber"), repoProps(map[string]*jsonschema.Schema{
			"alertNumber": id64("The number of the alert."),
		})),
		func(ctx context.Context, d *deps, in *alertArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkID("alertNumber", in.AlertNumber); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().CodeScanning.GetAlert(ctx, in.Owner, in.Repo, in.AlertNumber))
		})
}

// formatLogTail keeps the last n lines of data, sanitized.
func formatLogTail(jobID int64, data []byte, truncated bool, n int) string {
	if truncated {
		// The first line is probably cut in the middle: drop it.
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	data = bytes.TrimRight(data, "\n")
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
		truncated = true
	}
	head := fmt.Sprintf("job %d: last %d lines", jobID, len(lines))
	if truncated {
		head += " (earlier lines omitted)"
	}
	return Sanitize(head + "\n" + string(bytes.Join(lines, []byte("\n"))) + "\n")
}
