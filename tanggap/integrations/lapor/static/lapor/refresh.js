// Reload a running import's page every few seconds so its progress shows without a click.
(function () {
  var running = document.querySelector("[data-refresh-seconds]");
  if (!running) return;
  var seconds = parseInt(running.getAttribute("data-refresh-seconds"), 10) || 3;
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
