package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type submissionRequest struct {
	SubmissionID string          `json:"submission_id"`
	Code         json.RawMessage `json:"code"`
	Participant  string          `json:"participant"`
	Device       string          `json:"device"`
	Phase        string          `json:"phase"`
	Answers      map[string]any  `json:"answers"`
}

// apiSubmit stores an answer. A store that is down or too slow gets a 503
// with Retry-After, never a 500: the client resends the same submission_id.
func (s *server) apiSubmit(c *gin.Context) {
	defer withStoreTimeout(c)()
	w, err := s.Store.WorkshopByCode(c.Request.Context(), c.Param("code"))
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		if lerr := s.limitAnswer(c, nil); lerr != nil {
			err = lerr
		}
	}
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if err := s.limitAnswer(c, w); err != nil {
		s.apiFail(c, err)
		return
	}
	var req submissionRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	phase, err := surveys.ParsePhase(req.Phase)
	if err != nil || phase == surveys.PhaseClosed {
		s.apiFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "Phase invalide.", Fields: map[string]string{"phase": "pre ou post"}})
		return
	}
	who, bad := s.submitter(w.ID, req)
	if len(bad) > 0 {
		s.apiFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "Le code du ou de la participant·e n'est pas valide.", Fields: bad})
		return
	}
	q, err := s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	r, created, err := s.record(c.Request.Context(), w, phase, req.SubmissionID, who, "", nil,
		func() (surveys.Answers, error) { return q.CheckAnswers(phase, req.Answers) })
	if err != nil {
		s.apiFail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, gin.H{"id": r.ID})
}

// submitter reads who answers: the self-generated code, or an opaque
// participant, and the optional device. Problems are keyed "code.mere",
// "participant", "device"…
func (s *server) submitter(workshopID string, req submissionRequest) (surveys.Pseudonym, map[string]string) {
	bad := map[string]string{}
	if msg := surveys.CheckOpaque(req.Device); msg != "" {
		bad["device"] = msg
	}
	hasCode := len(bytes.TrimSpace(req.Code)) > 0 && string(bytes.TrimSpace(req.Code)) != "null"
	switch {
	case hasCode && req.Participant != "":
		bad["participant"] = "envoyez « code » ou « participant », pas les deux"
	case hasCode:
		code, f := decodeCode(req.Code)
		for k, v := range f {
			bad[k] = v
		}
		if len(bad) == 0 {
			return s.Pseudo.OfCode(workshopID, code, req.Device), nil
		}
	case req.Participant != "":
		if msg := surveys.CheckOpaque(req.Participant); msg != "" {
			bad["participant"] = msg
		} else if len(bad) == 0 {
			return s.Pseudo.OfParticipant(workshopID, req.Participant, req.Device), nil
		}
	default:
		bad["code"] = "code obligatoire : {\"mere\": lettre, \"jour\": 1 à 31, \"mois\": 1 à 12, \"lettre2\": lettre}"
	}
	return surveys.Pseudonym{}, bad
}

// decodeCode reads the code object strictly, naming each bad element.
func decodeCode(raw json.RawMessage) (surveys.Code, map[string]string) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return surveys.Code{}, map[string]string{"code": "un objet est attendu : {\"mere\", \"jour\", \"mois\", \"lettre2\"}"}
	}
	bad := map[string]string{}
	for k := range m {
		if k != "mere" && k != "jour" && k != "mois" && k != "lettre2" {
			bad["code"] = "élément inconnu « " + truncate(k, 20) + " » (mere, jour, mois, lettre2)"
		}
	}
	var c surveys.Code
	str := func(k string) string {
		s, ok := m[k].(string)
		if !ok && m[k] != nil {
			bad["code."+k] = "une lettre est attendue"
		}
		return s
	}
	num := func(k string) int {
		n, ok := m[k].(json.Number)
		if !ok {
			if m[k] != nil {
				bad["code."+k] = "un nombre entier est attendu"
			}
			return 0
		}
		i, err := n.Int64()
		if err != nil || i < -1000 || i > 1000 {
			return 0
		}
		return int(i)
	}
	c.Mere, c.Jour, c.Mois, c.Lettre2 = str("mere"), num("jour"), num("mois"), str("lettre2")
	for k, v := range c.Check() {
		if bad[k] == "" {
			bad[k] = v
		}
	}
	return c, bad
}

func truncate(s string, n int) string {
	if r := []rune(strings.ToValidUTF8(s, "")); len(r) > n {
		return string(r[:n]) + "…"
	}
	return strings.ToValidUTF8(s, "")
}
