package surveys

import (
	"strings"
	"testing"
)

func TestSignVerify(t *testing.T) {
	p := NewPseudonymizer([]byte(strings.Repeat("k", 32)))
	signed := p.Sign("shown", "1700000000")
	if got, ok := p.Verify("shown", signed); !ok || got != "1700000000" {
		t.Fatalf("Verify(Sign) = %q, %v; want the value, true", got, ok)
	}
	value, mark, _ := strings.Cut(signed, ".")
	other := NewPseudonymizer([]byte(strings.Repeat("x", 32)))
	for name, s := range map[string]string{
		"another value":   "1700000001." + mark,
		"another mark":    value + "." + strings.Repeat("0", len(mark)),
		"a shorter mark":  signed[:len(signed)-1],
		"no mark":         value,
		"empty":           "",
		"another key":     other.Sign("shown", value),
		"a dot too many":  value + ".x." + mark,
		"another purpose": p.Sign("kiosk", value),
	} {
		if got, ok := p.Verify("shown", s); ok {
			t.Errorf("%s: Verify(%q) = %q, true; want refused", name, s, got)
		}
	}
	// The marks are those Mark gives, so values signed before Sign existed
	// (kiosk cookies on tablets) still verify.
	if got, ok := p.Verify("kiosk", "abc."+p.Mark("kiosk", "abc")); !ok || got != "abc" {
		t.Errorf("a Mark-signed value: Verify = %q, %v; want abc, true", got, ok)
	}
}
