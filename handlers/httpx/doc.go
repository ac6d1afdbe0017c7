// Package httpx is Déclic's HTTP plumbing, kept apart from what Déclic
// does: compression, security headers, body limits, static files, login
// throttling and who the client is. It knows nothing of the domain.
package httpx
