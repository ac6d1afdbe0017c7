package handlers_test

import "declic/handlers/apitest"

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
