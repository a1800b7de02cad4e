// The API key a staff page asks for once per browser session: kept in sessionStorage, so it is gone when the tab
// closes and never sent anywhere but in the X-Api-Key header.

/** `name` is the sessionStorage entry; the page has a #key-form with a #key input. */
export function sessionKey(name) {
  return {
    present: () => sessionStorage.getItem(name) !== null,
    auth: () => ({ key: sessionStorage.getItem(name) }),
    forget: () => sessionStorage.removeItem(name),
    /** Saves what is typed into #key when #key-form is submitted, empties the field, then calls `then`. */
    onSaved(then) {
      document.getElementById('key-form').addEventListener('submit', event => {
        event.preventDefault();
        const input = document.getElementById('key');
        sessionStorage.setItem(name, input.value.trim());
        input.value = '';
        then();
      });
    },
  };
}
