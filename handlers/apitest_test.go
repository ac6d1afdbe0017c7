package handlers_test

import (
	"declic/handlers/apitest"
	"testing"
)

// The shapes and fixture both HTTP test layers read (handlers/apitest).
type (
	apiErrorBody = apitest.ErrorBody
	workshopOut  = apitest.Workshop
	resultsOut   = apitest.Results
	itemOut      = apitest.Item
	summaryOut   = apitest.Summary
)

// submission is a local type, so that tests may write it unkeyed.
type submission apitest.Submission

const impactDefinition = apitest.ImpactDefinition

func validPre() map[string]any { return apitest.ValidPre() }

// codedSubmission is local too, as submission is.
type codedSubmission apitest.CodedSubmission

const measureDefinition = apitest.MeasureDefinition

func code(mere string, jour, mois int, lettre2 string) map[string]any {
	return apitest.Code(mere, jour, mois, lettre2)
}

func measureAnswers(phase string, l ...int) map[string]any {
	return apitest.MeasureAnswers(phase, l...)
}

func mustDecodeError(t testing.TB, data []byte) apiErrorBody { return apitest.MustDecodeError(t, data) }
