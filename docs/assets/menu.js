// The phone menu from the keyboard. Material opens it by ticking a hidden checkbox (#__drawer), which
// moves no focus: the next Tab would land on the page behind the menu. Opening it from the keyboard
// moves focus to its first link; Space opens it like Enter; Escape, or tabbing out of it, closes it.
(() => {
  const toggle = document.getElementById("__drawer");
  const button = document.querySelector('label.md-header__button[for="__drawer"]');
  const drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button || !drawer) return;

  const close = () => {
    if (toggle.checked) toggle.click();
  };
  button.addEventListener("keydown", event => {
    if (event.key === " ") {
      event.preventDefault();
      button.click();
    }
  });
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement === button) drawer.querySelector("a[href]")?.focus();
  });
  document.addEventListener("keydown", event => {
    if (event.key === "Escape" && toggle.checked) {
      close();
      button.focus();
    }
  });
  drawer.addEventListener("focusout", event => {
    if (event.relatedTarget && !drawer.contains(event.relatedTarget)) close();
  });
})();
