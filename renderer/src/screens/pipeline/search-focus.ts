/**
 * "/" pressed away from the pipeline: go there and focus its search once it is on screen. A flag
 * rather than an event, since the search field does not exist yet when the key is pressed.
 */
let wanted = false;

export function requestSearchFocus(): void {
  wanted = true;
}

/** True once after a request (the search field asks when it mounts). */
export function takeSearchFocusRequest(): boolean {
  const was = wanted;
  wanted = false;
  return was;
}
