// Decap starts itself as soon as its bundle runs, unless told to wait: admin.js first registers
// the file formats the config names, then starts it. A file, not an inline script, so the page's
// Content-Security-Policy allows no inline script at all.
window.CMS_MANUAL_INIT = true;
