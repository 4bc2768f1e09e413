// Dates as the desk writes them (2026-11-30) and a 24-hour clock, whatever the browser's language.
// A native <input type="date"> follows the browser (an English browser showed mm/dd/yyyy); every one
// on an admin page becomes a text field with Wagtail's own calendar picker, whose month and weekday
// names follow the admin's language. The value sent stays YYYY-MM-DD (or HH:MM), as before.
(function () {
  'use strict';
  var script = document.currentScript;
  var placeholders = {
    date: (script && script.dataset.datePlaceholder) || 'YYYY-MM-DD',
    time: (script && script.dataset.timePlaceholder) || 'HH:MM',
  };
  var counter = 0;

  function upgrade(root) {
    root.querySelectorAll('input[type="date"], input[type="time"]').forEach(function (input) {
      var kind = input.type;
      if (!input.id) {
        counter += 1;
        input.id = 'wxops-' + kind + '-' + counter;
      }
      input.type = 'text';
      input.autocomplete = 'off';
      input.dataset.wxopsPicker = kind;
      if (!input.placeholder) input.placeholder = placeholders[kind];
      var init = kind === 'time' ? window.initTimeChooser : window.initDateChooser;
      if (typeof init === 'function') {
        init(input.id, kind === 'time' ? { format: 'H:i' } : { format: 'Y-m-d', dayOfWeekStart: 1 });
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { upgrade(document); });
  } else {
    upgrade(document);
  }
})();
