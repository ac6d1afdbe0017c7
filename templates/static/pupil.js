// Never lose an answer: the form is kept on the phone until the server
// acknowledges it, and resent with the same submission_id (stored once).
// Without JavaScript the form posts as usual. The page's words are in
// <body data-t> (templates/messages.go), in the form's language.
var T = {}, kiosk = document.documentElement.dataset.kiosk == "1";
try { T = JSON.parse(document.body.dataset.t); } catch (e) {}

function keep(k, v) {
  try { v === undefined ? localStorage.removeItem(k) : localStorage.setItem(k, v); } catch (e) {}
}

// kept lists the answers waiting on this device: [key, {t, pairs}].
function kept() {
  var out = [];
  try {
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i), saved = null;
      if (k.split(":").length != 4 || k.indexOf("declic:") != 0) continue;
      try { saved = JSON.parse(localStorage.getItem(k)); } catch (e) {}
      if (!saved || Date.now() - saved.t > 7 * 864e5) { keep(k); i--; continue; }
      out.push([k, saved]);
    }
  } catch (e) {}
  return out;
}

// post sends kept answers; then(outcome): "done" (acknowledged), "retry"
// (no network, server busy) or "page" (the server has a page to show).
function post(action, pairs, then) {
  var abort = new AbortController();
  var limit = setTimeout(function () { abort.abort(); }, 20000);
  fetch(action, {
    method: "POST", body: new URLSearchParams(pairs), credentials: "same-origin", signal: abort.signal
  }).then(function (r) {
    then(r.redirected && /\/merci(\?|$)/.test(r.url) ? "done" : r.status >= 500 || r.status == 429 ? "retry" : "page", r);
  }, function () { then("retry"); }).finally(function () { clearTimeout(limit); });
}

