package httpx

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

const (
	// cacheVersioned is for a URL naming the file's content hash
	// (templates.StaticURL): that URL never serves other bytes.
	cacheVersioned = "public, max-age=31536000, immutable"
	// cacheUnversioned is for a bare URL (/static/pupil.css), whose bytes
	// change with an upgrade: an hour covers a workshop's PRE and POST on
	// a phone, and the ETag makes each later check a 304.
	cacheUnversioned = "public, max-age=3600"
)

// StaticFiles serves the embedded CSS and JavaScript with an ETag (embedded
// files have no modification time, so without it nothing would ever be a
// 304) and a cache lifetime that depends on whether the URL is versioned.
// hash is the content version templates put in the files' URLs (?v=).
func StaticFiles(fsys fs.FS, hash func([]byte) string) gin.HandlerFunc {
	hashes := map[string]string{}
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if data, err := fs.ReadFile(fsys, name); err == nil {
			hashes["/"+name] = hash(data)
		}
		return nil
	})
	files := http.FileServerFS(fsys)
	return func(c *gin.Context) {
		name := c.Param("file")
		if hash, ok := hashes[name]; ok {
			c.Header("ETag", `"`+hash+`"`)
			if c.Query("v") == hash {
				c.Header("Cache-Control", cacheVersioned)
			} else {
				c.Header("Cache-Control", cacheUnversioned)
			}
		}
		c.Request.URL.Path = name
		files.ServeHTTP(c.Writer, c.Request)
	}
}
