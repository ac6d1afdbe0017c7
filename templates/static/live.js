// The live page: new figures arrive by Server-Sent Events; when a proxy
// holds the stream back (no event for 12 s), the page polls instead.
// Without JavaScript, it reloads every 5 s (<noscript> refresh).
(function () {
  var box = document.getElementById("live"), body = document.getElementById("live-body");
  if (!box || !body) return;
  var version = box.dataset.version, heard = Date.now(), polling = false, es;
  var slot = document.getElementById("live-slot");

  // The counts and the legend live in the header, always in sight.
  function lift() {
    var status = body.querySelector(".live-status");
    if (slot && status) slot.replaceChildren(status);
  }
  lift();

  function show(html, v) {
    if (!html || (v && v == version)) return;
    version = v || version;
    // Keep the question on screen where it is.
    var top = [].filter.call(body.querySelectorAll(".live-q"), function (s) {
      return s.getBoundingClientRect().bottom > 60;
    })[0];
    body.innerHTML = html;
    lift();
    if (top && document.getElementById(top.id) && window.scrollY > 0) document.getElementById(top.id).scrollIntoView();
  }

  function poll() {
    fetch(box.dataset.part, { credentials: "same-origin", headers: { "If-None-Match": '"v' + version + '"' } })
      .then(function (r) {
        // Anything but the page's part (a login page, once the session
        // ended) is not shown.
        var v = (r.headers.get("ETag") || "").replace(/[^0-9]/g, "");
        if (r.status != 200 || !v) return;
        return r.text().then(function (html) { show(html, v); });
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 3000); });
  }
  function startPolling() {
    if (polling) return;
    polling = true;
    if (es) es.close();
    poll();
  }

  if (window.EventSource) {
    es = new EventSource(box.dataset.events);
    es.addEventListener("live", function (e) { heard = Date.now(); show(e.data, e.lastEventId); });
    es.addEventListener("ping", function () { heard = Date.now(); });
    setInterval(function () { if (Date.now() - heard > 12000) startPolling(); }, 2000);
  } else {
    startPolling();
  }

  // Full screen, and a clicker's or keyboard's arrows from one question
  // to the next.
  var full = document.getElementById("plein-ecran");
  if (full && document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    });
  }
  addEventListener("keydown", function (e) {
    var step = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 }[e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
    var qs = [].slice.call(body.querySelectorAll(".live-q"));
    var at = qs.findIndex(function (s) { return s.getBoundingClientRect().bottom > 60; });
    var next = qs[Math.max(0, Math.min(qs.length - 1, at + step))];
    if (next) { e.preventDefault(); next.scrollIntoView({ behavior: "smooth" }); }
  });
})();
