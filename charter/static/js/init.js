import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()

// The register's filters are folded away on a phone so the results are not pushed down the
// page; on a wider screen, where they sit beside the results, show them unfolded.
if (window.matchMedia('(min-width: 40.0625em)').matches) {
  for (const details of document.querySelectorAll('details.app-register-filters')) {
    details.open = true
  }
}

// A table wrapper that scrolls sideways is a focusable region so keyboard users can scroll
// it; one whose table fits needs no extra tab stop. The markup starts with the tab stop, and a
// ResizeObserver (which sees a narrower window, a zoom and a late web font alike) keeps it right.
function tabStopOnlyWhenScrolling (region) {
  if (region.scrollWidth > region.clientWidth) {
    region.setAttribute('tabindex', '0')
  } else {
    region.removeAttribute('tabindex')
  }
}
const regions = document.querySelectorAll('.app-table-scroll')
if ('ResizeObserver' in window) {
  const observer = new ResizeObserver(entries => {
    for (const entry of entries) tabStopOnlyWhenScrolling(entry.target.closest('.app-table-scroll'))
  })
  for (const region of regions) {
    observer.observe(region)
    if (region.firstElementChild) observer.observe(region.firstElementChild)
  }
}
