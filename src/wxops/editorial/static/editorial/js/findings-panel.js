// Refreshes the content-rule findings panel above an article's edit form while the worker reads
// the text in a picture. The panel arrives with the edit page (#wxops-findings) and carries its
// own address (data-findings-url) and how many pictures are still being read (data-reading);
// every 3 s it asks again and replaces itself, until none is.
(function () {
  "use strict";
  function refresh() {
    var panel = document.getElementById("wxops-findings");
    if (!panel || !(Number(panel.dataset.reading) > 0)) return;
    setTimeout(function () {
      fetch(panel.dataset.findingsUrl + "?was_reading=1", {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (html) {
        if (!html) return;
        panel.outerHTML = html;
        refresh();
      });
    }, 3000);
  }
  refresh();
})();
