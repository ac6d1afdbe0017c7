package fr

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{3.4, 1, "3,4"},
		{3.44, 1, "3,4"},
		{3.46, 1, "3,5"},
		{7.25, 1, "7,3"},
		{-7.25, 1, "−7,3"},
		{2.675, 2, "2,68"}, // stored as 2.67499999…, read as 2.675
		{1.005, 2, "1,01"},
		{0.125, 2, "0,13"},
		{0.375 * 100, 0, "38"},
		{0.5, 0, "1"},
		{1.5, 0, "2"},
		{2.5, 0, "3"},
		{-2.5, 0, "−3"},
		{9.96, 1, "10,0"},
		{999.5, 0, "1\u00a0000"},
		{3, 1, "3,0"},
		{3, 0, "3"},
		{0.5, 2, "0,50"},
		{-1.25, 2, "−1,25"},
		{-0.04, 1, "0,0"},
		{-0.4, 0, "0"},
		{math.Copysign(0, -1), 1, "0,0"},
		{-0.06, 1, "−0,1"},
		{1234.5, 1, "1\u00a0234,5"},
		{-1234567, 0, "−1\u00a0234\u00a0567"},
		{999, 0, "999"},
		{12, -3, "12"},
		{1e-7, 2, "0,00"},
		{1e21, 0, "1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000"},
		{math.NaN(), 1, "—"},
		{math.Inf(1), 1, "—"},
		{math.Inf(-1), 1, "—"},
	} {
		if got := Number(tt.v, tt.decimals); got != tt.want {
			t.Errorf("Number(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
		}
	}
}

func TestSignedShortPercentP(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Signed(0.25, 1), "+0,3"},
		{Signed(-0.25, 1), "−0,3"},
		{Signed(0.04, 1), "0,0"},
		{Signed(-0.04, 1), "0,0"},
		{Signed(0, 2), "0,00"},
		{Short(2.5, 2), "2,5"},
		{Short(5, 2), "5"},
		{Short(-0.125, 2), "−0,13"},
		{Percent(0.625), "63\u00a0%"},
		{Percent(0.385), "39\u00a0%"},
		{PercentOf(1, 3), "33\u00a0%"},
		{PercentOf(1, 0), "—"},
		{PercentPtr(nil), "—"},
		{NumberPtr(nil, 1), "—"},
		{P(0.0004), "<\u00a00,001"},
		{P(0.0045), "0,005"},
		{P(0.045), "0,045"},
		{P(0.0497), "0,0497"},
		{P(0.04996), "0,04996"},
		{P(0.0504), "0,05"},
		{P(0.044), "0,04"},
		{P(0.5), "0,50"},
		{PText(0.03), "p\u00a0=\u00a00,03"},
		{PText(0.0001), "p\u00a0<\u00a00,001"},
		{Decimal(-0.33333333), "-0,3333"},
		{Decimal(2.5), "2,5"},
		{Decimal(7.00005), "7,0001"},
		{Decimal(-0.00004), "0"},
		{Decimal(1234.5), "1234,5"},
		{Decimal(math.NaN()), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Date("2026-09-01"), "1er septembre 2026"},
		{Date("2026-03-12"), "12 mars 2026"},
		{Date("bientôt"), "bientôt"},
		{Period("2025-09-01", "2026-06-30"), "du 1er septembre 2025 au 30 juin 2026"},
		{Period("2025-09-01", ""), "depuis le 1er septembre 2025"},
		{Period("", "2026-06-30"), "jusqu'au 30 juin 2026"},
		{Period("2026-03-12", "2026-03-12"), "le 12 mars 2026"},
		{Period("", ""), ""},
		{Month(8), "août"},
		{Month(13), ""},
		{Count(1, "jeune", "jeunes"), "1 jeune"},
		{PluralOf(1.94, 1, "point", "points"), "point"},
		{PluralOf(-1.96, 1, "point", "points"), "points"},
		{PluralOf(1.994, 2, "point", "points"), "point"},
		{Count(0, "atelier", "ateliers"), "0 atelier"},
		{Count(1200, "jeune", "jeunes"), "1\u00a0200 jeunes"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestPunctuate(t *testing.T) {
	got := Punctuate("105 jeunes ; 71 ont répondu : « oui » ? non !")
	want := "105 jeunes\u00a0; 71 ont répondu\u00a0: «\u00a0oui\u00a0»\u00a0? non\u00a0!"
	if got != want {
		t.Errorf("Punctuate = %q, want %q", got, want)
	}
	if Punctuate("déjà\u00a0: rien") != "déjà\u00a0: rien" {
		t.Error("Punctuate changed a no-break space")
	}
}
