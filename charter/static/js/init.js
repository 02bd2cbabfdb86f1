import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()

// The register's filters are folded away on a phone so the results are not pushed down the
// page; on a wider screen, where they sit beside the results, show them unfolded.
if (window.matchMedia('(min-width: 40.0625em)').matches) {
  for (const details of document.querySelectorAll('details.app-register-filters')) {
    details.open = true
  }
}
