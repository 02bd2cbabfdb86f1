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
// it; one whose table fits needs no extra tab stop.
function tabStopOnlyWhenScrolling () {
  for (const region of document.querySelectorAll('.app-table-scroll')) {
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute('tabindex', '0')
    } else {
      region.removeAttribute('tabindex')
    }
  }
}
tabStopOnlyWhenScrolling()
window.addEventListener('resize', tabStopOnlyWhenScrolling)
