// A signed contract's PDF in the browser: the short-lived address opened in a new tab (the
// browser's own viewer, from which it can be saved).

/** 'opened' when the browser took it, 'failed' when it could not. */
export async function openPdf(url: string): Promise<'opened' | 'failed'> {
  try {
    const opened = window.open(url, '_blank')
    if (opened) {
      opened.opener = null
      return 'opened'
    }
    // A blocked pop-up (the address arrived after the tap's moment had passed): open it here.
    window.location.assign(url)
    return 'opened'
  } catch {
    return 'failed'
  }
}
