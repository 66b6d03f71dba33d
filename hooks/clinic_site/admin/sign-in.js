// Sign-in errors from the clinic's own sign-in service (plugins.clinic.editor.base_url), shown on the login page.
//
// Decap shows a sign-in error only from the answer's `message` (decap-cms-lib-auth, NetlifyError.toString());
// sveltia-cms-auth answers {"provider", "error", "errorCode"}, so the pop-up closed and nothing said why.
// Only an answer from the service's own origin counts (the page's meta tag clinic-editor-sign-in), as in Decap.
const { origin, provider = 'github' } =
  JSON.parse(document.querySelector('meta[name="clinic-editor-sign-in"]')?.content || '{}');
const ERROR = `authorization:${provider}:error:`;
const SUCCESS = `authorization:${provider}:success:`;
const BOX = 'clinic-sign-in-error';

export function signInProblem(answer) {
  if (!answer || answer.message || !answer.error) return null; // Decap shows a message itself
  const said = String(answer.error).trim().replace(/([^.!?])$/, '$1.'); // GitHub's codes (bad_verification_code) have no stop
  return `Sign-in did not work: ${said} Try again. If it happens again, send this message to whoever ` +
    'looks after the website (the sign-in service is set up as handbook/editor.md says).';
}

function show(text) {
  let box = document.getElementById(BOX);
  if (!box) {
    box = document.createElement('p');
    box.id = BOX;
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;top:1rem;left:50%;transform:translateX(-50%);max-width:36rem;margin:0;' +
      'padding:0.75rem 1rem;background:#fff;color:#8a0020;border:2px solid #8a0020;border-radius:6px;z-index:1000;';
    document.body.append(box);
  }
  box.textContent = text;
}

if (origin) {
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || typeof event.data !== 'string') return;
    if (event.data.startsWith(SUCCESS)) {
      document.getElementById(BOX)?.remove();
    } else if (event.data.startsWith(ERROR)) {
      let answer = null;
      try {
        answer = JSON.parse(event.data.slice(ERROR.length));
      } catch {
        return;
      }
      const problem = signInProblem(answer);
      if (problem) show(problem);
    }
  });
}
