package surveys

import "time"

// Settings are what an admin sets for the whole organisation: its name
// and logo, on every report and chart caption.
type Settings struct {
	OrganisationName string
	// Logo is a PNG or SVG image, checked by CheckLogo; nil when none.
	Logo      []byte
	LogoType  string // "image/png" or "image/svg+xml"
	UpdatedAt time.Time
	UpdatedBy string // user ID
}
