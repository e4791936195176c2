package tools

import (
	"context"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/google/jsonschema-go/jsonschema"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

type issueReadArgs struct {
	repoArgs
	pageArgs
	Method      string `json:"method"`
	IssueNumber int    `json:"issue_number"`
}

type listIssuesArgs struct {
	repoArgs
	pageArgs
	State     string   `json:"state"`
	Labels    []string `json:"labels"`
	OrderBy   string   `json:"orderBy"`
	Direction string   `json:"direction"`
	Since     string   `json:"since"`
}

type searchIssuesArgs struct {
	searchArgs
	Owner string `json:"owner"`
	Repo  string `json:"repo"`
}

type issueWriteArgs struct {
	repoArgs
	Method      string   `json:"method"`
	IssueNumber int      `json:"issue_number"`
	Title       string   `json:"title"`
	Body        *string  `json:"body"`
	Assignees   []string `json:"assignees"`
	Labels      []string `json:"labels"`
	Milestone   int      `json:"milestone"`
	State       string   `json:"state"`
	StateReason string   `json:"state_reason"`
}

type addIssueCommentArgs struct {
	repoArgs
	IssueNumber int    `json:"issue_number"`
	Body        string `json:"body"`
}

var issueSorts = []string{"comments", "reactions", "reactions-+1", "reactions--1", "reactions-smile",
	"reactions-thinking_face", "reactions-heart", "reactions-tada", "interactions", "created", "updated"}

func init() {
	define(ToolInfo{Name: "issue_read", Toolset: pc.ToolsetIssues, ReadOnly: true}, "Get issue details",
		"Read one issue: method 'get' (details), 'get_comments' (comments) or 'get_labels' (labels)."+untrustedNote,
		object(required("owner", "repo", "issue_number", "method"), pageProps(repoProps(map[string]*jsonschema.Schema{
			"method":       enum("The read operation: get, get_comments or get_labels.", "get", "get_comments", "get_labels"),
			"issue_number": number("The number of the issue."),
		}))),
		func(ctx context.Context, d *deps, in *issueReadArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			if err := checkNumber("issue_number", in.IssueNumber); err != nil {
				return nil, err
			}
			rest := d.gh.REST()
			switch in.Method {
			case "get":
				return nil2(rest.Issues.Get(ctx, in.Owner, in.Repo, in.IssueNumber))
			case "get_comments":
				return nil2(rest.Issues.ListComments(ctx, in.Owner, in.Repo, in.IssueNumber,
					&gogithub.IssueListCommentsOptions{ListOptions: lo}))
			case "get_labels":
				return nil2(rest.Issues.ListLabelsByIssue(ctx, in.Owner, in.Repo, in.IssueNumber, &lo))
			}
			return nil, badArg("method", "must be one of get, get_comments, get_labels")
		})

	define(ToolInfo{Name: "list_issues", Toolset: pc.ToolsetIssues, ReadOnly: true}, "List issues",
		"List issues in a GitHub repository (pull requests excluded)."+untrustedNote,
		object(required("owner", "repo"), pageProps(repoProps(map[string]*jsonschema.Schema{
			"state":     enum("Filter by state (default: open).", "open", "closed", "all", "OPEN", "CLOSED"),
			"labels":    strList("Filter by labels.", 100),
			"orderBy":   enum("Order issues by field.", "created", "updated", "comments", "CREATED_AT", "UPDATED_AT", "COMMENTS"),
			"direction": enum("Order direction.", "asc", "desc", "ASC", "DESC"),
			"since":     str("Only issues updated at or after this time (ISO 8601).", 64),
		}))),
		func(ctx context.Context, d *deps, in *listIssuesArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			if err := checkLabels("labels", in.Labels); err != nil {
				return nil, err
			}
			opts := &gogithub.IssueListByRepoOptions{
				State: strings.ToLower(in.State), Labels: in.Labels, Direction: strings.ToLower(in.Direction), ListOptions: lo,
			}
			if err := checkEnum("state", opts.State, "open", "closed", "all"); err != nil {
				return nil, err
			}
			if err := checkEnum("direction", opts.Direction, "asc", "desc"); err != nil {
				return nil, err
			}
			switch strings.ToLower(in.OrderBy) {
			case "", "created", "created_at":
				opts.Sort = "created"
			case "updated", "updated_at":
				opts.Sort = "updated"
			case "comments":
				opts.Sort = "comments"
			default:
				return nil, badArg("orderBy", "must be one of created, updated, comments")
			}
			if in.Since != "" {
				t, err := time.Parse(time.RFC3339, in.Since)
				if err != nil {
					if t, err = time.Parse("2006-01-02", in.Since); err != nil {
						return nil, badArg("since", "must be an ISO 8601 timestamp such as 2026-01-02T15:04:05Z")
					}
				}
				opts.Since = t
			}
			issues, _, err := d.gh.REST().Issues.ListByRepo(ctx, in.Owner, in.Repo, opts)
			if err != nil {
				return nil, err
			}
			out := issues[:0]
			for _, is := range issues {
				if !is.IsPullRequest() {
					out = append(out, is)
				}
			}
			return out, nil
		})

	define(ToolInfo{Name: "search_issues", Toolset: pc.ToolsetIssues, ReadOnly: true}, "Search issues",
		"Search issues with GitHub's issue search syntax ('is:issue' is added)."+untrustedNote,
		searchIssuesSchema("Search query using GitHub issues search syntax."),
		func(ctx context.Context, d *deps, in *searchIssuesArgs) (any, error) {
			return searchIssues(ctx, d, in, "is:issue")
		})

	define(ToolInfo{Name: "issue_write", Toolset: pc.ToolsetIssues, Destructive: true}, "Create or update issue",
		"Create an issue (method 'create', title required) or update one (method 'update', issue_number required).",
		object(required("owner", "repo", "method"), repoProps(map[string]*jsonschema.Schema{
			"method":       enum("'create' creates a new issue; 'update' updates an existing one.", "create", "update"),
			"issue_number": number("Issue number to update."),
			"title":        str("Issue title.", maxTitleLen),
			"body":         str("Issue body (Markdown).", maxBodyLen),
			"assignees":    strList("Logins to assign.", maxOwnerLen),
			"labels":       strList("Labels to apply.", 100),
			"milestone":    number("Milestone number."),
			"state":        enum("New state.", "open", "closed"),
			"state_reason": enum("Reason for the state change.", "completed", "not_planned", "reopened"),
		})),
		issueWrite)

	define(ToolInfo{Name: "add_issue_comment", Toolset: pc.ToolsetIssues}, "Add comment to issue",
		"Add a comment to an issue or pull request.",
		object(required("owner", "repo", "issue_number", "body"), repoProps(map[string]*jsonschema.Schema{
			"issue_number": number("Issue number to comment on."),
			"body":         nonEmpty("Comment content (Markdown).", maxBodyLen),
		})),
		func(ctx context.Context, d *deps, in *addIssueCommentArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkNumber("issue_number", in.IssueNumber); err != nil {
				return nil, err
			}
			if err := checkText("body", in.Body, maxBodyLen, true); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().Issues.CreateComment(ctx, in.Owner, in.Repo, in.IssueNumber,
				&gogithub.IssueComment{Body: gogithub.String(in.Body)}))
		})
}

