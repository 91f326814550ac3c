// The share button on event pages (the public site sends no other JavaScript). The phone's share
// sheet where the browser has one (Web Share API), else copy the link; without JavaScript the
// button stays hidden and the page is complete without it.
for (const button of document.querySelectorAll('button[data-share-url]')) {
	const url = button.dataset.shareUrl;
	const title = button.dataset.shareTitle || document.title;
	const status = button.parentElement && button.parentElement.querySelector('[data-share-status]');
	const label = button.querySelector('[data-share-label]');
	const canShare = typeof navigator.share === 'function';
	const canCopy = !!(navigator.clipboard && window.isSecureContext);
	if (!canShare && !canCopy) {
		// Nothing to do for the button: show the link to copy by hand.
		if (status) status.textContent = url;
		continue;
	}
	// Texts in the site's language come from the page (data-copy-label, data-copied-label).
	if (!canShare && label) label.textContent = button.dataset.copyLabel || 'Copy link';
	button.hidden = false;
	button.addEventListener('click', async () => {
		if (canShare) {
			try {
				await navigator.share({ title, url });
				return;
			} catch (e) {
				// The visitor closed the sheet: nothing to report.
				if (e && e.name === 'AbortError') return;
				if (!canCopy) return;
			}
		}
		try {
			await navigator.clipboard.writeText(url);
			if (status) status.textContent = button.dataset.copiedLabel || 'Link copied.';
		} catch {
			if (status) status.textContent = url;
		}
	});
}
