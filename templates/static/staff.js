// Live answer counts while a phase is open; the page works without it.
(function () {
  var box = document.getElementById("counts");
  if (!box || !box.dataset.live) return;
  function tick() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        document.getElementById("n-pre").textContent = d.pre;
        document.getElementById("n-post").textContent = d.post;
      })
      .catch(function () {})
      .finally(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 3000);
})();

// "Imprimer" buttons; without JavaScript the browser's own print works too.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});

// Questionnaire editor: the phone preview follows every keystroke.
// Without JavaScript the "Mettre à jour l'aperçu" buttons do the same.
(function () {
  var form = document.getElementById("editor");
  var frame = document.getElementById("preview");
  if (!form || !frame) return;
  var timer = null, seq = 0;
  function refresh() {
    var n = ++seq;
    var data = new URLSearchParams(new FormData(form));
    fetch(frame.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && n === seq) frame.srcdoc = html; })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 350); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
