package githubfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v62/github"
)

const repoPath = "/repos/{owner}/{repo}"

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		u := user(Login, 1)
		u.Bio = gh.String("I like <script>x()</script>octocats" + ZeroWidth)
		serveJSON(w, r, u)
	})
	mux.HandleFunc("GET /rate_limit", func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, map[string]any{"resources": map[string]any{
			"core":   map[string]int{"limit": 5000, "remaining": 4999, "reset": 1893456000, "used": 1},
			"search": map[string]int{"limit": 30, "remaining": 30, "reset": 1893456000, "used": 0},
		}})
	})
	s.repoRoutes(mux)
	s.issueRoutes(mux)
	s.pullRoutes(mux)
	s.searchRoutes(mux)
	s.actionsRoutes(mux)
	mux.HandleFunc("GET "+repoPath+"/code-scanning/alerts", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.Alert{alert(42), alert(43)})
	}))
	mux.HandleFunc("GET "+repoPath+"/code-scanning/alerts/{n}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if n, err := strconv.Atoi(r.PathValue("n")); err == nil && (n == 42 || n == 43) {
			serveJSON(w, r, alert(n))
			return
		}
		notFound(w)
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
}

// inRepo answers 404 for any repository but the fixture.
func (s *Server) inRepo(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.PathValue("owner"), Owner) || !strings.EqualFold(r.PathValue("repo"), Repo) {
			notFound(w)
			return
		}
		h(w, r)
	}
}

func decode(r *http.Request, v any) error {
	return json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v)
}

func (s *Server) repoRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+repoPath, s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, repository())
	}))
	mux.HandleFunc("GET "+repoPath+"/contents/{path...}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		p := strings.Trim(r.PathValue("path"), "/")
		if _, ok := files[p]; ok {
			serveJSON(w, r, fileContent(p))
			return
		}
		if l := dirListing(p); len(l) > 0 {
			serveJSON(w, r, l)
			return
		}
		notFound(w)
	}))
	mux.HandleFunc("PUT "+repoPath+"/contents/{path...}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Message, Content, Branch, SHA string
		}
		if err := decode(r, &body); err != nil || body.Message == "" {
			unprocessable(w, "Invalid request.")
			return
		}
		raw, err := base64.StdEncoding.DecodeString(body.Content)
		if err != nil {
			unprocessable(w, "content is not valid Base64")
			return
		}
		p := r.PathValue("path")
		if _, exists := files[p]; exists && body.SHA != fileSHA(p) {
			writeJSON(w, http.StatusConflict, map[string]string{"message": p + " does not match " + body.SHA})
			return
		}
		s.countWrite("file")
		writeJSON(w, http.StatusCreated, &gh.RepositoryContentResponse{
			Content: &gh.RepositoryContent{Name: gh.String(p), Path: gh.String(p), Size: gh.Int(len(raw)),
				SHA: gh.String(fmt.Sprintf("%040x", len(raw)+1))},
			Commit: gh.Commit{SHA: gh.String(strings.Repeat("c", 40)), Message: gh.String(body.Message)},
		})
	}))
	mux.HandleFunc("GET "+repoPath+"/branches", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.Branch{
			{Name: gh.String("main"), Protected: gh.Bool(true), Commit: &gh.RepositoryCommit{SHA: gh.String(headSHA)}},
			{Name: gh.String("feature"), Protected: gh.Bool(false), Commit: &gh.RepositoryCommit{SHA: gh.String(headSHA)}},
		})
	}))
	mux.HandleFunc("GET "+repoPath+"/commits", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.RepositoryCommit{commit(headSHA, "Fix all the bugs"), commit(strings.Repeat("b", 40), "Initial commit")})
	}))
	mux.HandleFunc("GET "+repoPath+"/commits/{sha}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, commit(r.PathValue("sha"), "Fix all the bugs<!-- "+InjectedText+" -->"))
	}))
	mux.HandleFunc("GET "+repoPath+"/releases", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.RepositoryRelease{release("v1.1.0", 2), release("v1.0.0", 1)})
	}))
	mux.HandleFunc("GET "+repoPath+"/releases/latest", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, release("v1.1.0", 2))
	}))
	mux.HandleFunc("GET "+repoPath+"/tags", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.RepositoryTag{
			{Name: gh.String("v1.1.0"), Commit: &gh.Commit{SHA: gh.String(headSHA)}},
			{Name: gh.String("v1.0.0"), Commit: &gh.Commit{SHA: gh.String(strings.Repeat("b", 40))}},
		})
	}))
	mux.HandleFunc("GET "+repoPath+"/git/ref/{ref...}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		if ref != "heads/main" && ref != "heads/feature" {
			notFound(w)
			return
		}
		serveJSON(w, r, &gh.Reference{Ref: gh.String("refs/" + ref),
			Object: &gh.GitObject{Type: gh.String("commit"), SHA: gh.String(headSHA)}})
	}))
	mux.HandleFunc("POST "+repoPath+"/git/refs", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Ref, SHA string }
		if err := decode(r, &body); err != nil || !strings.HasPrefix(body.Ref, "refs/heads/") || len(body.SHA) != 40 {
			unprocessable(w, "Reference update failed")
			return
		}
		if body.Ref == "refs/heads/main" || body.Ref == "refs/heads/feature" {
			unprocessable(w, "Reference already exists")
			return
		}
		s.countWrite("ref")
		writeJSON(w, http.StatusCreated, &gh.Reference{Ref: gh.String(body.Ref),
			Object: &gh.GitObject{Type: gh.String("commit"), SHA: gh.String(body.SHA)}})
	}))
}

