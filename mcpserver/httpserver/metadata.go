package httpserver

import (
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// metadataHandler serves the RFC 9728 protected-resource metadata. resource
// is exactly the public URL: clients compare it byte for byte with the URL
// they connected to, and OIDC tokens must carry it as their audience.
func metadataHandler(resource string, authServers []string) http.Handler {
	return auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
		Resource:               resource,
		AuthorizationServers:   authServers,
		BearerMethodsSupported: []string{"header"},
		ResourceName:           "GitHub MCP server",
	})
}