(function () {
  var form = document.querySelector("form[data-keep]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var prefix = "declic:" + form.dataset.keep + ":";
  var status = document.getElementById("envoi");
  var key, pairs, timer, sending, delay = 0;

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
    post(form.action, pairs, function (outcome, r) {
      sending = false;
      if (outcome == "done") {
        keep(key);
        pairs = null;
        location.replace(r.url);
      } else if (outcome == "retry") {
        say(r && r.status == 429 ? T["js.busy"] : r ? T["js.server"] : T["js.offline"]);
        if (kiosk) handOver();
        schedule(r && parseInt(r.headers.get("Retry-After"), 10), r && r.status == 429);
      } else {
        // A page to show (answers to correct, workshop closed): the
        // server decides, as without JavaScript; unless the pupil has
        // handed the tablet over and gone.
        keep(key);
        pairs = null;
        if (!form.hidden) form.submit();
      }
    });
  }

  // On a shared tablet, complete answers that cannot leave yet stay on
  // the tablet, and the next pupil may start: the form is emptied first.
  function handOver() {
    if (!complete() || document.getElementById("garde")) return;
    form.reset();
    // Nothing of this pupil stays on screen: their code, their answers.
    [].forEach.call(form.parentNode.children, function (el) { el.hidden = true; });
    var box = document.createElement("div");
    box.className = "card center next";
    box.id = "garde";
    box.innerHTML = '<p class="pass"></p><a class="send huge"></a>';
    box.firstChild.textContent = T["kiosk.kept"] + " " + T["kiosk.pass"];
    box.lastChild.textContent = T["kiosk.next"];
    box.lastChild.href = form.action;
    form.parentNode.insertBefore(box, form.parentNode.firstChild);
    scrollTo(0, 0);
    box.lastChild.focus();
  }

  // complete tells whether every required question has an answer.
  function complete() {
    return [].every.call(form.querySelectorAll("fieldset.q"), function (f) {
      if (f.querySelector("legend .opt")) return true;
      var names = {};
      [].forEach.call(f.querySelectorAll("input"), function (i) { names[i.name] = names[i.name] || i.checked; });
      for (var n in names) if (!names[n]) return false;
      return !f.querySelector("textarea") || f.querySelector("textarea").value.trim() != "";
    });
  }

  function start(list) {
    pairs = list;
    key = prefix + (new URLSearchParams(list).get("submission_id") || "");
    keep(key, JSON.stringify({ t: Date.now(), pairs: list }));
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

  // An answer kept by an earlier visit: show it in the form and resend
  // it. Never on a shared tablet: it would be someone else's.
  if (kiosk) return;
  var mine = kept().filter(function (e) { return e[0].indexOf(prefix) == 0; })[0];
  if (!mine) return;
  mine[1].pairs.forEach(function (p) {
    var el = form.elements[p[0]];
    if (!el) return;
    if (el.type == "hidden" || el.type == "text" || el.tagName == "TEXTAREA") el.value = p[1];
    else (el.length ? [].slice.call(el) : [el]).forEach(function (o) {
      if (o.value == p[1]) o.checked = true;
    });
  });
  say(T["js.resend"]);
  start(mine[1].pairs);
})();

// A shared tablet resends what earlier pupils left unsent, in the
// background, from any page; nobody sees them.
(function () {
  if (!kiosk || !window.fetch) return;
  var waiting = document.getElementById("pending");
  function round() {
    var list = kept(), left = list.length;
    if (waiting) {
      waiting.hidden = !left;
      waiting.textContent = T["kiosk.pending"] + " " + left;
    }
    list.forEach(function (e) {
      post("/f/" + e[0].split(":")[1], e[1].pairs, function (outcome) {
        // "page": the server would show a page (answers refused, workshop
        // closed) to a pupil who has left; nothing more can be done.
        if (outcome != "retry") keep(e[0]);
      });
    });
    if (left) setTimeout(round, 15000);
  }
  setTimeout(round, 1000);
  if (document.getElementById("suivant")) try { sessionStorage.removeItem("declic:grand"); } catch (e) {}
})();

// Larger text, remembered on a pupil's own phone; on a shared tablet only
// until the next pupil.
(function () {
  var box = document.getElementById("grand");
  if (!box) return;
  var mem;
  try { mem = kiosk ? sessionStorage : localStorage; box.checked = box.checked || mem.getItem("declic:grand") == "1"; } catch (e) {}
  box.addEventListener("change", function () {
    try { box.checked ? mem.setItem("declic:grand", "1") : mem.removeItem("declic:grand"); } catch (e) {}
  });
})();

// « Écouter »: each question read aloud by the browser's own voice; no
// button where the browser has none.
(function () {
  var synth = window.speechSynthesis, lang = document.documentElement.lang, buttons = [];
  if (!synth || !window.SpeechSynthesisUtterance) return;
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
  function words(f) {
    var out = [text(f.querySelector("legend"))], ends = f.querySelectorAll(".ends span");
    [].forEach.call(f.querySelectorAll(":scope > .help"), function (h) { out.push(text(h)); });
    var ch = f.querySelector(".choices"), labels = [].map.call(ch ? ch.querySelectorAll("label") : f.querySelectorAll(".field label"), text);
    if (ends.length == 2 && labels.length > 2) labels = [labels[0] + " : " + text(ends[0]), labels[labels.length - 1] + " : " + text(ends[1])];
    [].forEach.call(f.querySelectorAll(".half > legend"), function (l, i) { if (i == 0) out.push(text(l)); });
    return out.concat(labels).map(function (s) { return /[.!?:…]$/.test(s) ? s : s + "."; }).join(" ");
  }
  function reset() { buttons.forEach(function (b) { b.textContent = T.listen; b.setAttribute("aria-pressed", "false"); }); }
  [].forEach.call(document.querySelectorAll("fieldset.q"), function (f) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "listen";
    b.addEventListener("click", function () {
      var again = b.getAttribute("aria-pressed") == "true";
      synth.cancel();
      reset();
      if (again) return;
      var u = new SpeechSynthesisUtterance(words(f));
      u.lang = lang;
      u.rate = 0.9;
      u.onend = u.onerror = reset;
      b.textContent = T["listen.stop"];
      b.setAttribute("aria-pressed", "true");
      synth.speak(u);
    });
    f.querySelector("legend").insertAdjacentElement("afterend", b);
    buttons.push(b);
  });
  reset();
  // A browser with voices but none for this language would read it
  // wrongly: no button then.
  function check() {
    var v = synth.getVoices();
    var ok = !v.length || v.some(function (x) { return x.lang.toLowerCase().indexOf(lang) == 0; });
    buttons.forEach(function (b) { b.hidden = !ok; });
  }
  check();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", check);
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
    out.textContent = T["code.readback"] + " " + letter(f.code_mere) + " · " + day + " " + month + " · " + letter(f.code_lettre2);
  }
  f.addEventListener("input", show);
  f.addEventListener("change", show);
  show();
})();
