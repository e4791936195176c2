package tools

import (
	"context"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/google/jsonschema-go/jsonschema"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// maxDiffBytes bounds a pull request diff returned to the model.
const maxDiffBytes = 256 << 10

type pullReadArgs struct {
	repoArgs
	pageArgs
	Method     string `json:"method"`
	PullNumber int    `json:"pullNumber"`
}

type listPullsArgs struct {
	repoArgs
	pageArgs
	State     string `json:"state"`
	Head      string `json:"head"`
	Base      string `json:"base"`
	Sort      string `json:"sort"`
	Direction string `json:"direction"`
}

type createPullArgs struct {
	repoArgs
	Title               string `json:"title"`
	Body                string `json:"body"`
	Head                string `json:"head"`
	Base                string `json:"base"`
	Draft               bool   `json:"draft"`
	MaintainerCanModify *bool  `json:"maintainer_can_modify"`
}

type mergePullArgs struct {
	repoArgs
	PullNumber    int    `json:"pullNumber"`
	CommitTitle   string `json:"commit_title"`
	CommitMessage string `json:"commit_message"`
	MergeMethod   string `json:"merge_method"`
}

func init() {
	define(ToolInfo{Name: "pull_request_read", Toolset: pc.ToolsetPullRequests, ReadOnly: true}, "Get details for a single pull request",
		"Read one pull request: method 'get' (details), 'get_diff' (unified diff, at most 256 KiB), 'get_files' (changed files) or 'get_reviews' (reviews)."+untrustedNote,
		object(required("owner", "repo", "pullNumber", "method"), pageProps(repoProps(map[string]*jsonschema.Schema{
			"method":     enum("What to read: get, get_diff, get_files or get_reviews.", "get", "get_diff", "get_files", "get_reviews"),
			"pullNumber": number("Pull request number."),
		}))),
		func(ctx context.Context, d *deps, in *pullReadArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			if err := checkNumber("pullNumber", in.PullNumber); err != nil {
				return nil, err
			}
			rest := d.gh.REST()
			switch in.Method {
			case "get":
				return nil2(rest.PullRequests.Get(ctx, in.Owner, in.Repo, in.PullNumber))
			case "get_diff":
				diff, _, err := rest.PullRequests.GetRaw(ctx, in.Owner, in.Repo, in.PullNumber, gogithub.RawOptions{Type: gogithub.Diff})
				if err != nil {
					return nil, err
				}
				if len(diff) > maxDiffBytes {
					diff = diff[:maxDiffBytes] + "\n[diff truncated at 256 KiB]\n"
				}
				return Sanitize(diff), nil
			case "get_files":
				return nil2(rest.PullRequests.ListFiles(ctx, in.Owner, in.Repo, in.PullNumber, &lo))
			case "get_reviews":
				return nil2(rest.PullRequests.ListReviews(ctx, in.Owner, in.Repo, in.PullNumber, &lo))
			}
			return nil, badArg("method", "must be one of get, get_diff, get_files, get_reviews")
		})

	define(ToolInfo{Name: "list_pull_requests", Toolset: pc.ToolsetPullRequests, ReadOnly: true}, "List pull requests",
		"List pull requests in a GitHub repository."+untrustedNote,
		object(required("owner", "repo"), pageProps(repoProps(map[string]*jsonschema.Schema{
			"state":     enum("Filter by state (default: open).", "open", "closed", "all"),
			"head":      str("Filter by head user/org and branch, as 'user:ref-name'.", maxOwnerLen+1+maxRefLen),
			"base":      ref("Filter by base branch."),
			"sort":      enum("Sort by.", "created", "updated", "popularity", "long-running"),
			"direction": enum("Sort direction.", "asc", "desc"),
		}))),
		func(ctx context.Context, d *deps, in *listPullsArgs) (any, error) {
			lo, err := checkRepoPage(&in.repoArgs, &in.pageArgs)
			if err != nil {
				return nil, err
			}
			if err := checkEnum("state", in.State, "open", "closed", "all"); err != nil {
				return nil, err
			}
			if err := checkEnum("sort", in.Sort, "created", "updated", "popularity", "long-running"); err != nil {
				return nil, err
			}
			if err := checkEnum("direction", in.Direction, "asc", "desc"); err != nil {
				return nil, err
			}
			if err := checkText("head", in.Head, maxOwnerLen+1+maxRefLen, false); err != nil {
				return nil, err
			}
			if err := checkRef("base", in.Base, false); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().PullRequests.List(ctx, in.Owner, in.Repo, &gogithub.PullRequestListOptions{
				State: in.State, Head: in.Head, Base: in.Base, Sort: in.Sort, Direction: in.Direction, ListOptions: lo,
			}))
		})

	define(ToolInfo{Name: "search_pull_requests", Toolset: pc.ToolsetPullRequests, ReadOnly: true}, "Search pull requests",
		"Search pull requests with GitHub's issue search syntax ('is:pr' is added)."+untrustedNote,
		searchIssuesSchema("Search query using GitHub pull request search syntax."),
		func(ctx context.Context, d *deps, in *searchIssuesArgs) (any, error) {
			return searchIssues(ctx, d, in, "is:pr")
		})

	define(ToolInfo{Name: "create_pull_request", Toolset: pc.ToolsetPullRequests}, "Open new pull request",
		"Open a pull request from head into base.",
		object(required("owner", "repo", "title", "head", "base"), repoProps(map[string]*jsonschema.Schema{
			"title":                 nonEmpty("PR title.", maxTitleLen),
			"body":                  str("PR description (Markdown).", maxBodyLen),
			"head":                  nonEmpty("Branch containing the changes ('branch' or 'user:branch').", maxOwnerLen+1+maxRefLen),
			"base":                  nonEmpty("Branch to merge into.", maxRefLen),
			"draft":                 boolean("Create as a draft."),
			"maintainer_can_modify": boolean("Allow maintainer edits."),
		})),
		func(ctx context.Context, d *deps, in *createPullArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkText("title", in.Title, maxTitleLen, true); err != nil {
				return nil, err
			}
			if err := checkText("body", in.Body, maxBodyLen, false); err != nil {
				return nil, err
			}
			if err := checkText("head", in.Head, maxOwnerLen+1+maxRefLen, true); err != nil {
				return nil, err
			}
			if err := checkRef("base", in.Base, true); err != nil {
				return nil, err
			}
			np := &gogithub.NewPullRequest{Title: gogithub.String(in.Title), Head: gogithub.String(in.Head),
				Base: gogithub.String(in.Base), Draft: gogithub.Bool(in.Draft), MaintainerCanModify: in.MaintainerCanModify}
			if in.Body != "" {
				np.Body = gogithub.String(in.Body)
			}
			return nil2(d.gh.REST().PullRequests.Create(ctx, in.Owner, in.Repo, np))
		})

	define(ToolInfo{Name: "merge_pull_request", Toolset: pc.ToolsetPullRequests, Destructive: true}, "Merge pull request",
		"Merge a pull request into its base branch.",
		object(required("owner", "repo", "pullNumber"), repoProps(map[string]*jsonschema.Schema{
			"pullNumber":     number("Pull request number."),
			"commit_title":   str("Title for the merge commit.", maxTitleLen),
			"commit_message": str("Extra detail for the merge commit.", maxBodyLen),
			"merge_method":   enum("Merge method (default: merge).", "merge", "squash", "rebase"),
		})),
		func(ctx context.Context, d *deps, in *mergePullArgs) (any, error) {
			if err := in.check(); err != nil {
				return nil, err
			}
			if err := checkNumber("pullNumber", in.PullNumber); err != nil {
				return nil, err
			}
			if err := checkText("commit_title", in.CommitTitle, maxTitleLen, false); err != nil {
				return nil, err
			}
			if err := checkText("commit_message", in.CommitMessage, maxBodyLen, false); err != nil {
				return nil, err
			}
			if err := checkEnum("merge_method", in.MergeMethod, "merge", "squash", "rebase"); err != nil {
				return nil, err
			}
			return nil2(d.gh.REST().PullRequests.Merge(ctx, in.Owner, in.Repo, in.PullNumber, in.CommitMessage,
				&gogithub.PullRequestOptions{CommitTitle: in.CommitTitle, MergeMethod: in.MergeMethod}))
		})
}
