package v1alpha1

// GitHubSpec configures the connection to GitHub.
// +kubebuilder:validation:XValidation:rule="!has(self.tools) || !has(self.tools.allow) || !has(self.tools.deny) || !self.tools.allow.exists(t, t in self.tools.deny)",message="spec.github.tools: a tool must not be in both allow and deny"
type GitHubSpec struct {
	// host is the GitHub base URL: https://github.com (the default) or a
	// GitHub Enterprise Server URL. Only https is accepted, with no path,
	// query, user info or fragment.
	// +optional
	// +kubebuilder:default="https://github.com"
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^https://[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$`
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() == 'https'",message="spec.github.host must be an https URL with no path"
	Host string `json:"host,omitempty"`

	// auth is the GitHub credential: exactly one of token and app.
	// +required
	Auth GitHubAuth `json:"auth"`

	// toolsets are the toolsets the server enables. The default is context,
	// repos, issues, pull_requests and users.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:default={context,repos,issues,pull_requests,users}
	Toolsets []Toolset `json:"toolsets,omitempty"`

	// tools narrows the enabled toolsets to single tools.
	// +optional
	Tools *ToolFilter `json:"tools,omitempty"`

	// readOnly, true by default, disables every tool that writes to GitHub.
	// +optional
	// +kubebuilder:default=true
	ReadOnly *bool `json:"readOnly,omitempty"`
}

// Toolset is a named group of MCP tools.
// +kubebuilder:validation:Enum=context;repos;issues;pull_requests;users;actions;code_security
type Toolset string

// ToolName is the name of one MCP tool the server offers, e.g. issue_read.
// The enum is the server's tool list (podcontract.ToolNames): a typo is
// rejected at admission instead of crash-looping the pod, whose server
// refuses unknown names. A test keeps the two lists equal.
// +kubebuilder:validation:Enum=add_issue_comment;create_branch;create_or_update_file;create_pull_request;get_code_scanning_alert;get_commit;get_file_contents;get_job_logs;get_latest_release;get_me;get_workflow_run;issue_read;issue_write;list_branches;list_code_scanning_alerts;list_commits;list_issues;list_pull_requests;list_releases;list_tags;list_workflow_runs;list_workflows;merge_pull_request;pull_request_read;search_code;search_issues;search_pull_requests;search_repositories;search_users
type ToolName string

// ToolFilter allows or denies single tools.
type ToolFilter struct {
	// allow, when set, keeps only these tools of the enabled toolsets.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=256
	Allow []ToolName `json:"allow,omitempty"`

	// deny removes these tools; it wins over allow.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=256
	Deny []ToolName `json:"deny,omitempty"`
}

// GitHubAuth is the GitHub credential. Exactly one field is set.
// +kubebuilder:validation:XValidation:rule="[has(self.token), has(self.app)].exists_one(x, x)",message="spec.github.auth must set exactly one of token and app"
type GitHubAuth struct {
	// token authenticates with a personal access token read from a Secret.
	// +optional
	Token *TokenAuth `json:"token,omitempty"`

	// app authenticates as a GitHub App installation.
	// +optional
	App *AppAuth `json:"app,omitempty"`
}

// TokenAuth is a personal access token in a Secret.
type TokenAuth struct {
	// secretRef is the Secret key holding the token. It is mounted into the
	// pod as a read-only file, never passed as an environment variable.
	// +required
	SecretRef SecretKeyRef `json:"secretRef"`
}

// AppAuth is a GitHub App installation.
type AppAuth struct {
	// appID is the GitHub App's numeric ID.
	// +required
	// +kubebuilder:validation:Minimum=1
	AppID int64 `json:"appID"`

	// installationID is the numeric ID of the App's installation.
	// +required
	// +kubebuilder:validation:Minimum=1
	InstallationID int64 `json:"installationID"`

	// privateKeySecretRef is the Secret key holding the App's PEM private
	// key. It is mounted into the pod as a read-only file.
	// +required
	PrivateKeySecretRef SecretKeyRef `json:"privateKeySecretRef"`
}

// SecretKeyRef names one key of a Secret in the CR's namespace.
type SecretKeyRef struct {
	// name is the Secret's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`

	// key is the key inside the Secret's data: letters, digits, '-', '_'
	// and '.', not '.' or '..' and no path separators.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	// +kubebuilder:validation:XValidation:rule="self != '.' && !self.startsWith('..')",message="a Secret key must not be '.' or start with '..'"
	Key string `json:"key"`
}
