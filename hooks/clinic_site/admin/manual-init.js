// Runs first, before the editor's bundle.
//
// 1. Frame protection where the host sends no headers (GitHub Pages ignores _headers, and a <meta>
//    policy cannot say frame-ancestors): inside another site's frame the editor never starts, shows
//    nothing clickable, and asks to open at the top. (Where _headers applies, frame-ancestors 'none'
//    already stops the frame from loading.)
// 2. The editor starts itself as soon as its bundle runs, unless told to wait: admin.js first registers
//    the file formats the config names, then starts it. A file, not an inline script, so the page's
//    Content-Security-Policy allows no inline script at all.
(function () {
  let framed = true;
  try {
    framed = window.top !== window.self;
  } catch (error) {
    framed = true; // a cross-origin parent cannot even be compared
  }
  window.CLINIC_EDITOR_FRAMED = framed;
  if (framed) {
    document.documentElement.hidden = true;
    window.stop();
    try {
      window.top.location.href = window.self.location.href;
    } catch (error) {
      // A sandboxed frame may not navigate its parent: the page stays empty.
    }
    throw new Error('The editor does not run inside another site\'s frame.');
  }
  window.CMS_MANUAL_INIT = true;
})();
