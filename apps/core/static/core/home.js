// The home page on a phone: the sections marked data-fold-narrow start folded, so the key actions and the
// headline figures are not followed by several screens of charts. They are rendered open, so a wide screen
// (and a browser without JavaScript) shows everything; they sit below the first screen, so folding them
// here moves nothing the reader already sees.
if (window.matchMedia("(max-width: 767px)").matches) {
  for (const details of document.querySelectorAll("details[data-fold-narrow]")) details.open = false;
}
