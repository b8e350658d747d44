/** Where the browser tests and the dashboard bench find Chromium, and the opt-out. */

/** `BUNDLE_AUCTION_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env['BUNDLE_AUCTION_CHROMIUM'] ?? '/usr/bin/chromium';
}

/** `BUNDLE_AUCTION_NO_BROWSER=1`: the browser tests are skipped on purpose (reported by the setup). */
export function browserOptOut(): boolean {
  return process.env['BUNDLE_AUCTION_NO_BROWSER'] === '1';
}
