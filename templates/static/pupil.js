// Never lose an answer: the form is kept on the phone until the server
// acknowledges it, and resent with the same submission_id (stored once).
// Without JavaScript the form posts as usual.
(function () {
  var form = document.querySelector("form[data-keep]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var prefix = "declic:" + form.dataset.keep + ":";
  var status = document.getElementById("envoi");
  var key, pairs, timer, sending, delay = 0;

  function store(k, v) {
    try { v === undefined ? localStorage.removeItem(k) : localStorage.setItem(k, v); } catch (e) {}
  }
  function say(text) { status.textContent = text; }
  // The next try: after a wait that doubles up to 30 s, never sooner than
  // the server's Retry-After; a 429 (exact) is retried right after it.
  function schedule(retryAfter, exact) {
    delay = exact && retryAfter > 0 ? Math.min(300, retryAfter) : Math.min(30, Math.max(retryAfter || 0, delay ? delay * 2 : 2));
    clearTimeout(timer);
    timer = setTimeout(send, delay * 1000);
  }

  function send() {
    if (sending || !pairs) return;
    sending = true;
    clearTimeout(timer);
    var abort = new AbortController();
    var limit = setTimeout(function () { abort.abort(); }, 20000);
    fetch(form.action, {
      method: "POST", body: new URLSearchParams(pairs), credentials: "same-origin", signal: abort.signal
    }).then(function (r) {
      if (r.redirected && /\/merci(\?|$)/.test(r.url)) {
        store(key);
        location.replace(r.url);
      } else if (r.status == 429) {
        say("Beaucoup de réponses arrivent en même temps : tes réponses sont gardées sur ce téléphone, on les renvoie dans un instant…");
        schedule(parseInt(r.headers.get("Retry-After"), 10), true);
      } else if (r.status >= 500) {
        say("Le serveur ne répond pas : tes réponses sont gardées sur ce téléphone, on réessaie…");
        schedule(parseInt(r.headers.get("Retry-After"), 10));
      } else {
        // A page to show (answers to correct, workshop closed): the
        // server decides, as without JavaScript.
        store(key);
        pairs = null;
        form.submit();
      }
    }, function () {
      say("Pas de réseau : tes réponses sont gardées sur ce téléphone, on réessaie…");
      schedule();
    }).finally(function () {
      clearTimeout(limit);
      sending = false;
    });
  }

  function start(list) {
    pairs = list;
    key = prefix + (new URLSearchParams(list).get("submission_id") || "");
    store(key, JSON.stringify({ t: Date.now(), pairs: list }));
    delay = 0;
    send();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (sending) return;
    var list = [];
    new FormData(form).forEach(function (v, k) { list.push([k, v]); });
    start(list);
  });
  addEventListener("online", function () { delay = 0; send(); });

  // An answer kept by an earlier visit: show it in the form and resend it.
  function restore() {
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i), saved = null;
      if (k.indexOf(prefix) != 0) continue;
      try { saved = JSON.parse(localStorage.getItem(k)); } catch (e) {}
      if (!saved || Date.now() - saved.t > 7 * 864e5) { store(k); i--; continue; }
      saved.pairs.forEach(function (p) {
        var el = form.elements[p[0]];
        if (!el) return;
        if (el.type == "hidden" || el.type == "text" || el.tagName == "TEXTAREA") el.value = p[1];
        else (el.length ? Array.prototype.slice.call(el) : [el]).forEach(function (o) {
          if (o.value == p[1]) o.checked = true;
        });
      });
      say("Tes réponses gardées sur ce téléphone sont en cours d'envoi…");
      start(saved.pairs);
      return;
    }
  }
  try { restore(); } catch (e) {}
})();

// The code step reads the code back as it is typed: "M · 12 mars · L".
(function () {
  var f = document.querySelector("form.codeform"), out = document.getElementById("code-readback");
  if (!f || !out) return;
  function letter(el) {
    return el.value.trim().normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase() || "?";
  }
  function show() {
    var day = f.code_jour.value || "?", month = f.code_mois.value ? f.code_mois.options[f.code_mois.selectedIndex].text : "?";
    if (!f.code_mere.value && !f.code_jour.value && !f.code_mois.value && !f.code_lettre2.value) { out.hidden = true; return; }
    out.hidden = false;
    out.textContent = "Ton code : " + letter(f.code_mere) + " · " + day + " " + month + " · " + letter(f.code_lettre2);
  }
  f.addEventListener("input", show);
  f.addEventListener("change", show);
  show();
})();
