/* global window */
// The queue snippet (pipeline/script-tag.ts QUEUE_SNIPPET) as a file, so the demo page needs no inline script.
window.li =
  window.li ||
  function () {
    (window.li.q = window.li.q || []).push(arguments);
  };
