package handlers

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// The live page is updated by Server-Sent Events: the stream checks the
// workshop's version every liveTick and sends the page's questions again,
// rendered, when it changed. Streams end after liveStream (before the
// server's write timeout) and on shutdown; the browser reconnects by
// itself with the version it has, so nothing is sent twice. A proxy that
// holds the stream back is noticed by the page (no ping for a while),
// which then polls ?part=1 instead.
const (
	liveTick   = time.Second
	livePing   = 5 * time.Second
	liveStream = 45 * time.Second
)

// liveOf is the live view at w's version, computed once per version.
func (s *server) liveOf(ctx context.Context, w *surveys.Workshop, q *surveys.Questionnaire) (*liveView, error) {
	key := versionKey("live", nil, []string{w.ID}, []int64{w.Version})
	v, err := s.cache.get(key, func() (any, error) { return s.buildLive(context.WithoutCancel(ctx), w, q) })
	if err != nil {
		return nil, err
	}
	return v.(*liveView), nil
}

// livePage is the projector page (GET /app/workshops/{id}/live); with
// ?part=1, only its questions, for the page's polling fallback.
func (s *server) livePage(c *gin.Context) {
	w, q, err := s.workshopAndQuestionnaire(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	v, err := s.liveOf(c.Request.Context(), w, q)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	data := gin.H{"Workshop": w, "Live": v}
	if c.Query("part") == "" {
		s.render(c, http.StatusOK, "staff/live", data)
		return
	}
	etag := `"v` + strconv.FormatInt(w.Version, 10) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "no-cache")
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	var buf bytes.Buffer
	if err := s.Templates.RenderPart(&buf, "staff/live", "live-body", data); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// liveEvents streams the live page's questions as they change (GET
// /app/workshops/{id}/live/events): one "live" event per new version,
// its id the version, and a "ping" every livePing.
func (s *server) liveEvents(c *gin.Context) {
	w, q, err := s.workshopAndQuestionnaire(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	c.Status(http.StatusOK)
	ctx := c.Request.Context()
	sent, _ := strconv.ParseInt(c.GetHeader("Last-Event-ID"), 10, 64)
	write := func(event, id, data string) bool {
		var b strings.Builder
		b.WriteString("event: " + event + "\n")
		if id != "" {
			b.WriteString("id: " + id + "\n")
		}
		for _, line := range strings.Split(data, "\n") {
			b.WriteString("data: " + strings.TrimRight(line, "\r") + "\n")
		}
		b.WriteString("\n")
		if _, err := c.Writer.WriteString(b.String()); err != nil {
			return false
		}
		// Through gzhttp too: Flush ends the gzip block and sends it.
		c.Writer.Flush()
		return true
	}
	if _, err := c.Writer.WriteString("retry: 1000\n\n"); err != nil {
		return
	}
	tick, end := time.NewTicker(liveTick), time.NewTimer(liveStream)
	defer tick.Stop()
	defer end.Stop()
	lastWrite := time.Time{}
	for {
		now, err := s.Store.Workshop(ctx, w.ID)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			// The store is away for a moment: keep the page as it is.
			s.Logger.Warn("live page: workshop not read", "workshop", w.ID, "err", err)
		case now.Version != sent:
			v, err := s.liveOf(ctx, now, q)
			var buf bytes.Buffer
			if err == nil {
				err = s.Templates.RenderPart(&buf, "staff/live", "live-body", gin.H{"Workshop": now, "Live": v})
			}
			if err != nil {
				s.Logger.Error("live page: not computed", "workshop", w.ID, "err", err)
				break
			}
			if !write("live", strconv.FormatInt(now.Version, 10), buf.String()) {
				return
			}
			sent, lastWrite = now.Version, time.Now()
		}
		if time.Since(lastWrite) >= livePing {
			if !write("ping", "", "") {
				return
			}
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-s.Stopping:
			return
		case <-end.C:
			return
		case <-tick.C:
		}
	}
}

// liveText is one free-text answer on the moderation page.
type liveText struct {
	ResponseID string
	Phase      surveys.Phase
	Text       string
	// State: "" waiting, "shown" or "hidden".
	State string
}

type liveTextItem struct {
	Key, Text string
	Answers   []liveText
}

// liveTextsPage lists the free-text answers for the facilitator to
// approve, one by one, before the live page shows them.
func (s *server) liveTextsPage(c *gin.Context) {
	data, w, ok := s.workshopPageData(c)
	if !ok {
		return
	}
	q := data["Questionnaire"].(*surveys.Questionnaire)
	ctx := c.Request.Context()
	approvals, err := s.Store.TextApprovals(ctx, w.ID)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	state := map[string]string{}
	for _, a := range approvals {
		state[a.ResponseID+"/"+a.ItemKey] = map[bool]string{true: "shown", false: "hidden"}[a.Shown]
	}
	var items []liveTextItem
	index := map[string]int{}
	for i := range q.Items {
		if it := &q.Items[i]; len(it.Choices()) == 0 {
			index[it.Key] = len(items)
			items = append(items, liveTextItem{Key: it.Key, Text: it.Text.String()})
		}
	}
	waiting := 0
	err = s.Store.EachResponse(ctx, []string{w.ID}, func(r *surveys.Response) error {
		for key, a := range r.Answers {
			i, ok := index[key]
			if !ok || a.Kind != surveys.AnswerText || r.Excluded {
				continue
			}
			t := liveText{ResponseID: r.ID, Phase: r.Phase, Text: a.Text, State: state[r.ID+"/"+key]}
			if t.State == "" {
				waiting++
			}
			items[i].Answers = append(items[i].Answers, t)
		}
		return nil
	})
	if err != nil {
		s.pageFail(c, err)
		return
	}
	// Waiting ones first, then by text: never in the order pupils answered.
	for _, it := range items {
		slices.SortStableFunc(it.Answers, func(a, b liveText) int {
			if (a.State == "") != (b.State == "") {
				if a.State == "" {
					return -1
				}
				return 1
			}
			return strings.Compare(a.Text, b.Text)
		})
	}
	data["Moderation"] = gin.H{"Items": items, "Waiting": waiting}
	s.render(c, http.StatusOK, "staff/live_texts", data)
}

// approveText records the facilitator's decision on one free-text answer.
func (s *server) approveText(c *gin.Context) {
	w, q, err := s.workshopAndQuestionnaire(c)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	key, responseID := c.PostForm("item"), c.PostForm("response")
	it, ok := q.Item(key)
	if !ok || len(it.Choices()) != 0 {
		s.pageFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "Cette question n'attend pas de texte libre.", Fields: map[string]string{"item": "question de texte libre attendue"}})
		return
	}
	shown := c.PostForm("shown")
	if shown != "1" && shown != "0" {
		s.pageFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "Choisissez « Montrer » ou « Cacher ».", Fields: map[string]string{"shown": "1 ou 0"}})
		return
	}
	if len(responseID) > 100 {
		s.pageFail(c, surveys.Errorf(surveys.ENOTFOUND, "Réponse introuvable."))
		return
	}
	err = s.Store.SetTextApproval(c.Request.Context(), surveys.TextApproval{WorkshopID: w.ID, ResponseID: responseID, ItemKey: key, Shown: shown == "1"})
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID+"/live/textes#t-"+key)
}
