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
