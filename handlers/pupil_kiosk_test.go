package handlers_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

// pupilAnswers goes through the code step and sends complete answers, as
// a browser without JavaScript does; it returns the page after sending.
func (cl *classroom) pupilAnswers(c *http.Client, code url.Values, i int, text string) (*http.Response, string) {
	cl.t.Helper()
	res, body := cl.pagePost(cl.t, c, "/f/"+cl.w.Code+"/code", code, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="code_token"`) {
		cl.t.Fatalf("code step: status %d, want 200 and the questions", res.StatusCode)
	}
	f := cl.answers(i, text)
	for k, v := range hiddenFields(body) {
		f[k] = v
	}
	return cl.pagePost(cl.t, c, "/f/"+cl.w.Code, f, nil)
}

func codeOf(mere, jour, mois, lettre2 string) url.Values {
	return url.Values{"code_mere": {mere}, "code_jour": {jour}, "code_mois": {mois}, "code_lettre2": {lettre2}}
}

// Kiosk mode is turned on and off only from a staff session that may run
// the workshop; on, the tablet remembers nothing of a pupil, sends no
// device, and ends each answer on « Au suivant ».
func TestKioskMode(t *testing.T) {
	cl := newClassroom(t)
	form := "/f/" + cl.w.Code

	t.Run("a pupil cannot turn it on", func(t *testing.T) {
		pupil := cl.browser()
		res, body := cl.pageGet(t, pupil, form+"?kiosk=1")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="code_mere"`) {
			t.Fatalf("?kiosk=1 without a session: status %d, want the code step", res.StatusCode)
		}
		if cl.cookie(pupil, "declic_kiosque") != "" {
			t.Errorf("?kiosk=1 without a session set the kiosk cookie")
		}
		// Nor with a forged or copied cookie of another workshop.
		u, _ := url.Parse(cl.URL + "/f")
		forged := "k1." + base64.RawURLEncoding.EncodeToString([]byte(cl.w.ID)) + ".0000000000000000"
		pupil.Jar.SetCookies(u, []*http.Cookie{{Name: "declic_kiosque", Value: forged, Path: "/f"}})
		if res, body := cl.pupilAnswers(pupil, codeOf("M", "12", "3", "L"), 1, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answers: status %d, want 303 to the thank-you page: %.300s", res.StatusCode, body)
		}
		if cl.cookie(pupil, "declic_code") == "" || cl.cookie(pupil, "declic_appareil") == "" {
			t.Errorf("with a forged kiosk cookie the phone forgot its pupil: want the code and device cookies")
		}
		if _, body := cl.pageGet(t, pupil, form); !strings.Contains(body, "Tu as déjà répondu") {
			t.Errorf("with a forged kiosk cookie, the form reopened is not « déjà répondu »")
		}
	})

	t.Run("another facilitator's session cannot either", func(t *testing.T) {
		other := cl.staff(cl.user(t, "autre@example.org", surveys.RoleFacilitator))
		cl.pageGet(t, other, form+"?kiosk=1")
		if cl.cookie(other, "declic_kiosque") != "" {
			t.Errorf("a facilitator who may not run the workshop turned kiosk mode on")
		}
	})

	tablet := cl.staff(cl.owner)
	t.Run("the kiosk QR code", func(t *testing.T) {
		res, body := cl.pageGet(t, tablet, "/app/workshops/"+cl.w.ID+"/kiosque.svg")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "<svg") {
			t.Errorf("kiosque.svg: status %d, %.40q, want an SVG", res.StatusCode, body)
		}
		if res, _ := cl.pageGet(t, cl.browser(), "/app/workshops/"+cl.w.ID+"/kiosque.svg"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("kiosque.svg without a session: status %d, want the login redirect", res.StatusCode)
		}
	})
	t.Run("a day of 45 says what is wrong", func(t *testing.T) {
		res, body := cl.pagePost(t, cl.browser(), form+"/code", codeOf("M", "45", "3", "L"), nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("day 45: status %d, want 422", res.StatusCode)
		}
		mustContain(t, "day 45", body, "1 réponse à corriger", "Jour de naissance : choisis un jour de 1 à 31 (tu as donné « 45 »)")
	})
	t.Run("31 February says it does not exist", func(t *testing.T) {
		res, body := cl.pagePost(t, cl.browser(), form+"/code", codeOf("M", "31", "2", "L"), nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("31/2: status %d, want 422", res.StatusCode)
		}
		mustContain(t, "31/2", body, "Jour de naissance : le 31 février n&#39;existe pas : vérifie ton jour et ton mois de naissance")
		if res, _ := cl.pagePost(t, cl.browser(), form+"/code", codeOf("M", "29", "2", "L"), nil); res.StatusCode != http.StatusOK {
			t.Errorf("29/2: status %d, want 200 (a birthday)", res.StatusCode)
		}
	})
	t.Run("the facilitator turns it on", func(t *testing.T) {
		res, body := cl.pageGet(t, tablet, form+"?kiosk=1")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("?kiosk=1 from the owner: status %d", res.StatusCode)
		}
		mustContain(t, "activation page", body, "Tablette partagée activée", `name="next" value="/f/`+cl.w.Code+`"`)
		if cl.cookie(tablet, "declic_kiosque") == "" {
			t.Fatalf("no kiosk cookie after ?kiosk=1 from the owner")
		}
		// The facilitator logs out, handing the tablet over on the form.
		res, _ = cl.pagePost(t, tablet, "/logout", url.Values{"next": {form}}, nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != form {
			t.Errorf("logout to hand over: %d to %q, want 303 to %s", res.StatusCode, loc, form)
		}
	})

	t.Run("two pupils in a row", func(t *testing.T) {
		before := map[string]bool{}
		for _, r := range cl.responses(t, cl.w.ID) {
			before[r.ID] = true
		}
		for i, code := range []url.Values{codeOf("S", "3", "11", "R"), codeOf("A", "28", "7", "T")} {
			res, body := cl.pageGet(t, tablet, form)
			if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="code_mere"`) || strings.Contains(body, `value="S"`) {
				t.Fatalf("pupil %d: the form does not start blank at the code step", i+1)
			}
			mustContain(t, "kiosk code step", body, "Tablette partagée", `data-kiosk="1"`)
			res, body = cl.pupilAnswers(tablet, code, i, "")
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("pupil %d: status %d, want 303: %.300s", i+1, res.StatusCode, body)
			}
			for _, name := range []string{"declic_code", "declic_fait", "declic_appareil", "declic_langue"} {
				if v := cl.cookie(tablet, name); v != "" {
					t.Errorf("pupil %d: the tablet keeps %s=%q", i+1, name, v)
				}
			}
			_, body = cl.pageGet(t, tablet, res.Header.Get("Location"))
			mustContain(t, "« Au suivant » screen", body, "Au suivant", `href="/f/`+cl.w.Code+`"`, "quitter le mode tablette")
			if strings.Contains(body, "Effacer mon code") {
				t.Errorf("the kiosk thank-you page offers to erase a code the tablet never kept")
			}
		}
		var got []*surveys.Response
		for _, r := range cl.responses(t, cl.w.ID) {
			if !before[r.ID] {
				got = append(got, r)
			}
		}
		if len(got) != 2 {
			t.Fatalf("%d new responses stored, want 2", len(got))
		}
		for _, r := range got {
			if r.Device != "" {
				t.Errorf("a kiosk response carries a device %q, want none", r.Device)
			}
		}
		if got[0].Participant == got[1].Participant {
			t.Errorf("two pupils on one tablet were stored as one participant")
		}
	})

	t.Run("a pupil cannot turn it off", func(t *testing.T) {
		cl.pageGet(t, tablet, form+"?kiosk=0")
		if cl.cookie(tablet, "declic_kiosque") == "" {
			t.Fatalf("?kiosk=0 without a session turned kiosk mode off")
		}
		_, body := cl.pageGet(t, tablet, form+"/kiosque")
		mustContain(t, "exit page without a session", body, "Se connecter pour quitter", "/login?next=%2Ff%2F"+cl.w.Code+"%3Fkiosk%3D0")
	})

	t.Run("the facilitator turns it off", func(t *testing.T) {
		res, _ := cl.pagePost(t, tablet, "/login", url.Values{"email": {cl.owner.Email}, "password": {testPassword}, "next": {form + "?kiosk=0"}}, nil)
		if loc := res.Header.Get("Location"); loc != form+"?kiosk=0" {
			t.Fatalf("login from the exit page goes to %q, want %s", loc, form+"?kiosk=0")
		}
		_, body := cl.pageGet(t, tablet, form+"?kiosk=0")
		mustContain(t, "off page", body, "Tablette partagée désactivée")
		if v := cl.cookie(tablet, "declic_kiosque"); v != "" {
			t.Errorf("kiosk cookie %q after ?kiosk=0 from the owner, want none", v)
		}
	})
}