func (s *Server) issueRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+repoPath+"/issues", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.Issue{issue(1), issue(3)})
	}))
	mux.HandleFunc("GET "+repoPath+"/issues/{n}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") != "1" && r.PathValue("n") != "3" {
			notFound(w)
			return
		}
		n, _ := strconv.Atoi(r.PathValue("n"))
		serveJSON(w, r, issue(n))
	}))
	mux.HandleFunc("GET "+repoPath+"/issues/{n}/comments", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.IssueComment{comment(11, "Me too<!-- "+InjectedText+" -->")})
	}))
	mux.HandleFunc("GET "+repoPath+"/issues/{n}/labels", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, issue(1).Labels)
	}))
	mux.HandleFunc("POST "+repoPath+"/issues", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		var req gh.IssueRequest
		if err := decode(r, &req); err != nil || req.GetTitle() == "" {
			unprocessable(w, "Validation Failed: title is missing")
			return
		}
		n := s.countWrite("issue")
		is := issue(n)
		is.Title, is.Body = req.Title, req.Body
		writeJSON(w, http.StatusCreated, is)
	}))
	mux.HandleFunc("PATCH "+repoPath+"/issues/{n}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		var req gh.IssueRequest
		if err != nil || n != 1 && n != 3 {
			notFound(w)
			return
		}
		if err := decode(r, &req); err != nil {
			unprocessable(w, "Problems parsing JSON")
			return
		}
		s.countWrite("issue_update")
		is := issue(n)
		if req.Title != nil {
			is.Title = req.Title
		}
		if req.State != nil {
			is.State = req.State
		}
		writeJSON(w, http.StatusOK, is)
	}))
	mux.HandleFunc("POST "+repoPath+"/issues/{n}/comments", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		var c gh.IssueComment
		if err := decode(r, &c); err != nil || c.GetBody() == "" {
			unprocessable(w, "Validation Failed: body is missing")
			return
		}
		id := s.countWrite("comment")
		writeJSON(w, http.StatusCreated, comment(int64(id), c.GetBody()))
	}))
}

func (s *Server) pullRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+repoPath+"/pulls", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.PullRequest{pull(2)})
	}))
	mux.HandleFunc("GET "+repoPath+"/pulls/{n}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") != "2" {
			notFound(w)
			return
		}
		if strings.Contains(r.Header.Get("Accept"), "diff") {
			serveBytes(w, r, "text/plain; charset=utf-8", []byte(pullDiff))
			return
		}
		serveJSON(w, r, pull(2))
	}))
	mux.HandleFunc("GET "+repoPath+"/pulls/{n}/files", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.CommitFile{{Filename: gh.String("src/main.go"), Status: gh.String("modified"),
			Additions: gh.Int(1), Deletions: gh.Int(1), Changes: gh.Int(2), Patch: gh.String("@@ -1 +1 @@\n-old\n+new")}})
	}))
	mux.HandleFunc("GET "+repoPath+"/pulls/{n}/reviews", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, []*gh.PullRequestReview{{ID: gh.Int64(80), User: user("hubot", 2), State: gh.String("APPROVED"),
			Body: gh.String("LGTM<!-- " + InjectedText + " -->"), SubmittedAt: &fixedTime, CommitID: gh.String(headSHA)}})
	}))
	mux.HandleFunc("POST "+repoPath+"/pulls", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		var req gh.NewPullRequest
		if err := decode(r, &req); err != nil || req.GetTitle() == "" || req.GetHead() == "" || req.GetBase() == "" {
			unprocessable(w, "Validation Failed")
			return
		}
		n := s.countWrite("pull")
		p := pull(n)
		p.Title, p.Body, p.Draft = req.Title, req.Body, req.Draft
		writeJSON(w, http.StatusCreated, p)
	}))
	mux.HandleFunc("PUT "+repoPath+"/pulls/{n}/merge", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") != "2" {
			notFound(w)
			return
		}
		var req struct {
			MergeMethod string `json:"merge_method"`
		}
		_ = decode(r, &req)
		if m := req.MergeMethod; m != "" && m != "merge" && m != "squash" && m != "rebase" {
			unprocessable(w, "merge_method is invalid")
			return
		}
		s.countWrite("merge")
		writeJSON(w, http.StatusOK, &gh.PullRequestMergeResult{SHA: gh.String(strings.Repeat("d", 40)),
			Merged: gh.Bool(true), Message: gh.String("Pull Request successfully merged")})
	}))
}