func searchIssuesSchema(queryDesc string) *jsonschema.Schema {
	o := owner()
	o.Description = "Optional owner: limits the search to this user's or organization's repositories, or with repo to that repository."
	r := repo()
	r.Description = "Optional repository name; with owner, limits the search to that repository."
	return object(required("query"), pageProps(map[string]*jsonschema.Schema{
		"query": nonEmpty(queryDesc, maxQueryLen),
		"sort":  enum("Sort field (default: best match).", issueSorts...),
		"order": enum("Sort order.", "asc", "desc"),
		"owner": o,
		"repo":  r,
	}))
}

func searchIssues(ctx context.Context, d *deps, in *searchIssuesArgs, kind string) (any, error) {
	so, err := in.options(issueSorts...)
	if err != nil {
		return nil, err
	}
	q := in.Query
	switch {
	case in.Owner != "" && in.Repo != "":
		ra := repoArgs{Owner: in.Owner, Repo: in.Repo}
		if err := ra.check(); err != nil {
			return nil, err
		}
		q = "repo:" + in.Owner + "/" + in.Repo + " " + q
	case in.Owner != "":
		if !ownerRE.MatchString(in.Owner) {
			return nil, badArg("owner", "must be a GitHub login: 1-39 letters, digits or inner hyphens")
		}
		q = "user:" + in.Owner + " " + q
	case in.Repo != "":
		return nil, badArg("owner", "is required when repo is given")
	}
	if !strings.Contains(q, kind) {
		q = kind + " " + q
	}
	if len(q) > maxQueryLen {
		return nil, badArg("query", "is too long once qualifiers are added (max %d bytes)", maxQueryLen)
	}
	return nil2(d.gh.REST().Search.Issues(ctx, q, so))
}

func issueWrite(ctx context.Context, d *deps, in *issueWriteArgs) (any, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if err := checkText("title", in.Title, maxTitleLen, in.Method == "create"); err != nil {
		return nil, err
	}
	if in.Body != nil {
		if err := checkText("body", *in.Body, maxBodyLen, false); err != nil {
			return nil, err
		}
	}
	if err := checkLogins("assignees", in.Assignees); err != nil {
		return nil, err
	}
	if err := checkLabels("labels", in.Labels); err != nil {
		return nil, err
	}
	if err := checkEnum("state", in.State, "open", "closed"); err != nil {
		return nil, err
	}
	if err := checkEnum("state_reason", in.StateReason, "completed", "not_planned", "reopened"); err != nil {
		return nil, err
	}
	if in.Milestone < 0 {
		return nil, badArg("milestone", "must be a positive number")
	}
	req := &gogithub.IssueRequest{Body: in.Body}
	if in.Title != "" {
		req.Title = gogithub.String(in.Title)
	}
	if in.Assignees != nil {
		req.Assignees = &in.Assignees
	}
	if in.Labels != nil {
		req.Labels = &in.Labels
	}
	if in.Milestone > 0 {
		req.Milestone = gogithub.Int(in.Milestone)
	}
	if in.State != "" {
		req.State = gogithub.String(in.State)
	}
	if in.StateReason != "" {
		req.StateReason = gogithub.String(in.StateReason)
	}
	rest := d.gh.REST()
	switch in.Method {
	case "create":
		if in.IssueNumber != 0 {
			return nil, badArg("issue_number", "must not be set with method 'create'")
		}
		return nil2(rest.Issues.Create(ctx, in.Owner, in.Repo, req))
	case "update":
		if err := checkNumber("issue_number", in.IssueNumber); err != nil {
			return nil, badArg("issue_number", "is required with method 'update'")
		}
		return nil2(rest.Issues.Edit(ctx, in.Owner, in.Repo, in.IssueNumber, req))
	}
	return nil, badArg("method", "must be 'create' or 'update'")
}
