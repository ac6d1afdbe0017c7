// Paper data entry: each cell is checked as it is typed, Enter stores the
// row without leaving the page, and the next row starts at once. Without
// JavaScript the form posts and the server checks the same rules.
(function () {
  var form = document.getElementById("entry");
  if (!form || !window.fetch) return;
  var done = form.dataset.sheets ? form.dataset.sheets.split(" ") : [];
  var inputs = [].slice.call(form.querySelectorAll("input:not([type=hidden])"));
  var status = document.getElementById("entry-status");

  // rule returns what is wrong with a cell's value, or "".
  function rule(el) {
    var v = el.value.trim(), r = el.dataset.rule, kind = el.dataset.kind;
    if (v == "") return kind == "sheet" ? "numéro de feuille obligatoire" : "";
    if (kind == "sheet") {
      if (!/^\d{1,4}$/.test(v) || +v < 1) return r;
      return done.indexOf(String(+v)) >= 0 ? "feuille n° " + +v + " déjà saisie" : "";
    }
    if (kind == "code_mere" || kind == "code_lettre2") return /^\p{L}$/u.test(v) ? "" : r;
    if (kind == "code_jour") return /^\d{1,2}$/.test(v) && +v >= 1 && +v <= 31 ? "" : r;
    if (kind == "code_mois") return /^\d{1,2}$/.test(v) && +v >= 1 && +v <= 12 ? "" : r;
    if (!el.dataset.codes) return "";
    var codes = el.dataset.codes.split(" ");
    var parts = el.dataset.multi ? (/[ ,;]/.test(v) ? v.split(/[ ,;]+/) : v.split("")) : [v];
    return parts.every(function (p) { return codes.indexOf(p) >= 0; }) ? "" : "« " + v + " » : " + r;
  }
  function show(el, msg) {
    var out = document.getElementById(el.getAttribute("aria-describedby"));
    if (msg) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    if (out) out.textContent = msg;
  }
  // The code is all four cells or none.
  function codeRule(el) {
    if (!/^code_/.test(el.dataset.kind || "") || el.value.trim() != "") return rule(el);
    var any = inputs.some(function (i) { return /^code_/.test(i.dataset.kind || "") && i.value.trim() != ""; });
    return any ? el.dataset.rule + " (ou les quatre cases du code vides)" : "";
  }
  inputs.forEach(function (el) {
    el.addEventListener("input", function () { show(el, rule(el)); });
    el.addEventListener("blur", function () { show(el, codeRule(el)); });
  });

  function clear() {
    inputs.forEach(function (el) { el.value = ""; show(el, ""); });
  }
  function summary() {
    var cells = inputs.filter(function (el) { return el.dataset.kind != "sheet" && !/^code_/.test(el.dataset.kind || ""); });
    return cells.filter(function (el) { return el.value.trim() != ""; }).length + " / " + cells.length;
  }

  var sending = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (sending) return;
    var bad = inputs.filter(function (el) { var m = codeRule(el); show(el, m); return m; });
    if (bad.length) {
      status.textContent = bad.length + (bad.length > 1 ? " cases à corriger" : " case à corriger");
      bad[0].focus();
      return;
    }
    sending = true;
    var sheet = form.sheet.value.trim(), code = ["code_mere", "code_jour", "code_mois", "code_lettre2"].map(function (n) { return form[n].value.trim().toUpperCase(); }).join(" ");
    var filled = summary();
    fetch(form.action, {
      method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) {
      return r.json().then(function (d) { return [r.status, d]; }, function () { return [r.status, null]; });
    }).then(function (res) {
      var st = res[0], d = res[1];
      if (st == 201 && d) {
        done = d.sheets.map(String);
        document.getElementById("n-sheets").textContent = d.count;
        document.getElementById("sheet-list").textContent = " : n° " + done.join(", ");
        var tr = document.createElement("tr");
        [d.sheet, code.trim() || "sans code", filled].forEach(function (v) {
          var td = document.createElement("td");
          td.textContent = v;
          tr.appendChild(td);
        });
        var body = document.querySelector("#entered tbody");
        body.insertBefore(tr, body.firstChild);
        var saved = document.getElementById("saved");
        saved.hidden = false;
        saved.textContent = "Feuille n° " + d.sheet + " enregistrée.";
        status.textContent = "";
        clear();
        form.sheet.value = d.next;
        form.code_mere.focus();
      } else if (st == 422 && d) {
        var first = null;
        Object.keys(d.errors).forEach(function (name) {
          var el = form.elements[name];
          if (el) { show(el, d.errors[name]); first = first || el; }
        });
        status.textContent = "Feuille non enregistrée : à corriger.";
        (first || form.sheet).focus();
      } else {
        status.textContent = st == 200 ? "Session expirée : rechargez la page et reconnectez-vous." : "Le serveur ne répond pas : rien n'est perdu, appuyez de nouveau sur Entrée.";
      }
    }, function () {
      status.textContent = "Pas de réseau : la ligne est toujours là, appuyez de nouveau sur Entrée.";
    }).finally(function () { sending = false; });
  });
  // Start where a trained hand expects: the sheet number is offered, the
  // code comes next.
  (form.sheet.value ? form.code_mere : form.sheet).focus();
})();