func (s *Server) searchRoutes(mux *http.ServeMux) {
	needQ := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("q") == "" {
				unprocessable(w, "Validation Failed: q is missing")
				return
			}
			w.Header().Set("X-RateLimit-Resource", "search")
			h(w, r)
		}
	}
	mux.HandleFunc("GET /search/repositories", needQ(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, &gh.RepositoriesSearchResult{Total: gh.Int(1), IncompleteResults: gh.Bool(false),
			Repositories: []*gh.Repository{repository()}})
	}))
	mux.HandleFunc("GET /search/code", needQ(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, &gh.CodeSearchResult{Total: gh.Int(1), IncompleteResults: gh.Bool(false),
			CodeResults: []*gh.CodeResult{{Name: gh.String("main.go"), Path: gh.String("src/main.go"),
				SHA: gh.String(fileSHA("src/main.go")), Repository: repository()}}})
	}))
	mux.HandleFunc("GET /search/issues", needQ(func(w http.ResponseWriter, r *http.Request) {
		it := issue(1)
		if strings.Contains(r.URL.Query().Get("q"), "is:pr") {
			it = issue(2)
			it.PullRequestLinks = &gh.PullRequestLinks{URL: gh.String("https://api.github.com/repos/octo-org/hello-world/pulls/2")}
		}
		serveJSON(w, r, &gh.IssuesSearchResult{Total: gh.Int(1), IncompleteResults: gh.Bool(false), Issues: []*gh.Issue{it}})
	}))
	mux.HandleFunc("GET /search/users", needQ(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, &gh.UsersSearchResult{Total: gh.Int(1), IncompleteResults: gh.Bool(false), Users: []*gh.User{user(Login, 1)}})
	}))
}

func (s *Server) actionsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+repoPath+"/actions/workflows", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, &gh.Workflows{TotalCount: gh.Int(1), Workflows: []*gh.Workflow{workflow()}})
	}))
	runs := s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, r, &gh.WorkflowRuns{TotalCount: gh.Int(1), WorkflowRuns: []*gh.WorkflowRun{workflowRun()}})
	})
	mux.HandleFunc("GET "+repoPath+"/actions/runs", runs)
	mux.HandleFunc("GET "+repoPath+"/actions/workflows/{id}/runs", runs)
	mux.HandleFunc("GET "+repoPath+"/actions/runs/{id}", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != strconv.Itoa(RunID) {
			notFound(w)
			return
		}
		serveJSON(w, r, workflowRun())
	}))
	mux.HandleFunc("GET "+repoPath+"/actions/jobs/{id}/logs", s.inRepo(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != strconv.Itoa(JobID) {
			notFound(w)
			return
		}
		// GitHub redirects to a short-lived signed URL on blob storage.
		http.Redirect(w, r, s.URL+"/_blob/logs/"+r.PathValue("id")+"?sig=fake-signature", http.StatusFound)
	}))
	mux.HandleFunc("GET /_blob/logs/{id}", func(w http.ResponseWriter, r *http.Request) {
		// Blob storage must never see the GitHub credential.
		if r.Header.Get("Authorization") != "" {
			http.Error(w, "credential sent to blob storage", http.StatusBadRequest)
			return
		}
		if r.URL.Query().Get("sig") != "fake-signature" {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, jobLog())
	})
}
