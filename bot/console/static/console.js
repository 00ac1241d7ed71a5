// 心桥 console: the only script of our own. The queue is refreshed by htmx (every 3 s); when a red case
// appears that was not in the list before, the tab's title flashes (and a short tone plays where the
// browser allows it) until the page is looked at. An expired session sends the browser to sign in.
(function () {
  "use strict";
  var seen = null, flashing = null, original = document.title;
  function redIds(el) {
    var raw = (el && el.getAttribute("data-red-ids")) || "";
    return raw.split(" ").filter(function (x) { return x; });
  }
  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      var ctx = new Ctx(), osc = ctx.createOscillator();
      osc.frequency.value = 880; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound: the title still flashes */ }
  }
  function flash(ids) {
    var label = document.body.getAttribute("data-new-red") || "【新红色案例】";
    document.body.setAttribute("data-new-red-ids", ids.join(" "));
    if (flashing) { return; }
    var on = false;
    flashing = window.setInterval(function () {
      on = !on;
      document.title = on ? label + " #" + ids.join(" #") : original;
    }, 800);
    document.title = label + " #" + ids.join(" #");
    beep();
  }
  function stop() {
    if (!flashing || document.hidden) { return; }
    window.clearInterval(flashing); flashing = null; document.title = original;
  }
  function check(el) {
    var now = redIds(el);
    if (seen !== null) {
      var fresh = now.filter(function (x) { return seen.indexOf(x) < 0; });
      if (fresh.length) { flash(fresh); }
    }
    seen = now;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.getElementById("queue-rows");
    if (rows) { check(rows); }
    document.addEventListener("visibilitychange", function () { window.setTimeout(stop, 3000); });
    window.addEventListener("focus", function () { window.setTimeout(stop, 3000); });
  });
  // htmx:load fires on the new rows once they are in the page (afterSwap goes to the replaced element).
  document.addEventListener("htmx:load", function (evt) {
    if (evt.target && evt.target.id === "queue-rows") { check(evt.target); }
  });
  document.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail && evt.detail.xhr && evt.detail.xhr.status === 401) {
      window.location.href = "/console/signin?expired=1";
    }
  });
})();
