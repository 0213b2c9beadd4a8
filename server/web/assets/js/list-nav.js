// The combobox pattern (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
// focus stays in the search box, ↑/↓ move the active option of its listbox
// (aria-activedescendant + aria-selected), Enter picks it. Typing never stops.

/**
 * @param {{ input: HTMLInputElement, list: HTMLElement, onPick: (option: HTMLElement) => void }} options
 */
export function createListNav({ input, list, onPick }) {
  let index = -1;
  /** @returns {HTMLElement[]} */
  const options = () => [...list.querySelectorAll('[role="option"]')];

  /** @param {number} next */
  function setActive(next) {
    const all = options();
    index = all.length === 0 ? -1 : Math.max(-1, Math.min(next, all.length - 1));
    all.forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
    });
    const active = all[index];
    if (active) {
      input.setAttribute('aria-activedescendant', active.id);
      active.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  input.addEventListener('keydown', (event) => {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(index + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(index - 1);
    } else if (event.key === 'Enter' && index >= 0) {
      const option = options()[index];
      if (!option) return;
      event.preventDefault();
      onPick(option);
    }
  });
  // Keep focus in the box when an option is pressed with the mouse or a finger.
  for (const type of ['pointerdown', 'mousedown']) list.addEventListener(type, (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role="option"]') : null;
    if (!(option instanceof HTMLElement)) return;
    setActive(options().indexOf(option));
    onPick(option);
  });

  /** Call after the options were replaced. */
  function reset() {
    setActive(-1);
    input.setAttribute('aria-expanded', String(options().length > 0));
  }
  return { reset };
}
