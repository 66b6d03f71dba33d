// The site's one script: keyboard fixes for two of Material's phone-size widgets and the search page
// (tests/test_keyboard.py), and closure notices that come down after their last day (tests/test_site.py).
(() => {
  // A closure notice (overrides/partials/announcements.html) shows until its last day. The site is rebuilt
  // each morning, but a copy served from a cache may be older: hide a notice whose day has passed.
  const today = new Date().toLocaleDateString("en-CA");  // YYYY-MM-DD, in the visitor's own time zone
  document.querySelectorAll(".clinic-announcement[data-until]").forEach(notice => {
    if (notice.dataset.until < today) notice.remove();
  });
  const banner = document.querySelector(".md-banner");
  if (banner && !banner.querySelector(".clinic-announcement")) banner.hidden = true;

  // The menu. Material opens it by ticking a hidden checkbox (#__drawer), which moves no focus: the
  // next Tab would land on the page behind the menu. Opening it from the keyboard moves focus to its
  // first link; Space opens it like Enter; Escape, or tabbing out of it, closes it.
  const drawer = document.getElementById("__drawer");
  const button = document.querySelector('label.md-header__button[for="__drawer"]');
  const menu = document.querySelector(".md-sidebar--primary");
  if (drawer && button && menu) {
    const close = () => {
      if (drawer.checked) drawer.click();
    };
    button.addEventListener("keydown", event => {
      if (event.key === " ") {
        event.preventDefault();
        button.click();
      }
    });
    drawer.addEventListener("change", () => {
      if (drawer.checked && document.activeElement === button) menu.querySelector("a[href]")?.focus();
    });
    document.addEventListener("keydown", event => {
      if (event.key === "Escape" && drawer.checked) {
        close();
        button.focus();
      }
    });
    menu.addEventListener("focusout", event => {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) close();
    });
  }

  // Only the search page (docs/search.md) has Material's search form: open search there, with focus in the
  // field, so typing searches at once. Material opens search when its field has focus.
  document.forms.namedItem("search")?.elements.namedItem("query")?.focus();

  // Search. While it is open on a phone, Material locks page scrolling, and it unlocks 100 ms after
  // search closes. Leaving search with Tab therefore focuses the next link without scrolling to it:
  // scroll it into view once the page can scroll again.
  const search = document.getElementById("__search");
  const whenUnlocked = callback => document.body.hasAttribute("data-md-scrolllock")
    ? requestAnimationFrame(() => whenUnlocked(callback)) : callback();
  search?.addEventListener("change", () => {
    if (search.checked) return;
    setTimeout(() => whenUnlocked(() => {
      const focused = document.activeElement;
      if (focused && focused !== document.body && !focused.closest(".md-search")) {
        focused.scrollIntoView({block: "nearest"});
      }
    }), 120);
  });
})();
